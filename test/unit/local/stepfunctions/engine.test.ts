import type { EventPutter, FunctionInvoker } from '#local/ports';
import { CompiledStateMachine, type EngineOptions, type RunStart } from '#local/stepfunctions/engine';
import type { HistoryEvent } from '#local/stepfunctions/history-events';
import { HistoryLog } from '#local/stepfunctions/history-log';
import { StateMachineDefinitionError } from '#local/stepfunctions/task-errors';
import { eventually } from '#test/support/eventually';
import { failingTimes, fakeInvoker, namedError } from './fakes.ts';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Orders';
const EXECUTION_ARN = 'arn:aws:states:us-east-1:000000000000:execution:Orders:order-1';

const lambdaTask = (functionName: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionName, 'Payload.$': '$' },
  ...extra,
});

const oneTaskMachine = (task: Record<string, unknown>, extraStates: Record<string, unknown> = {}) => ({
  StartAt: 'Work',
  States: { Work: { ...task, Next: 'Done' }, Done: { Type: 'Succeed' }, ...extraStates },
});

const compile = (definition: unknown, options: EngineOptions) =>
  CompiledStateMachine.compile({ stateMachineArn: STATE_MACHINE_ARN, definition }, options);

const run = (machine: CompiledStateMachine, input: unknown = { orderId: 'o-1' }, start: RunStart = { kind: 'start' }, history = new HistoryLog([])) => {
  const execution = machine.run({
    executionArn: EXECUTION_ARN,
    executionName: 'order-1',
    input: JSON.parse(JSON.stringify(input)),
    redriveCount: start.kind === 'redrive' ? 1 : 0,
    history,
    start,
  });
  return { execution, history };
};

const typesOf = (events: readonly HistoryEvent[]) => events.map((event) => event.type);

