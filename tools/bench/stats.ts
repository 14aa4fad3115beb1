/**
 * The arithmetic of the benchmark figures, kept apart so it can be tested
 * without running anything.
 */

/**
 * Nearest-rank percentile (p in 0..100) of the samples: always one of the
 * samples, never an interpolation, so a p99 is a latency that really happened.
 */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be from 0 to 100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
};

/** value / reference; NaN when the reference is not a positive number, so a missing bound never reads as a ratio of 0 or infinity. */
export const ratioOf = (value: number, reference: number): number => (reference > 0 && Number.isFinite(reference) ? value / reference : Number.NaN);

/** Events per second over a wall-clock span. */
export const perSecond = (count: number, elapsedMs: number): number => (elapsedMs > 0 ? count / (elapsedMs / 1000) : Number.NaN);

/**
 * The most purchases per second DynamoDB Local allows when every purchase
 * costs `writesPerPurchase` item writes and the store takes `writesPerSecond`.
 */
export const purchaseCeiling = (writesPerSecond: number, writesPerPurchase: number): number => ratioOf(writesPerSecond, writesPerPurchase);
