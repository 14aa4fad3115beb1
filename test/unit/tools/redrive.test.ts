import { DescribeExecutionCommand, ExecutionDoesNotExist, GetExecutionHistoryCommand, ListExecutionsCommand, RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '#tools/redrive';
import { bufferedIo, writeRuntimeFile } from './ops/support.ts';

const sfn = mockClient(SFNClient);
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga';

const execution = (name: string, error: string) => ({
  executionArn: `arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:${name}`,
  stateMachineArn: MACHINE,
  name,
  status: 'FAILED' as const,
  error,
  startDate: new Date('2026-11-26T12:00:00Z'),
  stopDate: new Date('2026-11-26T12:00:05Z'),
});

beforeEach(() => sfn.reset());

test.each([
  ['neither an id nor --all-failed', []],
  ['an id and --all-failed', ['purchase-a-0001', '--all-failed']],
  ['a malformed id', ['a b']],
  ['an unknown flag', ['purchase-a-0001', '--force']],
])('%s is a usage error that redrives nothing', async (_case, argv) => {
  const out = bufferedIo();

  await expect(main(argv, out.io)).resolves.toBe(2);
  expect(out.stderr()).toContain('Usage: npm run redrive');
  expect(sfn.calls()).toHaveLength(0);
});

test('an unknown purchase says so and exits 1', async () => {
  sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'nope', $metadata: {} }));
  const out = bufferedIo();

  await expect(main(['purchase-a-0001', '--runtime-file', writeRuntimeFile()], out.io)).resolves.toBe(1);
  expect(out.stderr()).toContain('unknown purchase purchase-a-0001');
});

test('--all-failed redrives the technical failures, reports the skipped ones and ends with a summary', async () => {
  const failures = [execution('purchase-a-0001', 'DependencyUnavailable'), execution('purchase-b-0001', 'SomethingElse')];
  sfn.on(ListExecutionsCommand, { statusFilter: 'FAILED' }).resolves({ executions: failures });
  sfn.on(ListExecutionsCommand, { statusFilter: 'TIMED_OUT' }).resolves({ executions: [] });
  sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => failures.find((f) => f.executionArn === input.executionArn));
  sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
  sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-26T13:00:00Z') });
  const out = bufferedIo();

  const code = await main(['--all-failed', '--runtime-file', writeRuntimeFile()], out.io);

  expect(code).toBe(0);
  expect(sfn.commandCalls(RedriveExecutionCommand).map((call) => call.args[0].input.executionArn)).toEqual([failures[0]?.executionArn]);
  expect(out.stdout()).toMatch(/^redriven +purchase-a-0001 \(DependencyUnavailable\)/m);
  expect(out.stdout()).toMatch(/^skipped +purchase-b-0001: unrecognised error SomethingElse/m);
  expect(out.stdout().trimEnd().split('\n').at(-1)).toBe('redriven 1, skipped 1 (1 unrecognised), errors 0');
});

test('a rejected purchase is not redriven by id: it is SUCCEEDED and settled, exit 1', async () => {
  sfn.on(DescribeExecutionCommand).resolves({
    ...execution('purchase-c-0001', ''),
    status: 'SUCCEEDED',
    error: undefined,
    output: JSON.stringify({ outcome: 'FAILED', reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' }),
  });
  const out = bufferedIo();

  const code = await main(['purchase-c-0001', '--runtime-file', writeRuntimeFile()], out.io);

  expect(code).toBe(1);
  expect(sfn.commandCalls(RedriveExecutionCommand)).toHaveLength(0);
  expect(out.stdout()).toMatch(/^skipped +purchase-c-0001: it is SUCCEEDED \(FAILED PAYMENT_DECLINED\): the purchase is settled/m);
});
