import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
} from '@aws-sdk/client-sfn';
import { FunctionError, type FunctionInvoker } from '#local/ports';
import { LocalStepFunctions } from '#local/stepfunctions/local-step-functions';
import { startStepFunctionsServer, type StepFunctionsServer } from '#local/stepfunctions/server';
import { MemoryExecutionStore } from '#local/stepfunctions/store';
import { eventually } from '#test/support/eventually';

/**
 * The Step Functions facade through the real @aws-sdk/client-sfn on a random
 * port: what the AWS CLI and any SDK-based tool see of the local runtime.
 */

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga';

const definition = {
  StartAt: 'ChargePayment',
  TimeoutSeconds: 60,
  States: {
    ChargePayment: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'ChargePayment', 'Payload.$': '$' },
      ResultSelector: { 'chargeId.$': '$.Payload.chargeId' },
      ResultPath: '$.charge',
      Next: 'Charged',
    },
    Charged: { Type: 'Succeed' },
  },
};

/** ChargePayment: approves, fails while `failing` holds, or waits while `holding` holds, by the token in its input. */
const paymentProvider = () => {
  const state = { failingTokens: new Set<string>(), releaseHeld: (): void => undefined };
  const held = new Promise<void>((resolve) => (state.releaseHeld = resolve));
  const invoker: FunctionInvoker = {
    invoke: async (_functionName, event) => {
      const token = typeof event === 'object' && event !== null && 'token' in event ? String(event.token) : '';
      if (token === 'hold') await held;
      if (state.failingTokens.has(token)) throw new FunctionError('PaymentProviderUnavailable', 'provider down');
      return { chargeId: `ch-${token}` };
    },
  };
  return { invoker, state };
};

