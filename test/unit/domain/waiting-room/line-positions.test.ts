import { advanceFront, LINE_SHARDS, linePosition, peopleAheadOf, waitingCount, type LineSnapshot } from '#domain/waiting-room/line-positions';

/** Every issued position, spelled out: the pre-queue 1..N, then each shard's numbers. */
const issuedPositions = (line: LineSnapshot & { preQueueSize: number }) => [
  ...Array.from({ length: line.preQueueSize }, (_, index) => index + 1),
  ...line.shardCounts.flatMap((count, shard) => Array.from({ length: count }, (_, number) => linePosition(line.preQueueSize, shard, number + 1))),
].sort((a, b) => a - b);

/** A small deterministic generator: the same uneven lines in every run. */
const seededCounts = (seed: number) => {
  let state = seed;
  return Array.from({ length: LINE_SHARDS }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % 40;
  });
};

describe('line positions', () => {
  it('gives the pre-queue no order before the draw', () => {
    // Act
    const ahead = peopleAheadOf({ preQueueSize: undefined, admittedThrough: 0, shardCounts: [] }, 5);

    // Assess
    expect(ahead).toBeUndefined();
  });

  it('counts the drawn pre-queue ahead densely, minus those admitted', () => {
    // Act
    const ahead = peopleAheadOf({ preQueueSize: 100, admittedThrough: 10, shardCounts: Array(LINE_SHARDS).fill(0) }, 50);

    // Assess
    expect(ahead).toBe(39);
  });

  it.each([1, 2, 3, 4, 5])('counts only issued positions ahead on uneven shards (seed %i)', (seed) => {
    // Arrange
    const line = { preQueueSize: 7, admittedThrough: 20, shardCounts: seededCounts(seed) };
    const issued = issuedPositions(line);

    // Act and assess
    for (const position of issued.filter((p) => p > line.admittedThrough)) {
      expect(peopleAheadOf(line, position)).toBe(issued.filter((p) => p > line.admittedThrough && p < position).length);
    }
    expect(waitingCount(line)).toBe(issued.filter((p) => p > line.admittedThrough).length);
  });

  it.each([1, 2, 3])('moves the front over exactly the next buyers and raises every counter it passes (seed %i)', (seed) => {
    // Arrange
    const line = { preQueueSize: 3, admittedThrough: 2, shardCounts: seededCounts(seed) };
    const issued = issuedPositions(line).filter((p) => p > line.admittedThrough);

    // Act
    const front = advanceFront(line, 25);

    // Assess
    expect(front.admitted).toBe(25);
    expect(front.through).toBe(issued[24]);
    const raised = line.shardCounts.map((count, shard) => front.counterFloors.find((floor) => floor.shard === shard)?.count ?? count);
    // After the raise, the next number of every shard lands behind the front: no late join is admitted before it waits.
    raised.forEach((count, shard) => expect(linePosition(line.preQueueSize, shard, count + 1)).toBeGreaterThan(front.through));
  });

  it('admits everyone waiting when fewer wait than it may admit', () => {
    // Arrange
    const line = { preQueueSize: 2, admittedThrough: 0, shardCounts: [1, 0, 0, 0, 0, 0, 0, 0] };

    // Act
    const front = advanceFront(line, 10);

    // Assess
    expect(front).toEqual({ through: 3, admitted: 3, counterFloors: [] });
  });

  it('admits nobody when nobody waits', () => {
    // Act
    const front = advanceFront({ preQueueSize: 4, admittedThrough: 4, shardCounts: Array(LINE_SHARDS).fill(0) }, 10);

    // Assess
    expect(front).toEqual({ through: 4, admitted: 0, counterFloors: [] });
  });
});
