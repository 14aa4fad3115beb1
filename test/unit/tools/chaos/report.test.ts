import { FAULT_KINDS } from '#tools/chaos/chaos-settings';
import { faultTableOf, renderChaosReport, type ChaosReport } from '#tools/chaos/report';

test('a fault kind the runtime never injected counts 0 when the runtime keeps counts', () => {
  // Act
  const table = faultTableOf({ 'lambda.answerLost': 0.04 }, { 'lambda.answerLost': 3 });

  // Assess
  expect(table['lambda.answerLost']).toEqual({ rate: 0.04, injected: 3 });
  expect(table['sqs.duplicateDelivery']).toEqual({ rate: 0, injected: 0 });
});

test('every fault kind shows no count, rather than 0, when the runtime keeps none', () => {
  // Act
  const table = faultTableOf({ 'lambda.answerLost': 0.04 }, undefined);

  // Assess
  expect(FAULT_KINDS.filter((kind) => table[kind].injected !== null)).toEqual([]);
});

const reportWith = (deadLetters: ChaosReport['outcomes']['deadLetters']): ChaosReport => ({
  profile: 'harsh',
  seed: 11,
  startedAt: '2026-12-08T01:03:06.000Z',
  runtime: { mode: 'child' },
  planned: { purchases: 2, badRequests: 0, seats: 2 },
  faults: faultTableOf({}, {}),
  kills: [],
  outcomes: {
    accepted: 2,
    rejected: {},
    confirmed: 1,
    failedByReason: { SEATS_UNAVAILABLE: 1 },
    notTerminal: 0,
    badInput: { sent: 0, refused: 0, byKind: {} },
    executions: { SUCCEEDED: 2 },
    seatsSold: 1,
    deadLetters,
  },
  elapsedMs: 1_000,
  acceptedAfterMs: 500,
  purchasesPerSecond: 2,
  invariants: [],
  ok: true,
});

test('the report says what the run left in the dead-letter queues, and where a person starts', () => {
  // Act
  const text = renderChaosReport(reportWith({ purchaseQueue: 50, busRuleTargets: 20 }), 'report.json');

  // Assess
  expect(text).toContain("  dead letters left    purchase queue 50, the bus's rule targets 20: for a person (npm run dlq -- list; npm run replay of their window)");
});

test('the report says none when the dead-letter queues are empty', () => {
  // Act
  const text = renderChaosReport(reportWith({ purchaseQueue: 0, busRuleTargets: 0 }), 'report.json');

  // Assess
  expect(text).toContain('  dead letters left    none');
});
