import { renderOnsaleReport } from '#tools/onsale/report';
import type { OnsaleReport } from '#tools/onsale/run-onsale';

const REPORT: OnsaleReport = {
  buyers: 10,
  accepted: 8,
  rejected: new Map([[429, 2]]),
  mix: { confirmed: 5, failedByReason: { SEATS_UNAVAILABLE: 3 }, notTerminal: 0 },
  seatsSold: 10,
  capacity: 25,
  elapsedMs: 4000,
  acceptedMs: 1500,
  dynamoDbWrites: 80,
  peakMemoryBytes: 300 * 1024 * 1024,
  invariants: [
    { invariant: 1, name: 'No seat sold twice', ok: true, detail: '10 seats, 10 holders' },
    { invariant: 2, name: 'No double charge', ok: false, detail: 'p-1 charged twice' },
  ],
};

test('the summary counts the outcomes, the rejections by status and the writes per purchase', () => {
  // Act
  const text = renderOnsaleReport(REPORT);

  // Assess
  expect(text).toContain('  accepted (202)      8  (rejected: 2 x 429)');
  expect(text).toContain('  failed              3  (SEATS_UNAVAILABLE 3)');
  expect(text).toContain('  seats sold          10 of 25');
  expect(text).toContain('  throughput          2.0 purchases/s');
  expect(text).toContain('  DynamoDB writes     80 item writes by the functions, 10.0 per purchase');
});

test('each invariant is a PASS or FAIL line with its number, name and detail', () => {
  // Act
  const lines = renderOnsaleReport(REPORT).split('\n');

  // Assess
  expect(lines).toContain('  PASS  1. No seat sold twice: 10 seats, 10 holders');
  expect(lines).toContain('  FAIL  2. No double charge: p-1 charged twice');
});

test('without a count of writes there is no writes line', () => {
  // Prepare
  const { dynamoDbWrites: _writes, ...withoutWrites } = REPORT;

  // Act
  const text = renderOnsaleReport(withoutWrites);

  // Assess
  expect(text).not.toContain('DynamoDB writes');
});

test('a run through the waiting room adds its settings, the waits and the line checks; a plain run has none of it', () => {
  // Prepare
  const throughTheLine: OnsaleReport = {
    ...REPORT,
    waitingRoom: {
      settings: { admissionsPerRun: 40, maxActiveBuyers: 4000, admissionTtlSeconds: 600, earlyPercent: 50 },
      line: { checks: [{ name: 'positions are fixed once known', ok: false, detail: 'b-1 saw 2, 3' }], preQueue: 5, afterStart: 5, overtaking: { buyers: 1, maxPositions: 3 } },
      waits: { count: 10, minMs: 1_000, p50Ms: 2_000, p90Ms: 3_000, p99Ms: 4_000, maxMs: 4_000, histogram: [{ fromMs: 1_000, toMs: 4_000, count: 10 }] },
      admissionRuns: 4,
    },
  };

  // Act
  const text = renderOnsaleReport(throughTheLine);

  // Assess
  expect(text).toContain('  on-sale             40 admissions a run, at most 4000 live, each for 10 min');
  expect(text).toContain('  line                5 joined before the start (drawn), 5 after; admitted over 4 runs');
  expect(text).toContain('1 passed an earlier joiner, by at most 3 positions');
  expect(text).toContain('  min 1.0 s  p50 2.0 s  p90 3.0 s  p99 4.0 s  max 4.0 s  (10 buyers)');
  expect(text).toContain('  FAIL  positions are fixed once known: b-1 saw 2, 3');
  expect(renderOnsaleReport(REPORT)).not.toContain('Waiting room');
});
