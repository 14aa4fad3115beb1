import { burstFiguresOf } from '#tools/bench/burst';
import { largeFigures, onsaleFigures, writesPerPurchaseOf } from '#tools/bench/onsale-figures';
import type { OnsaleReport } from '#tools/onsale/run-onsale';

const REPORT: OnsaleReport = {
  buyers: 200,
  accepted: 200,
  rejected: new Map(),
  mix: { confirmed: 40, failedByReason: { SEATS_UNAVAILABLE: 160 }, notTerminal: 0 },
  seatsSold: 90,
  capacity: 100,
  elapsedMs: 20_000,
  acceptedMs: 5_000,
  dynamoDbWrites: 2_000,
  peakMemoryBytes: 1_024 * 1024 * 1024,
  invariants: [],
};

const BOUND = { levels: [{ concurrency: 10, writesPerSecond: 150 }, { concurrency: 25, writesPerSecond: 200 }], writesPerSecond: 200, concurrency: 25, secondsPerLevel: 3 };

test('the on-sale throughput is judged as a share of the write bound over the writes per purchase', () => {
  // Act
  const throughput = onsaleFigures(REPORT, BOUND, 25).find((f) => f.id === 'onsale.throughput');

  // Assess: 10 writes per purchase and 200 writes/s allow 20 purchases/s; 10/s is half of it.
  expect(writesPerPurchaseOf(REPORT)).toBe(10);
  expect(throughput).toMatchObject({ value: 10, reference: { value: 20 }, target: { op: '>=', ratio: 0.5 } });
});

test('each concurrency the bound was measured at is a figure of its own', () => {
  // Act
  const ids = onsaleFigures(REPORT, BOUND, 25).map((f) => f.id);

  // Assess
  expect(ids).toEqual(expect.arrayContaining(['onsale.write-bound.c10', 'onsale.write-bound.c25', 'onsale.write-bound']));
});

test('without a write count the writes per purchase are unknown, not zero', () => {
  // Prepare
  const { dynamoDbWrites: _writes, ...uncounted } = REPORT;

  // Act, Assess
  expect(writesPerPurchaseOf(uncounted)).toBeNaN();
});

test('the large run\'s peak memory is judged against 1,536 MiB', () => {
  // Act
  const memory = largeFigures(REPORT).find((f) => f.id === 'large.peak-memory');

  // Assess
  expect(memory).toMatchObject({ value: 1024, unit: 'MiB', reference: { value: 1536 }, target: { op: '<=', ratio: 1 } });
});

test('a burst counts the 202s per second, their latency percentiles and every other answer as an error', () => {
  // Act
  const figures = burstFiguresOf({ requests: 6, accepted: 4, elapsedMs: 2_000, acceptedLatenciesMs: [40, 10, 30, 20], errors: { '503': 1, network: 1 } });

  // Assess
  expect(figures).toEqual({ acceptedPerSecond: 2, p50Ms: 20, p99Ms: 40, maxMs: 40, errors: 2 });
});

test('the requests an on-sale did not get accepted are counted by status beside the accepted ones', () => {
  // Act
  const accepted = onsaleFigures({ ...REPORT, accepted: 197, rejected: new Map([[503, 3]]) }, BOUND, 25).find((f) => f.id === 'onsale.accepted');

  // Assess
  expect(accepted).toMatchObject({ value: 197, label: 'accepted of 200 buyers (rejected: 3 x 503)' });
});
