import { DescribeReplayCommand, EventBridgeClient, ListRulesCommand, StartReplayCommand, type Rule } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '#tools/replay';
import { bufferedIo, writeRuntimeFile } from './ops/support.ts';

const eventBridge = mockClient(EventBridgeClient);

const RULES: Rule[] = [
  { Name: 'purchase-status', Arn: 'arn:aws:events:us-east-1:000000000000:rule/ticketing-bus/purchase-status', EventPattern: '{"source":["ticketing.orders"]}', State: 'ENABLED' },
  { Name: 'seat-availability', Arn: 'arn:aws:events:us-east-1:000000000000:rule/ticketing-bus/seat-availability', EventPattern: '{"detail-type":["SeatsReleased.v1"]}', State: 'ENABLED' },
];

beforeEach(() => eventBridge.reset());

test.each([
  ['no window', []],
  ['no --to', ['--from', '1h']],
  ['a time that is not one', ['--from', 'last week', '--to', 'now']],
  ['a window that ends before it starts', ['--from', '1h', '--to', '2h']],
  ['a window ending in the future', ['--from', '1h', '--to', '2999-01-01T00:00:00Z']],
  ['a bad timeout', ['--from', '1h', '--to', 'now', '--timeout', 'soon']],
  ['an unknown flag', ['--from', '1h', '--to', 'now', '--force']],
])('%s is a usage error that replays nothing', async (_case, argv) => {
  const out = bufferedIo();

  await expect(main(argv, out.io)).resolves.toBe(2);
  expect(out.stderr()).toContain('Usage: npm run replay');
  expect(eventBridge.calls()).toHaveLength(0);
});

test('--dry-run prints the archive, the window and the rules, and starts no replay', async () => {
  eventBridge.on(ListRulesCommand).resolves({ Rules: RULES });
  const out = bufferedIo();

  const code = await main(['--from', '2026-01-10T12:00:00Z', '--to', '2026-01-10T13:00:00Z', '--detail-type', 'SeatsReleased.v1', '--dry-run', '--runtime-file', writeRuntimeFile()], out.io);

  expect(code).toBe(0);
  expect(eventBridge.commandCalls(StartReplayCommand)).toHaveLength(0);
  expect(out.stdout()).toContain('Dry run: nothing is replayed');
  expect(out.stdout()).toContain('archive ticketing-archive');
  expect(out.stdout()).toContain('2026-01-10T12:00:00.000Z to 2026-01-10T13:00:00.000Z');
  expect(out.stdout()).toMatch(/seat-availability\n/);
  expect(out.stdout()).toMatch(/purchase-status: its pattern has no detail-type filter/);
});

test('a replay gets a unique name, runs to completion and ends with a summary', async () => {
  eventBridge.on(ListRulesCommand).resolves({ Rules: RULES });
  eventBridge.on(StartReplayCommand).resolves({ State: 'STARTING' });
  eventBridge.on(DescribeReplayCommand).resolves({ State: 'COMPLETED', EventLastReplayedTime: new Date('2026-01-10T12:59:00Z') });
  const runtimeFile = writeRuntimeFile();

  const first = bufferedIo();
  await expect(main(['--from', '2026-01-10T12:00:00Z', '--to', '2026-01-10T13:00:00Z', '--runtime-file', runtimeFile], first.io)).resolves.toBe(0);
  await expect(main(['--from', '2026-01-10T12:00:00Z', '--to', '2026-01-10T13:00:00Z', '--runtime-file', runtimeFile], bufferedIo().io)).resolves.toBe(0);

  const names = eventBridge.commandCalls(StartReplayCommand).map((call) => call.args[0].input.ReplayName);
  expect(new Set(names).size).toBe(2);
  expect(first.stdout()).toMatch(/COMPLETED {2}last replayed event 12:59:00 UTC/);
  expect(first.stdout()).toMatch(/^replay ops-replay-\S+ COMPLETED in .*: 2026-01-10T12:00:00.000Z to 2026-01-10T13:00:00.000Z into purchase-status, seat-availability$/m);
});

test('a replay that fails exits 1 with its reason', async () => {
  eventBridge.on(ListRulesCommand).resolves({ Rules: RULES });
  eventBridge.on(StartReplayCommand).resolves({ State: 'STARTING' });
  eventBridge.on(DescribeReplayCommand).resolves({ State: 'FAILED', StateReason: 'no permission' });
  const out = bufferedIo();

  await expect(main(['--from', '1h', '--to', 'now', '--runtime-file', writeRuntimeFile()], out.io)).resolves.toBe(1);
  expect(out.stdout()).toContain('FAILED (no permission)');
});
