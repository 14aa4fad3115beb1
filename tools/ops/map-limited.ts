/** Maps with at most `limit` calls in flight, keeping the order of the input. */
export const mapLimited = async <T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array<R>(items.length);
  // One iterator shared by every worker: each item is taken exactly once.
  const pending = items.entries();
  const worker = async () => {
    for (const [index, item] of pending) results[index] = await map(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};
