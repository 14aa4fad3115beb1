/**
 * Where a buyer stands in the line, without one counter every join updates.
 *
 * Before the on-sale starts, arrivals wait in a pre-queue: each draws a
 * random shuffle key, and at the start the admitter (the room's only
 * writer) numbers them 1..N in key order. Dense: no gaps.
 *
 * After the start, a join increments one of LINE_SHARDS counters, picked at
 * random, and takes line number j of shard t. Its position interleaves the
 * shards after the pre-queue: N + (j - 1) * LINE_SHARDS + t + 1. Each
 * counter item takes 1/LINE_SHARDS of the joins, so the line takes
 * LINE_SHARDS times what one item does (about 1,000 writes/s each on AWS).
 *
 * Shards fill unevenly, so some positions are not (yet) issued. Nothing
 * pretends they are: peopleAhead counts only issued positions, read from
 * the counters, and before the admitter admits past a position it moves
 * every lagging counter past it (those numbers are burned, never issued),
 * so a late joiner never lands behind the admission front. The price is
 * fairness, not honesty: a join that picks a lagging shard may stand ahead
 * of earlier joins by about the shards' imbalance (around sqrt(joins / S)
 * numbers per shard for random picks).
 *
 * peopleAhead is exact but for two things, both small and both only ever
 * counting someone who is not there: a line number taken by a join whose
 * ticket write then lost a race with the same buyer's other join (at most
 * one per such race), and joins still in flight.
 */
export const LINE_SHARDS = 8;

/** The line as the admitter publishes it and the counters say. */
export interface LineSnapshot {
  /** Buyers in the pre-queue, once drawn; undefined before the draw. */
  readonly preQueueSize: number | undefined;
  /** Every position up to this one has been admitted (0: none yet). */
  readonly admittedThrough: number;
  /** Line numbers taken per shard, index = shard. */
  readonly shardCounts: readonly number[];
}

/** The position of line number `lineNumber` (from 1) of `shard`, after a pre-queue of `preQueueSize`. */
export const linePosition = (preQueueSize: number, shard: number, lineNumber: number): number =>
  preQueueSize + (lineNumber - 1) * LINE_SHARDS + shard + 1;

/** How many of the shard's first `count` line numbers have a position at or before `position`. */
const issuedUpTo = (preQueueSize: number, shard: number, count: number, position: number): number => {
  const first = linePosition(preQueueSize, shard, 1);
  if (position < first) return 0;
  return Math.min(count, Math.floor((position - first) / LINE_SHARDS) + 1);
};

/** Issued positions at or before `position`: the whole pre-queue up to it, and the line numbers taken. */
const issuedAtOrBefore = (line: LineSnapshot & { readonly preQueueSize: number }, position: number): number =>
  Math.min(Math.max(position, 0), line.preQueueSize) +
  line.shardCounts.reduce((sum, count, shard) => sum + issuedUpTo(line.preQueueSize, shard, count, position), 0);

/** Buyers still waiting ahead of `position`; undefined before the draw, when there is no order yet. */
export const peopleAheadOf = (line: LineSnapshot, position: number): number | undefined => {
  if (line.preQueueSize === undefined) return undefined;
  const drawn = { ...line, preQueueSize: line.preQueueSize };
  if (position <= line.admittedThrough) return 0;
  return issuedAtOrBefore(drawn, position - 1) - issuedAtOrBefore(drawn, line.admittedThrough);
};

/** Issued positions after the admission front: the buyers still waiting (joins in flight included). */
export const waitingCount = (line: LineSnapshot & { readonly preQueueSize: number }): number =>
  issuedAtOrBefore(line, Number.MAX_SAFE_INTEGER) - issuedAtOrBefore(line, line.admittedThrough);

export interface AdmissionFront {
  /** The new admittedThrough. */
  readonly through: number;
  /** Buyers it admits. */
  readonly admitted: number;
  /** Per lagging shard, the count its counter must reach first, so no later join gets a position behind the front. */
  readonly counterFloors: ReadonlyArray<{ readonly shard: number; readonly count: number }>;
}

/** Moves the admission front over the next `wanted` waiting buyers (or all of them, when fewer wait). */
export const advanceFront = (line: LineSnapshot & { readonly preQueueSize: number }, wanted: number): AdmissionFront => {
  const admitted = Math.min(wanted, waitingCount(line));
  if (admitted <= 0) return { through: line.admittedThrough, admitted: 0, counterFloors: [] };
  const target = issuedAtOrBefore(line, line.admittedThrough) + admitted;
  // The smallest position with `target` issued positions at or before it: a binary search over a monotone count.
  let low = line.admittedThrough + 1;
  let high = Math.max(line.preQueueSize, ...line.shardCounts.map((count, shard) => linePosition(line.preQueueSize, shard, count)));
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (issuedAtOrBefore(line, middle) >= target) high = middle;
    else low = middle + 1;
  }
  const through = low;
  const counterFloors = line.shardCounts.flatMap((count, shard) => {
    const needed = through < linePosition(line.preQueueSize, shard, 1) ? 0 : Math.floor((through - linePosition(line.preQueueSize, shard, 1)) / LINE_SHARDS) + 1;
    return needed > count ? [{ shard, count: needed }] : [];
  });
  return { through, admitted, counterFloors };
};
