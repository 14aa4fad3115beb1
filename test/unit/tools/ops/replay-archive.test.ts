import { CommandFailedError } from '#tools/lib/command-line';
import type { Clock, ReplayPort, ReplayStatus, RuleInfo } from '#tools/ops/ports';
import { planReplay, runReplay, type ReplayPlan } from '#tools/ops/replay-archive';
import { LOCAL_OUTPUTS } from './support.ts';

const FROM = new Date('2026-11-26T12:00:00Z');
const TO = new Date('2026-11-26T13:00:00Z');

const rule = (name: string, pattern: unknown, extra: Partial<RuleInfo> = {}): RuleInfo => ({
  name,
  arn: `arn:aws:events:us-east-1:000000000000:rule/ticketing-bus/${name}`,
  eventPattern: JSON.stringify(pattern),
  state: 'ENABLED',
  ...extra,
});

const RULES = [
  rule('purchase-status', { source: ['ticketing.orders', 'ticketing.inventory'] }),
  rule('seat-availability', { 'detail-type': ['SeatsReserved.v1', 'SeatsReleased.v1', 'PurchaseConfirmed.v1'] }),
  rule('Events-Archive-ticketing-archive', { 'event-bus': ['ticketing-bus'] }, { managedBy: 'events.amazonaws.com' }),
];

const fakeReplays = (rules: RuleInfo[], statuses: ReplayStatus[] = []) => {
  const started: unknown[] = [];
  const queue = [...statuses];
  const port: ReplayPort = {
    listRules: async () => rules,
    startReplay: async (request) => {
      started.push(request);
    },
    describeReplay: async () => queue.shift() ?? { state: 'RUNNING' },
  };
  return { port, started };
};

/** Time moves only when the code under test sleeps. */
const fakeClock = () => {
  let now = Date.parse('2026-11-26T14:00:00Z');
  const clock: Clock = { now: () => new Date(now), sleep: async (ms) => void (now += ms) };
  return clock;
};

test('without --detail-type every rule of the bus receives the replay, except the archive rule EventBridge manages', async () => {
  const plan = await planReplay({ replays: fakeReplays(RULES).port }, LOCAL_OUTPUTS, { from: FROM, to: TO }, 'replay-1');

  expect(plan.rules.map((r) => r.name)).toEqual(['purchase-status', 'seat-availability']);
  expect(plan.skipped).toEqual([{ name: 'Events-Archive-ticketing-archive', reason: 'managed by events.amazonaws.com' }]);
});

test('with --detail-type only the rules whose pattern selects it receive the replay, and the others say why not', async () => {
  const plan = await planReplay({ replays: fakeReplays(RULES).port }, LOCAL_OUTPUTS, { from: FROM, to: TO, detailType: 'SeatsReleased.v1' }, 'replay-1');

  expect(plan.rules.map((r) => r.name)).toEqual(['seat-availability']);
  expect(plan.skipped.map((s) => s.name)).toEqual(['purchase-status', 'Events-Archive-ticketing-archive']);
  expect(plan.skipped[0]?.reason).toMatch(/no detail-type filter/);
});

test('the plan replays the archive into its bus', async () => {
  const plan = await planReplay({ replays: fakeReplays(RULES).port }, LOCAL_OUTPUTS, { from: FROM, to: TO }, 'replay-1');

  expect(plan).toMatchObject({
    archiveArn: 'arn:aws:events:us-east-1:000000000000:archive/ticketing-archive',
    busArn: 'arn:aws:events:us-east-1:000000000000:event-bus/ticketing-bus',
    from: FROM,
    to: TO,
  });
});

test('a detail-type no rule selects fails without starting anything', async () => {
  const replays = fakeReplays(RULES);

  await expect(planReplay({ replays: replays.port }, LOCAL_OUTPUTS, { from: FROM, to: TO, detailType: 'Nope.v1' }, 'replay-1')).rejects.toThrow(CommandFailedError);
  expect(replays.started).toHaveLength(0);
});

test('where the archive is readable the plan counts the events of the window', async () => {
  const archive = { location: 'x', eventsOfPurchase: async () => [], countBetween: async () => 42 };

  const plan = await planReplay({ replays: fakeReplays(RULES).port, archive }, LOCAL_OUTPUTS, { from: FROM, to: TO }, 'replay-1');

  expect(plan.eventsInWindow).toBe(42);
});

const planOf = async (replays: ReplayPort): Promise<ReplayPlan> => planReplay({ replays }, LOCAL_OUTPUTS, { from: FROM, to: TO }, 'replay-1');

test('the replay starts with the planned rules and reports each change of state until it completes', async () => {
  const replays = fakeReplays(RULES, [
    { state: 'STARTING' },
    { state: 'RUNNING', lastReplayedAt: new Date('2026-11-26T12:10:00Z') },
    { state: 'RUNNING', lastReplayedAt: new Date('2026-11-26T12:10:00Z') },
    { state: 'COMPLETED', lastReplayedAt: new Date('2026-11-26T12:59:00Z') },
  ]);
  const progress: string[] = [];

  const result = await runReplay(replays.port, await planOf(replays.port), {
    clock: fakeClock(),
    timeoutMs: 60_000,
    pollMs: 1_000,
    onProgress: (status) => progress.push(status.state),
  });

  expect(replays.started).toEqual([expect.objectContaining({ name: 'replay-1', ruleArns: [RULES[0]?.arn, RULES[1]?.arn] })]);
  expect(progress).toEqual(['STARTING', 'RUNNING', 'COMPLETED']);
  expect(result).toMatchObject({ state: 'COMPLETED', timedOut: false, durationMs: 3_000 });
});

test('polling stops at the deadline and says the replay goes on', async () => {
  const replays = fakeReplays(RULES);

  const result = await runReplay(replays.port, await planOf(replays.port), { clock: fakeClock(), timeoutMs: 5_000, pollMs: 1_000, onProgress: () => undefined });

  expect(result).toMatchObject({ state: 'RUNNING', timedOut: true, durationMs: 5_000 });
});

test('a failed replay ends the polling with its reason', async () => {
  const replays = fakeReplays(RULES, [{ state: 'FAILED', stateReason: 'archive not found' }]);

  const result = await runReplay(replays.port, await planOf(replays.port), { clock: fakeClock(), timeoutMs: 5_000, pollMs: 1_000, onProgress: () => undefined });

  expect(result).toMatchObject({ state: 'FAILED', stateReason: 'archive not found', timedOut: false });
});