describe('Step Functions API through @aws-sdk/client-sfn', () => {
  let server: StepFunctionsServer;
  let stepFunctions: LocalStepFunctions;
  let client: SFNClient;
  const provider = paymentProvider();

  beforeAll(async () => {
    stepFunctions = new LocalStepFunctions({ store: new MemoryExecutionStore(), invoker: provider.invoker });
    stepFunctions.registerStateMachine({ arn: STATE_MACHINE_ARN, definition });
    server = await startStepFunctionsServer({ stepFunctions });
    client = new SFNClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });

  afterAll(async () => {
    provider.state.releaseHeld();
    client.destroy();
    await stepFunctions.close();
    await server.stop();
  });

  const start = (name: string, token: string) =>
    client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name, input: JSON.stringify({ token }) }));

  const closed = (executionArn: string) =>
    eventually(
      () => client.send(new DescribeExecutionCommand({ executionArn })),
      (execution) => execution.status !== 'RUNNING',
      { what: `${executionArn} to close`, timeoutMs: 10_000 },
    );

  it('describes a finished execution with its output, dates and redrive status', async () => {
    // Prepare
    const { executionArn } = await start('describe-1', 'approve');

    // Act
    const execution = await closed(executionArn!);

    // Assess
    expect(execution).toMatchObject({
      executionArn,
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'describe-1',
      status: 'SUCCEEDED',
      input: '{"token":"approve"}',
      output: JSON.stringify({ token: 'approve', charge: { chargeId: 'ch-approve' } }),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    });
    expect(execution.startDate).toBeInstanceOf(Date);
    expect(execution.stopDate!.getTime()).toBeGreaterThanOrEqual(execution.startDate!.getTime());
  });

  it('lists executions most recent first, page by page, filtered by status', async () => {
    // Prepare
    provider.state.failingTokens.add('list-fail');
    const names = ['list-1', 'list-2', 'list-3'];
    for (const name of names) await closed((await start(name, name)).executionArn!);
    await closed((await start('list-4', 'list-fail')).executionArn!);

    // Act
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListExecutionsCommand({ stateMachineArn: STATE_MACHINE_ARN, maxResults: 2, nextToken }));
      expect(page.executions!.length).toBeLessThanOrEqual(2);
      seen.push(...page.executions!.map((execution) => execution.name!));
      nextToken = page.nextToken;
    } while (nextToken);
    const failed = await client.send(new ListExecutionsCommand({ stateMachineArn: STATE_MACHINE_ARN, statusFilter: 'FAILED' }));

    // Assess
    expect(seen.filter((name) => name.startsWith('list-'))).toEqual(['list-4', 'list-3', 'list-2', 'list-1']);
    expect(new Set(seen).size).toBe(seen.length);
    expect(failed.executions!.map((execution) => execution.name)).toEqual(['list-4']);
  });

  it('returns the history in AWS event format, forwards, backwards and page by page', async () => {
    // Prepare
    const { executionArn } = await start('history-1', 'approve');
    await closed(executionArn!);

    // Act
    const all = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    const reversed = await client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));
    const firstPage = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3 }));
    const secondPage = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, nextToken: firstPage.nextToken }));
    const withoutData = await client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));

    // Assess
    const events = all.events!;
    expect(events.map((event) => event.type)).toEqual([
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
    expect(events.map((event) => [event.id, event.previousEventId])).toEqual(events.map((_, index) => [index + 1, index]));
    expect(events[0]!.timestamp).toBeInstanceOf(Date);
    expect(events[2]!.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', region: 'us-east-1' });
    expect(JSON.parse(events[4]!.taskSucceededEventDetails!.output!)).toMatchObject({ Payload: { chargeId: 'ch-approve' }, StatusCode: 200 });
    expect(reversed.events!.map((event) => event.id)).toEqual(events.map((event) => event.id).reverse());
    expect([...firstPage.events!, ...secondPage.events!].map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(withoutData.events![0]!.executionStartedEventDetails!.input).toBeUndefined();
  });

  it('starts an execution once per name: same input again is the same execution, another input is ExecutionAlreadyExists', async () => {
    // Prepare
    const first = await start('idempotent-1', 'hold');

    // Act
    const again = await start('idempotent-1', 'hold');
    const conflicting = start('idempotent-1', 'approve');

    // Assess
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(conflicting).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await client.send(new StopExecutionCommand({ executionArn: first.executionArn, error: 'Test', cause: 'done' }));
  });

  it('redrives a failed execution from its failed state and counts the redrive', async () => {
    // Prepare
    provider.state.failingTokens.add('redrive');
    const { executionArn } = await start('redrive-1', 'redrive');
    expect((await closed(executionArn!)).status).toBe('FAILED');
    provider.state.failingTokens.delete('redrive');

    // Act
    const { redriveDate } = await client.send(new RedriveExecutionCommand({ executionArn }));
    const execution = await closed(executionArn!);

    // Assess
    expect(redriveDate).toBeInstanceOf(Date);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((event) => event.type)).toContain('ExecutionRedriven');
  });

  it('stops a running execution as ABORTED with the error and cause given', async () => {
    // Prepare
    const { executionArn } = await start('stop-1', 'hold');

    // Act
    const { stopDate } = await client.send(new StopExecutionCommand({ executionArn, error: 'Support', cause: 'duplicate purchase' }));

    // Assess
    expect(stopDate).toBeInstanceOf(Date);
    expect(await client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'ABORTED',
      error: 'Support',
      cause: 'duplicate purchase',
    });
  });

  it('describes and lists the state machine', async () => {
    // Act
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: STATE_MACHINE_ARN }));
    const listed = await client.send(new ListStateMachinesCommand({}));

    // Assess
    expect(described).toMatchObject({ name: 'PurchaseSaga', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(described.definition!)).toEqual(definition);
    expect(listed.stateMachines!.map((machine) => machine.stateMachineArn)).toEqual([STATE_MACHINE_ARN]);
  });

  it.each([
    [
      'ExecutionDoesNotExist',
      () => client.send(new DescribeExecutionCommand({ executionArn: `${STATE_MACHINE_ARN.replace('stateMachine', 'execution')}:nobody` })),
      ExecutionDoesNotExist,
    ],
    ['InvalidArn', () => client.send(new DescribeExecutionCommand({ executionArn: 'arn:nope' })), InvalidArn],
    ['TaskDoesNotExist', () => client.send(new SendTaskSuccessCommand({ taskToken: 'token', output: '{}' })), TaskDoesNotExist],
  ])('raises the SDK exception %s', async (_name, send, exception) => {
    // Act
    const sending = send();

    // Assess
    await expect(sending).rejects.toBeInstanceOf(exception);
  });

  it.each([
    ['an unknown operation', 'AWSStepFunctions.CreateActivity', '{}', 'UnknownOperationException'],
    ['a body that is not JSON', 'AWSStepFunctions.ListExecutions', '{nope', 'SerializationException'],
    ['a missing required field', 'AWSStepFunctions.DescribeExecution', '{}', 'ValidationException'],
  ])('answers %s with a 400 naming the exception in __type', async (_case, target, body, type) => {
    // Act
    const response = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target },
      body,
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: type, message: expect.any(String) });
  });
});
