import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '#tools/executions';
import { bufferedIo, writeRuntimeFile } from './ops/support.ts';

const sfn = mockClient(SFNClient);

beforeEach(() => sfn.reset());

test.each([
  ['an unknown status', ['--status', 'BROKEN']],
  ['a time that is not one', ['--since', 'yesterday']],
  ['a time in the future', ['--since', '2999-01-01T00:00:00Z']],
  ['a limit of 0', ['--limit', '0']],
  ['a limit that is not a number', ['--limit', 'ten']],
  ['a positional argument', ['FAILED']],
  ['an unknown flag', ['--sort', 'asc']],
])('%s is a usage error', async (_case, argv) => {
  const out = bufferedIo();

  await expect(main(argv, out.io)).resolves.toBe(2);
  expect(out.stderr()).toContain('Usage: npm run executions');
  expect(sfn.calls()).toHaveLength(0);
});

const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga';
const listed = (name: string, status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED', startedMsAgo: number) => ({
  executionArn: `arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:${name}`,
  stateMachineArn: MACHINE,
  name,
  status,
  startDate: new Date(Date.now() - startedMsAgo),
  stopDate: new Date(Date.now() - startedMsAgo + 1_200),
});

test('lists the executions of the given status since the given time, one line each, with the outcome of each', async () => {
  const confirmed = listed('purchase-ok-0001', 'SUCCEEDED', 60_000);
  const rejected = listed('purchase-no-0001', 'SUCCEEDED', 30_000);
  sfn.on(ListExecutionsCommand).resolves({ executions: [rejected, confirmed] });
  sfn.on(DescribeExecutionCommand, { executionArn: confirmed.executionArn }).resolves({ ...confirmed, output: JSON.stringify({ outcome: 'CONFIRMED', invoiceId: 'INV-1' }) });
  sfn.on(DescribeExecutionCommand, { executionArn: rejected.executionArn }).resolves({
    ...rejected,
    output: JSON.stringify({ outcome: 'FAILED', reason: 'SEATS_UNAVAILABLE', failedStep: 'ReserveSeats' }),
  });
  const out = bufferedIo();

  const code = await main(['--status', 'SUCCEEDED', '--since', '1h', '--runtime-file', writeRuntimeFile()], out.io);

  expect(code).toBe(0);
  expect(sfn.commandCalls(ListExecutionsCommand)[0]?.args[0].input).toMatchObject({ statusFilter: 'SUCCEEDED', maxResults: 50 });
  expect(out.stdout()).toMatch(/^purchase-ok-0001 +SUCCEEDED +CONFIRMED +\S+ +1\.2 s +-$/m);
  expect(out.stdout()).toMatch(/^purchase-no-0001 +SUCCEEDED +FAILED SEATS_UNAVAILABLE +\S+ +1\.2 s +ReserveSeats$/m);
});

test('--status NEEDS_A_PERSON lists FAILED, TIMED_OUT and ABORTED executions together', async () => {
  sfn.on(ListExecutionsCommand, { statusFilter: 'FAILED' }).resolves({ executions: [listed('purchase-f-0001', 'FAILED', 10_000)] });
  sfn.on(ListExecutionsCommand, { statusFilter: 'TIMED_OUT' }).resolves({ executions: [listed('purchase-t-0001', 'TIMED_OUT', 20_000)] });
  sfn.on(ListExecutionsCommand, { statusFilter: 'ABORTED' }).resolves({ executions: [listed('purchase-a-0001', 'ABORTED', 30_000)] });
  sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
  const out = bufferedIo();

  const code = await main(['--status', 'NEEDS_A_PERSON', '--runtime-file', writeRuntimeFile()], out.io);

  expect(code).toBe(0);
  expect(sfn.commandCalls(ListExecutionsCommand).map((call) => call.args[0].input.statusFilter)).toEqual(['FAILED', 'TIMED_OUT', 'ABORTED']);
  expect(out.stdout().trimEnd().split('\n').slice(1).map((line) => line.split(/ +/).slice(0, 5).join(' '))).toEqual([
    'purchase-f-0001 FAILED NEEDS A PERSON',
    'purchase-t-0001 TIMED_OUT NEEDS A PERSON',
    'purchase-a-0001 ABORTED NEEDS A PERSON',
  ]);
});
