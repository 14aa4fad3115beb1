import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createSfnExecutions, executionArnOf } from '#tools/ops/sfn-executions';
import { loadHistory } from './history-fixtures.ts';
import { STATE_MACHINE_ARN } from './support.ts';

const sfn = mockClient(SFNClient);
const port = () => createSfnExecutions(new SFNClient({ region: 'us-east-1' }), STATE_MACHINE_ARN);
const PURCHASE_ID = '5d2e8a90-7c41-4b0e-8f3a-61e0c4b9d2f7';
const EXECUTION_ARN = `arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:${PURCHASE_ID}`;

const listed = (name: string, startDate: string, status: ExecutionStatus = 'SUCCEEDED') => ({
  executionArn: `arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:${name}`,
  stateMachineArn: STATE_MACHINE_ARN,
  name,
  status,
  startDate: new Date(startDate),
});

beforeEach(() => sfn.reset());

test('the execution of a purchase is the state machine ARN with :execution: and the purchaseId', () => {
  expect(executionArnOf(STATE_MACHINE_ARN, PURCHASE_ID)).toBe(EXECUTION_ARN);
});

test('describe reads the execution named after the purchase', async () => {
  sfn.on(DescribeExecutionCommand).resolves({ ...listed(PURCHASE_ID, '2026-11-26T12:03:00Z', 'FAILED'), error: 'DependencyUnavailable', redriveStatus: 'REDRIVABLE' });

  const details = await port().describe(PURCHASE_ID);

  expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({ executionArn: EXECUTION_ARN });
  expect(details).toMatchObject({ name: PURCHASE_ID, status: 'FAILED', error: 'DependencyUnavailable', redriveStatus: 'REDRIVABLE' });
});

test('describe keeps the output of a succeeded execution: it names the outcome', async () => {
  const output = JSON.stringify({ outcome: 'FAILED', reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' });
  sfn.on(DescribeExecutionCommand).resolves({ ...listed(PURCHASE_ID, '2026-11-26T12:03:00Z', 'SUCCEEDED'), output });

  const details = await port().describe(PURCHASE_ID);

  expect(details).toMatchObject({ status: 'SUCCEEDED', output });
});

test('describe of an execution that does not exist is undefined', async () => {
  sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));

  await expect(port().describe(PURCHASE_ID)).resolves.toBeUndefined();
});

test('history reads every page', async () => {
  const events = loadHistory('paymentDeclined');
  sfn
    .on(GetExecutionHistoryCommand)
    .callsFakeOnce(() => ({ events: events.slice(0, 10), nextToken: 'page-2' }))
    .callsFakeOnce(() => ({ events: events.slice(10) }));

  const history = await port().history(PURCHASE_ID);

  expect(history).toHaveLength(events.length);
  expect(sfn.commandCalls(GetExecutionHistoryCommand).map((call) => call.args[0].input.nextToken)).toEqual([undefined, 'page-2']);
});

test('list keeps only executions started since the given time and stops paging past it', async () => {
  sfn
    .on(ListExecutionsCommand)
    .resolvesOnce({ executions: [listed('purchase-new-1', '2026-11-26T12:10:00Z'), listed('purchase-old-1', '2026-11-26T11:00:00Z')], nextToken: 'more' })
    .resolves({ executions: [listed('purchase-old-2', '2026-11-26T10:00:00Z')] });

  const executions = await port().list({ since: new Date('2026-11-26T12:00:00Z'), limit: 50 });

  expect(executions.map((e) => e.name)).toEqual(['purchase-new-1']);
  expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(1);
});

test('list passes the status filter and returns at most the limit, newest first', async () => {
  sfn.on(ListExecutionsCommand).resolves({
    executions: [listed('purchase-b', '2026-11-26T12:01:00Z', 'FAILED'), listed('purchase-c', '2026-11-26T12:02:00Z', 'FAILED'), listed('purchase-a', '2026-11-26T12:00:00Z', 'FAILED')],
  });

  const executions = await port().list({ status: 'FAILED', limit: 2 });

  expect(sfn.commandCalls(ListExecutionsCommand)[0]?.args[0].input).toMatchObject({ statusFilter: 'FAILED', maxResults: 2 });
  expect(executions.map((e) => e.name)).toEqual(['purchase-c', 'purchase-b']);
});

test('redrive sends the client token that makes a repeated call idempotent', async () => {
  sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-26T13:00:00Z') });

  const result = await port().redrive(PURCHASE_ID, 'ops-redrive-1');

  expect(sfn.commandCalls(RedriveExecutionCommand)[0]?.args[0].input).toEqual({ executionArn: EXECUTION_ARN, clientToken: 'ops-redrive-1' });
  expect(result.redrivenAt).toEqual(new Date('2026-11-26T13:00:00Z'));
});
