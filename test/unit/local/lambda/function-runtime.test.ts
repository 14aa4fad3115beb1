import { join } from 'node:path';
import { FunctionError } from '#local/ports';
import { UnknownFaultTargetError } from '#local/lambda/fault-plan';
import { memoryLogSink, type FunctionLogLine } from '#local/lambda/function-logs';
import { createFunctionRuntime, initStartMessage, type FunctionRuntime, type FunctionRuntimeOptions } from '#local/lambda/function-runtime';
import { localServiceEnvironment } from '#local/lambda/lambda-environment';
import { lambdaFunctionArn } from '#local/arns';
import type { LocalFunction } from '#local/template/local-app';
import { eventually } from '#test/support/eventually';

const FIXTURES = join(__dirname, 'fixtures');

const fixtureFunction = (name: string, fixture: string, overrides: Partial<LocalFunction> = {}): LocalFunction => ({
  logicalId: name,
  name,
  arn: lambdaFunctionArn(name),
  handler: 'index.handler',
  codeDir: join(FIXTURES, fixture),
  runtime: 'nodejs20.x',
  environment: {},
  timeoutSeconds: 5,
  memoryMb: 128,
  ...overrides,
});

const rejectionOf = async (promise: Promise<unknown>): Promise<FunctionError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FunctionError) return error;
    throw error;
  }
  throw new Error('expected the invocation to fail');
};

/** Worker output arrives asynchronously: waits until `count` lines of the sink match, and returns them. */
const linesMatching = (lines: readonly FunctionLogLine[], match: (line: FunctionLogLine) => boolean, count: number) =>
  eventually(() => lines.filter(match), (found) => found.length >= count, {
    what: `${count} matching log lines`,
    describe: (found) => `${found.length} matching, of ${JSON.stringify(lines)}`,
  });

