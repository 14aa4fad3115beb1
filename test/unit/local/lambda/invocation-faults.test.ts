import { join } from 'node:path';
import { memoryLogSink } from '#local/lambda/function-logs';
import { createFunctionRuntime, type FunctionRuntime } from '#local/lambda/function-runtime';
import type { InvocationFault, InvocationFaultSource } from '#local/lambda/invocation-faults';
import { localServiceEnvironment } from '#local/lambda/lambda-environment';
import { FunctionError } from '#local/ports';
import { lambdaFunctionArn } from '#local/arns';
import type { LocalFunction } from '#local/template/local-app';

const COUNTER: LocalFunction = {
  logicalId: 'Counter',
  name: 'Counter',
  arn: lambdaFunctionArn('Counter'),
  handler: 'index.handler',
  codeDir: join(__dirname, 'fixtures', 'counter'),
  runtime: 'nodejs20.x',
  environment: {},
  timeoutSeconds: 5,
  memoryMb: 128,
};

interface CounterAnswer {
  readonly invocations: number;
  readonly maxInFlight: number;
}

/** The fault for the first invocation only. */
const once = (fault: InvocationFault): InvocationFaultSource => {
  let pending: InvocationFault | undefined = fault;
  return () => {
    const next = pending;
    pending = undefined;
    return next;
  };
};

const rejectionOf = async (promise: Promise<unknown>): Promise<FunctionError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FunctionError) return error;
    throw error;
  }
  throw new Error('expected the invocation to fail');
};

describe('the function runtime with an invocation fault source', () => {
  let runtime: FunctionRuntime | undefined;
  const start = (invocationFaults: InvocationFaultSource) => {
    runtime = createFunctionRuntime({ functions: [COUNTER], environment: localServiceEnvironment({}), logSink: memoryLogSink(), invocationFaults });
    return runtime;
  };

  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it('fails the invocation without running the handler for a fault before the handler', async () => {
    // Prepare
    const functions = start(once({ kind: 'failBeforeHandler', name: 'lambda.throttled', error: new FunctionError('Lambda.TooManyRequestsException', 'Rate Exceeded.') }));

    // Act
    const error = await rejectionOf(functions.invoke('Counter', {}));
    const next = (await functions.invoke('Counter', {})) as CounterAnswer;

    // Assess
    expect(error.errorType).toBe('Lambda.TooManyRequestsException');
    expect(next.invocations).toBe(1);
  });

  it('runs the handler, then fails the invocation for a fault after the handler', async () => {
    // Prepare
    const functions = start(once({ kind: 'failAfterHandler', name: 'lambda.answerLost', error: new FunctionError('Lambda.ServiceException', 'lost') }));

    // Act
    const error = await rejectionOf(functions.invoke('Counter', {}));
    const next = (await functions.invoke('Counter', {})) as CounterAnswer;

    // Assess
    expect(error.errorType).toBe('Lambda.ServiceException');
    expect(next.invocations).toBe(2);
  });

  it('runs the handler twice at once for a duplicate and answers once', async () => {
    // Prepare
    const functions = start(once({ kind: 'runTwice', name: 'lambda.concurrentDuplicate' }));

    // Act
    const answer = (await functions.invoke('Counter', { waitMs: 100 })) as CounterAnswer;
    const next = (await functions.invoke('Counter', {})) as CounterAnswer;

    // Assess
    expect(answer.maxInFlight).toBe(2);
    expect(next.invocations).toBe(3);
  });

  it('holds the answer of a late invocation until its time while the handler runs', async () => {
    // Prepare
    const answerAt = Date.now() + 300;
    const functions = start(once({ kind: 'answerLate', name: 'lambda.slowerThanTaskTimeout', startDelayMs: 100, answerAt }));

    // Act
    const answer = (await functions.invoke('Counter', {})) as CounterAnswer;
    const answeredAt = Date.now();

    // Assess
    expect(answer.invocations).toBe(1);
    expect(answeredAt).toBeGreaterThanOrEqual(answerAt);
  });
});
