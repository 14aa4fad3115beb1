import pLimit from 'p-limit';

/**
 * Maps items with at most `limit` calls in flight, keeping the input order in
 * the results. Used where a burst of parallel calls would be throttled
 * (StartExecution has a per-account rate).
 */
export const mapWithConcurrency = async <T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const limited = pLimit(limit);
  return Promise.all(items.map((item, index) => limited(() => map(item, index))));
};