describe('local function runtime', () => {
  let runtime: FunctionRuntime | undefined;
  let logs = memoryLogSink();
  const start = (functions: LocalFunction[], options: Partial<FunctionRuntimeOptions> = {}) => {
    runtime = createFunctionRuntime({
      functions,
      environment: localServiceEnvironment({ dynamodb: 'http://127.0.0.1:8000' }),
      logSink: logs,
      ...options,
    });
    return runtime;
  };

  beforeEach(() => {
    logs = memoryLogSink();
  });

  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it('runs the bundled handler by name or ARN and returns its JSON result', async () => {
    // Prepare
    const functions = start([fixtureFunction('Counter', 'counter')]);

    // Act
    const byName = await functions.invoke('Counter', {});
    const byArn = await functions.invoke(`${lambdaFunctionArn('Counter')}:$LATEST`, {});

    // Assess
    expect([byName, byArn]).toEqual([
      { invocations: 1, maxInFlight: 1 },
      { invocations: 2, maxInFlight: 1 },
    ]);
  });

  it('loads ES module bundles too', async () => {
    // Prepare
    const functions = start([fixtureFunction('Esm', 'esm-module')]);

    // Act
    const result = await functions.invoke('Esm', { id: 1 });

    // Assess
    expect(result).toEqual({ format: 'esm', echo: { id: 1 } });
  });

  it('gives each function its own environment, its template variables over the local settings', async () => {
    // Prepare
    const functions = start([
      fixtureFunction('Hello', 'env-echo', { environment: { GREETING: 'hello' } }),
      fixtureFunction('Bonjour', 'env-echo', { environment: { GREETING: 'bonjour' } }),
    ]);

    // Act
    const hello = await functions.invoke('Hello', {});
    const bonjour = await functions.invoke('Bonjour', {});

    // Assess
    expect(hello).toEqual({
      greeting: 'hello',
      leaked: null,
      region: 'us-east-1',
      functionNameVariable: 'Hello',
      functionName: 'Hello',
      invokedFunctionArn: lambdaFunctionArn('Hello'),
      hasTimeLeft: true,
    });
    expect(bonjour).toMatchObject({ greeting: 'bonjour', leaked: null, functionName: 'Bonjour' });
    expect(process.env.WRITTEN_BY_HANDLER).toBeUndefined();
  });

  it('fails a slow invocation with Lambda\'s timeout error', async () => {
    // Prepare
    const functions = start([fixtureFunction('Slow', 'counter', { timeoutSeconds: 0.3 })]);

    // Act
    const error = await rejectionOf(functions.invoke('Slow', { waitMs: 5000 }));

    // Assess
    expect(error.errorType).toBe('Sandbox.Timedout');
    expect(error.errorMessage).toMatch(/^RequestId: \S+ Error: Task timed out after 0\.30 seconds$/);
  });

  it('replaces a worker stuck in a busy loop after its invocation times out', async () => {
    // Prepare
    const functions = start([fixtureFunction('Spinner', 'counter', { timeoutSeconds: 0.3 })], { stuckWorkerGraceMs: 200 });
    await functions.invoke('Spinner', {});

    // Act
    const timedOut = await rejectionOf(functions.invoke('Spinner', { spin: true }));
    const afterRestart = await functions.invoke('Spinner', {});

    // Assess
    expect(timedOut.errorType).toBe('Sandbox.Timedout');
    expect(afterRestart).toEqual({ invocations: 1, maxInFlight: 1 });
  });

  it('reports a thrown error by its name, which is what the state machine matches', async () => {
    // Prepare
    const functions = start([fixtureFunction('Reserve', 'errors')]);

    // Act
    const error = await rejectionOf(functions.invoke('Reserve', { throw: 'named' }));

    // Assess
    expect(error).toMatchObject({ errorType: 'SeatsUnavailable', errorMessage: 'Seats not available: A-1' });
    expect(error.trace[0]).toBe('SeatsUnavailable: Seats not available: A-1');
  });

  it('reports a thrown non-error by its type, as Lambda does', async () => {
    // Prepare
    const functions = start([fixtureFunction('Reserve', 'errors')]);

    // Act
    const error = await rejectionOf(functions.invoke('Reserve', { throw: 'string' }));

    // Assess
    expect(error).toMatchObject({ errorType: 'string', errorMessage: 'plain text' });
  });

  it('reports an error thrown while loading the module, then loads it again on the next invocation', async () => {
    // Prepare
    const functions = start([fixtureFunction('Broken', 'broken')]);

    // Act
    const first = await rejectionOf(functions.invoke('Broken', {}));
    const second = await rejectionOf(functions.invoke('Broken', {}));

    // Assess
    expect(first).toMatchObject({ errorType: 'ConfigError', errorMessage: 'Missing environment variables: PURCHASES_TABLE_NAME' });
    expect(second.errorType).toBe('ConfigError');
  });

  it('restarts a worker that exited, with a fresh module', async () => {
    // Prepare
    const functions = start([fixtureFunction('Crashy', 'crash')]);
    await functions.invoke('Crashy', {});

    // Act
    const crashed = await rejectionOf(functions.invoke('Crashy', { crash: 'exit' }));
    const afterRestart = await functions.invoke('Crashy', {});

    // Assess
    expect(crashed.errorType).toBe('Runtime.ExitError');
    expect(crashed.errorMessage).toContain('exit status 3');
    expect(afterRestart).toEqual({ invocations: 1 });
  });

  it('fails the invocation with the error nobody caught, and restarts the worker', async () => {
    // Prepare
    const functions = start([fixtureFunction('Crashy', 'crash')]);

    // Act
    const crashed = await rejectionOf(functions.invoke('Crashy', { crash: 'uncaught' }));
    const afterRestart = await functions.invoke('Crashy', {});

    // Assess
    expect(crashed).toMatchObject({ errorType: 'ExplodedError', errorMessage: 'nobody caught this' });
    expect(afterRestart).toEqual({ invocations: 1 });
  });

  it('fails the first invocations as the fault plan says, without running the handler', async () => {
    // Prepare
    const functions = start([fixtureFunction('CreateInvoice', 'counter')], {
      faultPlan: { CreateInvoice: { failTimes: 1, errorType: 'Lambda.ServiceException', message: 'injected' } },
    });

    // Act
    const fault = await rejectionOf(functions.invoke('CreateInvoice', {}));
    const next = await functions.invoke('CreateInvoice', {});

    // Assess
    expect(fault).toMatchObject({ errorType: 'Lambda.ServiceException', errorMessage: 'injected' });
    expect(next).toEqual({ invocations: 1, maxInFlight: 1 });
  });

  it('loses the answer of a handler that ran when the fault is injected after it', async () => {
    // Prepare
    const functions = start([fixtureFunction('ChargePayment', 'counter')], {
      faultPlan: { ChargePayment: { failTimes: 1, when: 'afterHandler' } },
    });

    // Act
    const fault = await rejectionOf(functions.invoke('ChargePayment', {}));
    const next = await functions.invoke('ChargePayment', {});

    // Assess
    expect(fault.errorType).toBe('Lambda.ServiceException');
    expect(next).toEqual({ invocations: 2, maxInFlight: 1 });
  });

  it('takes a new fault plan while running', async () => {
    // Prepare
    const functions = start([fixtureFunction('Counter', 'counter')]);
    functions.setFaultPlan({ Counter: { failTimes: 2, errorType: 'Lambda.TooManyRequestsException' } });

    // Act
    const outcomes = await Promise.allSettled([functions.invoke('Counter', {}), functions.invoke('Counter', {}), functions.invoke('Counter', {})]);

    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });

  it('refuses a fault plan naming a function the app does not have', () => {
    // Act
    const act = () => start([fixtureFunction('Counter', 'counter')], { faultPlan: { CreateInvocie: { failTimes: 1 } } });

    // Assess
    expect(act).toThrow(UnknownFaultTargetError);
  });

  it('runs no more invocations of a function at once than its concurrency allows', async () => {
    // Prepare
    const functions = start([fixtureFunction('Counter', 'counter')], { maxConcurrency: 2 });

    // Act
    const results = await Promise.all(Array.from({ length: 6 }, () => functions.invoke('Counter', { waitMs: 50 })));

    // Assess
    expect(Math.max(...results.map((result) => (result as { maxInFlight: number }).maxInFlight))).toBe(2);
  });

  it('caps concurrency at the reserved concurrency the template sets', async () => {
    // Prepare
    const functions = start([fixtureFunction('Counter', 'counter', { reservedConcurrency: 1 })], { maxConcurrency: 5 });

    // Act
    const results = await Promise.all(Array.from({ length: 3 }, () => functions.invoke('Counter', { waitMs: 20 })));

    // Assess
    expect(results.map((result) => (result as { maxInFlight: number }).maxInFlight)).toEqual([1, 1, 1]);
  });

  it('fails an invocation of an unknown function as Lambda does', async () => {
    // Prepare
    const functions = start([fixtureFunction('Counter', 'counter')]);

    // Act
    const error = await rejectionOf(functions.invoke('Nope', {}));

    // Assess
    expect(error.errorType).toBe('Lambda.ResourceNotFoundException');
  });

  it('sends the lines a function writes, and the platform lines, to the log sink', async () => {
    // Prepare
    const functions = start([fixtureFunction('Logs', 'logs')]);

    // Act
    await functions.invoke('Logs', {});

    // Assess
    const lines = await linesMatching(logs.lines, (line) => line.functionName === 'Logs', 7);
    expect(lines.find((line) => line.stream === 'stdout' && line.message.includes('hello from logs'))?.message).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tINFO\thello from logs { answer: 42 }$/,
    );
    expect(lines.map((line) => [line.stream, line.message])).toContainEqual(['stdout', '{"level":"INFO","message":"structured line"}']);
    expect(lines.some((line) => line.stream === 'stderr' && line.message.endsWith('\tERROR\tto stderr'))).toBe(true);
    expect(lines.filter((line) => line.stream === 'platform').map((line) => line.message.split(' ')[0])).toEqual(['INIT_START', 'START', 'END', 'REPORT']);
  });

  it('retries a failed asynchronous event twice, then sends it to the function\'s dead-letter queue', async () => {
    // Prepare
    const sent: Array<{ queue: string; body: string }> = [];
    const dlq = 'arn:aws:sqs:us-east-1:000000000000:ProjectionDlq';
    const functions = start([fixtureFunction('Projection', 'errors', { deadLetterQueueArn: dlq })], {
      asyncRetryDelaysMs: [10, 10],
      deadLetterSender: { sendMessage: async (queue, body) => void sent.push({ queue, body }) },
    });

    // Act
    await functions.invokeAsync('Projection', { throw: 'named' });

    // Assess
    await linesMatching(logs.lines, (line) => line.functionName === 'Projection' && line.message.startsWith('Asynchronous event sent to'), 1);
    expect(sent).toEqual([{ queue: dlq, body: '{"throw":"named"}' }]);
    expect(logs.lines.filter((line) => line.functionName === 'Projection' && line.message.includes('Status: SeatsUnavailable'))).toHaveLength(3);
  });

  it('runs an accepted asynchronous event once when it succeeds', async () => {
    // Prepare
    const functions = start([fixtureFunction('Counter', 'counter')], { asyncRetryDelaysMs: [10, 10] });

    // Act
    await functions.invokeAsync('Counter', {});

    // Assess
    await linesMatching(logs.lines, (line) => line.functionName === 'Counter' && line.message.includes('Status: success'), 1);
    expect(await functions.invoke('Counter', {})).toEqual({ invocations: 2, maxInFlight: 1 });
  });

  it('refuses an asynchronous event for an unknown function', async () => {
    // Prepare
    const functions = start([fixtureFunction('Counter', 'counter')]);

    // Act
    const error = await rejectionOf(functions.invokeAsync('Nope', {}));

    // Assess
    expect(error.errorType).toBe('Lambda.ResourceNotFoundException');
  });

  it('keeps Powertools log keys of concurrent invocations apart', async () => {
    // Prepare
    const functions = start([fixtureFunction('Step', 'powertools-logger')]);

    // Act
    await Promise.all([functions.invoke('Step', { purchaseId: 'p-slow', waitMs: 150 }), functions.invoke('Step', { purchaseId: 'p-fast', waitMs: 10 })]);

    // Assess
    const done = await linesMatching(logs.lines, (line) => line.functionName === 'Step' && line.stream === 'stdout' && line.message.includes('step done'), 2);
    const entries = done.map((line): unknown => JSON.parse(line.message));
    expect(entries).toEqual([
      expect.objectContaining({ purchaseId: 'p-fast', function_name: 'Step' }),
      expect.objectContaining({ purchaseId: 'p-slow', function_name: 'Step' }),
    ]);
    const [fast, slow] = entries as Array<{ function_request_id: string }>;
    expect(fast?.function_request_id).not.toBe(slow?.function_request_id);
  });
});

describe('the INIT_START line', () => {
  test('names the deployed runtime and the local Node.js', () => {
    expect(initStartMessage('nodejs24.x', 'v24.21.0')).toBe('INIT_START Runtime Version: nodejs24.x (local Node.js v24.21.0)');
  });

  test('says so when the local Node.js is not the deployed major', () => {
    expect(initStartMessage('nodejs24.x', 'v20.20.2')).toBe(
      "INIT_START Runtime Version: nodejs24.x (local Node.js v20.20.2; not the deployed Node.js 24: start through npm, which runs the project's own Node.js)",
    );
  });

  test('has nothing to compare for a runtime that is not Node.js', () => {
    expect(initStartMessage('python3.13', 'v24.21.0')).toBe('INIT_START Runtime Version: python3.13 (local Node.js v24.21.0)');
  });
});
