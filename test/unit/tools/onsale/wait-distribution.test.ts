import { renderWaitDistribution, waitDistributionOf } from '#tools/onsale/wait-distribution';

const SECOND = 1_000;
/** 1 s to 100 s, one buyer each: every percentile is a round number. */
const ONE_TO_A_HUNDRED = Array.from({ length: 100 }, (_, index) => (index + 1) * SECOND);

test('the percentiles are waits some buyer had, by nearest rank', () => {
  // Act
  const distribution = waitDistributionOf([...ONE_TO_A_HUNDRED].reverse());

  // Assess
  expect(distribution).toMatchObject({ count: 100, minMs: 1 * SECOND, p50Ms: 50 * SECOND, p90Ms: 90 * SECOND, p99Ms: 99 * SECOND, maxMs: 100 * SECOND });
});

test('the histogram splits min..max into equal bins that hold every buyer, the longest wait in the last', () => {
  // Act
  const distribution = waitDistributionOf([0, 1 * SECOND, 2 * SECOND, 9 * SECOND, 10 * SECOND], 5);

  // Assess
  expect(distribution?.histogram).toEqual([
    { fromMs: 0, toMs: 2 * SECOND, count: 2 },
    { fromMs: 2 * SECOND, toMs: 4 * SECOND, count: 1 },
    { fromMs: 4 * SECOND, toMs: 6 * SECOND, count: 0 },
    { fromMs: 6 * SECOND, toMs: 8 * SECOND, count: 0 },
    { fromMs: 8 * SECOND, toMs: 10 * SECOND, count: 2 },
  ]);
});

test('equal waits make a single bin', () => {
  // Act
  const distribution = waitDistributionOf([3 * SECOND, 3 * SECOND, 3 * SECOND]);

  // Assess
  expect(distribution?.histogram).toEqual([{ fromMs: 3 * SECOND, toMs: 3 * SECOND, count: 3 }]);
});

test('no waits are no distribution', () => {
  // Act
  const distribution = waitDistributionOf([]);

  // Assess
  expect(distribution).toBeUndefined();
});

test('the rendering gives the figures in seconds, then a bar per bin scaled to the fullest, at least one mark for anyone', () => {
  // Prepare
  const distribution = waitDistributionOf([...Array.from({ length: 80 }, () => 0), 10 * SECOND], 2);
  if (!distribution) throw new Error('no distribution');

  // Act
  const lines = renderWaitDistribution(distribution);

  // Assess
  expect(lines).toEqual([
    '  min 0.0 s  p50 0.0 s  p90 0.0 s  p99 10.0 s  max 10.0 s  (81 buyers)',
    `   0.0-5.0 s 80 ${'#'.repeat(40)}`,
    '  5.0-10.0 s  1 #',
  ]);
});