describe('CompiledStateMachine', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  describe('lambda:invoke tasks', () => {
    it('passes Parameters.Payload to the function and wraps its result as the Invoke response', async () => {
      // Prepare
      const { invoker, calls } = fakeInvoker({ Charge: async () => ({ chargeId: 'ch-1' }) });
      const machine = compile(oneTaskMachine(lambdaTask('Charge', { ResultSelector: { 'chargeId.$': '$.Payload.chargeId', 'status.$': '$.StatusCode' } })), { invoker });

      // Act
      const outcome = await run(machine).execution.outcome;

      // Assess
      expect(calls).toEqual([{ functionName: 'Charge', event: { orderId: 'o-1' } }]);
      expect(outcome).toEqual({ status: 'SUCCEEDED', output: JSON.stringify({ chargeId: 'ch-1', status: 200 }) });
    });

    it('records the history of a successful run in AWS order with consecutive ids', async () => {
      // Prepare
      const { invoker } = fakeInvoker({ Charge: async () => ({ chargeId: 'ch-1' }) });
      const machine = compile(oneTaskMachine(lambdaTask('Charge', { TimeoutSeconds: 30 })), { invoker });

      // Act
      const { execution, history } = run(machine);
      await execution.outcome;

      // Assess
      expect(typesOf(history.events)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSucceeded',
        'TaskStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ]);
      expect(history.events.map(({ id, previousEventId }) => [id, previousEventId])).toEqual(history.events.map((_, index) => [index + 1, index]));
      expect(history.events[2]?.taskScheduledEventDetails).toEqual({
        resourceType: 'lambda',
        resource: 'invoke',
        region: 'us-east-1',
        parameters: JSON.stringify({ FunctionName: 'Charge', Payload: { orderId: 'o-1' } }),
        timeoutInSeconds: 30,
      });
      expect(history.events[1]?.stateEnteredEventDetails).toEqual({ name: 'Work', input: '{"orderId":"o-1"}', inputDetails: { truncated: false } });
    });

    it('retries a named error: a TaskFailed, then a new TaskScheduled in the same state', async () => {
      // Prepare
      const { invoker, calls } = fakeInvoker({ Charge: failingTimes(1, () => namedError('ProviderUnavailable', 'try later'), { ok: true }) });
      const retry = [{ ErrorEquals: ['ProviderUnavailable'], IntervalSeconds: 1, MaxAttempts: 2 }];
      const machine = compile(oneTaskMachine(lambdaTask('Charge', { Retry: retry })), { invoker, retryDelayScale: 0.001 });

      // Act
      const { execution, history } = run(machine);
      const outcome = await execution.outcome;

      // Assess
      expect(outcome.status).toBe('SUCCEEDED');
      expect(calls).toHaveLength(2);
      expect(typesOf(history.events).slice(1, 9)).toEqual([
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskFailed',
        'TaskScheduled',
        'TaskStarted',
        'TaskSucceeded',
        'TaskStateExited',
      ]);
    });

    it('reports a function error with its errorType as the error and the Lambda error JSON as the cause', async () => {
      // Prepare
      const { invoker } = fakeInvoker({ Charge: async () => Promise.reject(namedError('PaymentDeclined', 'card declined')) });
      const machine = compile(oneTaskMachine(lambdaTask('Charge')), { invoker });

      // Act
      const { execution, history } = run(machine);
      const outcome = await execution.outcome;

      // Assess
      const cause = JSON.stringify({ errorType: 'PaymentDeclined', errorMessage: 'card declined', trace: ['at fake'] });
      expect(history.events.find((event) => event.type === 'TaskFailed')?.taskFailedEventDetails).toEqual({
        resourceType: 'lambda',
        resource: 'invoke',
        error: 'PaymentDeclined',
        cause,
      });
      expect(outcome).toEqual({ status: 'FAILED', error: 'PaymentDeclined', cause });
      expect(typesOf(history.events).at(-1)).toBe('ExecutionFailed');
    });

    it('catches an error into ResultPath and follows the catcher to a Fail state with its own Error', async () => {
      // Prepare
      const { invoker } = fakeInvoker({ Charge: async () => Promise.reject(namedError('PaymentDeclined', 'card declined')) });
      const definition = oneTaskMachine(
        lambdaTask('Charge', { Catch: [{ ErrorEquals: ['PaymentDeclined'], ResultPath: '$.chargeError', Next: 'Declined' }] }),
        { Declined: { Type: 'Fail', Error: 'PurchaseFailed' } },
      );
      const machine = compile(definition, { invoker });

      // Act
      const { execution, history } = run(machine);
      const outcome = await execution.outcome;

      // Assess
      expect(typesOf(history.events)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskFailed',
        'TaskStateExited',
        'FailStateEntered',
        'ExecutionFailed',
      ]);
      const exited = JSON.parse(String(history.events[5]?.stateExitedEventDetails?.['output']));
      expect(exited.chargeError).toEqual({
        Error: 'PaymentDeclined',
        Cause: JSON.stringify({ errorType: 'PaymentDeclined', errorMessage: 'card declined', trace: ['at fake'] }),
      });
      expect(outcome).toEqual({ status: 'FAILED', error: 'PurchaseFailed', cause: undefined });
      expect(history.events.at(-1)?.executionFailedEventDetails).toEqual({ error: 'PurchaseFailed' });
    });

    it('times a task out after its TimeoutSeconds as States.Timeout and ignores its late result', async () => {
      // Prepare
      let finishSlowCall = (): void => undefined;
      const slow = () => new Promise((resolve) => (finishSlowCall = () => resolve({ late: true })));
      const { invoker } = fakeInvoker({ Slow: slow });
      const definition = oneTaskMachine(
        lambdaTask('Slow', { TimeoutSeconds: 1, Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' }] }),
        { TimedOut: { Type: 'Fail', Error: 'TooSlow' } },
      );
      const machine = compile(definition, { invoker });

      // Act
      const { execution, history } = run(machine);
      const outcome = await execution.outcome;
      finishSlowCall();

      // Assess
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'TooSlow' });
      expect(typesOf(history.events)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskTimedOut',
        'TaskStateExited',
        'FailStateEntered',
        'ExecutionFailed',
      ]);
      expect(history.events[4]?.taskTimedOutEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke', error: 'States.Timeout' });
    });
    it("tells the function's caller deadline: when the Task's TimeoutSeconds runs out", async () => {
      // Prepare
      const deadlines: Array<number | undefined> = [];
      const invoker: FunctionInvoker = {
        invoke: async (_functionName, _event, context) => {
          deadlines.push(context?.callerDeadline);
          return {};
        },
      };
      const machine = compile(oneTaskMachine(lambdaTask('Charge', { TimeoutSeconds: 30 })), { invoker });
      const startedAt = Date.now();

      // Act
      await run(machine).execution.outcome;

      // Assess
      expect(deadlines).toHaveLength(1);
      expect(deadlines[0]).toBeGreaterThanOrEqual(startedAt + 30_000);
      expect(deadlines[0]).toBeLessThanOrEqual(Date.now() + 30_000);
    });

    it('tells no caller deadline for a Task without TimeoutSeconds', async () => {
      // Prepare
      const contexts: unknown[] = [];
      const invoker: FunctionInvoker = {
        invoke: async (_functionName, _event, context) => {
          contexts.push(context);
          return {};
        },
      };
      const machine = compile(oneTaskMachine(lambdaTask('Charge')), { invoker });

      // Act
      await run(machine).execution.outcome;

      // Assess
      expect(contexts).toEqual([{}]);
    });

    it("lets a task without TimeoutSeconds run past the library's 60 s default, as AWS does", async () => {
      // Prepare
      jest.useFakeTimers();
      const { invoker } = fakeInvoker({ Long: () => new Promise((resolve) => setTimeout(() => resolve({ done: true }), 61_000)) });
      const machine = compile(oneTaskMachine(lambdaTask('Long')), { invoker });

      // Act
      const { execution } = run(machine);
      await jest.advanceTimersByTimeAsync(62_000);
      const outcome = await execution.outcome;

      // Assess
      expect(outcome.status).toBe('SUCCEEDED');
    });
  });

  describe('other resources', () => {
    it('records LambdaFunction* events for a Task whose Resource is a function ARN', async () => {
      // Prepare
      const functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:Reserve';
      const { invoker, calls } = fakeInvoker({ [functionArn]: async () => ({ held: 2 }) });
      const machine = compile(oneTaskMachine({ Type: 'Task', Resource: functionArn }), { invoker });

      // Act
      const { execution, history } = run(machine);
      const outcome = await execution.outcome;

      // Assess
      expect(calls).toEqual([{ functionName: functionArn, event: { orderId: 'o-1' } }]);
      expect(outcome).toEqual({ status: 'SUCCEEDED', output: '{"held":2}' });
      expect(typesOf(history.events).slice(2, 5)).toEqual(['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded']);
      expect(history.events[2]?.lambdaFunctionScheduledEventDetails).toMatchObject({ resource: functionArn, input: '{"orderId":"o-1"}' });
    });

    it('publishes events:putEvents entries through the EventPutter with Detail serialized', async () => {
      // Prepare
      const putter: EventPutter = { putEvents: jest.fn(async () => ({ FailedEntryCount: 0 })) };
      const task = {
        Type: 'Task',
        Resource: 'arn:aws:states:::events:putEvents',
        Parameters: { Entries: [{ Source: 'orders', DetailType: 'OrderPlaced.v1', 'Detail.$': '$', EventBusName: 'bus' }] },
      };
      const machine = compile(oneTaskMachine(task), { invoker: fakeInvoker({}).invoker, eventPutter: putter });

      // Act
      const outcome = await run(machine).execution.outcome;

      // Assess
      expect(outcome.status).toBe('SUCCEEDED');
      expect(putter.putEvents).toHaveBeenCalledWith([{ Source: 'orders', DetailType: 'OrderPlaced.v1', Detail: '{"orderId":"o-1"}', EventBusName: 'bus' }]);
    });

    it('fails an events:putEvents task with EventBridge.FailedEntry when the bus rejects an entry', async () => {
      // Prepare
      const putter: EventPutter = { putEvents: async () => ({ FailedEntryCount: 1 }) };
      const task = { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [{ Source: 's', DetailType: 'd', Detail: {} }] } };
      const machine = compile(oneTaskMachine(task), { invoker: fakeInvoker({}).invoker, eventPutter: putter });

      // Act
      const outcome = await run(machine).execution.outcome;

      // Assess
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'EventBridge.FailedEntry' });
    });
  });

  describe('definitions the engine cannot run as AWS would', () => {
    it.each([
      ['a DynamoDB integration', { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't' } }, /state "Work" \(Resource arn:aws:states:::dynamodb:putItem\)/],
      ['a callback task', lambdaTask('F', { Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken' }), /waitForTaskToken integration pattern/],
      ['an SNS publish', { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: {} }, /not supported locally/],
      ['JSONata', { ...lambdaTask('F'), QueryLanguage: 'JSONata' }, /JSONata/],
      ['workflow variables', { ...lambdaTask('F'), Assign: { x: 1 } }, /field Assign/],
      ['events:putEvents with no bus wired', { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [] } }, /needs an event bus/],
    ])('rejects %s at compile time, naming the state', (_case, task, message) => {
      // Prepare
      const definition = oneTaskMachine(task);

      // Act
      const compiling = () => compile(definition, { invoker: fakeInvoker({}).invoker });

      // Assess
      expect(compiling).toThrow(StateMachineDefinitionError);
      expect(compiling).toThrow(message);
    });

    it('rejects a definition the library finds invalid', () => {
      // Prepare
      const definition = { StartAt: 'Nowhere', States: { Done: { Type: 'Succeed' } } };

      // Act
      const compiling = () => compile(definition, { invoker: fakeInvoker({}).invoker });

      // Assess
      expect(compiling).toThrow(StateMachineDefinitionError);
    });
  });

  describe('execution lifecycle', () => {
    it('times the execution out when the machine TimeoutSeconds runs out', async () => {
      // Prepare
      let finishSlowCall = (): void => undefined;
      const { invoker } = fakeInvoker({ Slow: () => new Promise((resolve) => (finishSlowCall = () => resolve({}))) });
      const machine = compile({ ...oneTaskMachine(lambdaTask('Slow')), TimeoutSeconds: 1 }, { invoker });

      // Act
      const { execution, history } = run(machine);
      const outcome = await execution.outcome;
      finishSlowCall();

      // Assess
      expect(outcome).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(typesOf(history.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'ExecutionTimedOut']);
    });

    it('aborts on stop, records ExecutionAborted with the given error and cause, and never records the late task result', async () => {
      // Prepare
      let finishSlowCall = (): void => undefined;
      const { invoker } = fakeInvoker({ Slow: () => new Promise((resolve) => (finishSlowCall = () => resolve({}))) });
      const machine = compile(oneTaskMachine(lambdaTask('Slow')), { invoker });
      const { execution, history } = run(machine);
      await eventually(() => typesOf(history.events), (types) => types.includes('TaskStarted'), { what: 'the task to start' });

      // Act
      execution.stop({ error: 'Operator', cause: 'stopped by support' });
      const outcome = await execution.outcome;
      finishSlowCall();
      await new Promise((resolve) => setImmediate(resolve));

      // Assess
      expect(outcome).toEqual({ status: 'ABORTED', error: 'Operator', cause: 'stopped by support' });
      expect(typesOf(history.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'ExecutionAborted']);
      expect(history.events.at(-1)?.executionAbortedEventDetails).toEqual({ error: 'Operator', cause: 'stopped by support' });
    });

    it('redrives from a named state with its input, appending ExecutionRedriven to the earlier history', async () => {
      // Prepare
      const { invoker, calls } = fakeInvoker({ Charge: async () => ({ ok: true }) });
      const machine = compile(oneTaskMachine(lambdaTask('Charge')), { invoker });
      const history = new HistoryLog([]);
      history.append({ type: 'ExecutionStarted', executionStartedEventDetails: { input: '{}' } });
      history.append({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'Boom' } });

      // Act
      const { execution } = run(machine, {}, { kind: 'redrive', stateName: 'Work', stateInput: { orderId: 'again' } }, history);
      const outcome = await execution.outcome;

      // Assess
      expect(outcome.status).toBe('SUCCEEDED');
      expect(calls).toEqual([{ functionName: 'Charge', event: { orderId: 'again' } }]);
      expect(typesOf(history.events).slice(0, 4)).toEqual(['ExecutionStarted', 'ExecutionFailed', 'ExecutionRedriven', 'TaskStateEntered']);
      expect(history.events[2]).toMatchObject({ id: 3, previousEventId: 2, executionRedrivenEventDetails: { redriveCount: 1 } });
    });
  });
});
