import { chooseBestSeats, drawFor, rankAdjacentBlocks, weightedIndex } from '#domain/inventory/best-available-seats';
import type { InventorySeat } from '#domain/inventory/seat';
import { seat } from './in-memory-seat-store.ts';

/** `rows` rows of `perRow` seats; `taken` lists the seat ids that are not free. */
const hall = (rows: string[], perRow: number) => rows.flatMap((row) => Array.from({ length: perRow }, (_, n) => seat(`${row}-${n + 1}`)));
const freeUnless = (taken: readonly string[]) => (candidate: InventorySeat) => !taken.includes(candidate.seatId);
const idsOf = (seats: readonly InventorySeat[] | undefined) => seats?.map((s) => s.seatId);
const middlesOf = (rows: string[], perRow: number) => new Map(rows.map((row) => [row, (1 + perRow) / 2]));

describe('ranking adjacent blocks', () => {
  test('puts the front row first, then the blocks nearest the middle of the row', () => {
    const seats = hall(['A', 'B'], 6);

    const blocks = rankAdjacentBlocks(seats, 2, middlesOf(['A', 'B'], 6)).map(idsOf);

    expect(blocks).toEqual([
      ['A-3', 'A-4'],
      ['A-1', 'A-2'],
      ['A-5', 'A-6'],
      ['B-3', 'B-4'],
      ['B-1', 'B-2'],
      ['B-5', 'B-6'],
    ]);
  });

  test('cuts each run of free seats from its first seat, so no block strands a lone seat between two others', () => {
    const free = hall(['A'], 7).filter(freeUnless(['A-1']));

    const blocks = rankAdjacentBlocks(free, 2, middlesOf(['A'], 7)).map(idsOf);

    expect(blocks).toEqual(expect.arrayContaining([['A-2', 'A-3'], ['A-4', 'A-5'], ['A-6', 'A-7']]));
    expect(blocks).toHaveLength(3);
  });

  test('never joins seats across a gap or across rows', () => {
    const free = hall(['A', 'B'], 3).filter(freeUnless(['A-2', 'B-2']));

    expect(rankAdjacentBlocks(free, 2, middlesOf(['A', 'B'], 3))).toEqual([]);
  });
});

describe('the weighted draw', () => {
  test('maps the lowest draws to the best candidate and the highest to the last of the window', () => {
    expect(weightedIndex(100, 4, 0)).toBe(0);
    expect(weightedIndex(100, 4, 0.999)).toBe(3);
  });

  test('with a floor as high as the window, the best is only about twice as likely as the last', () => {
    const counts = new Array<number>(10).fill(0);
    for (let n = 0; n < 4000; n++) {
      const index = weightedIndex(10, 10, drawFor(`purchase-${n}`, 2), 10);
      counts[index] = (counts[index] ?? 0) + 1;
    }

    const ratio = (counts[0] ?? 0) / (counts[9] ?? 1);
    expect(ratio).toBeGreaterThan(1.4);
    expect(ratio).toBeLessThan(2.8);
  });

  test('never goes beyond the candidates there are', () => {
    expect(weightedIndex(2, 16, 0.999)).toBe(1);
    expect(weightedIndex(1, 16, 0.5)).toBe(0);
  });

  test('favours the best: over many draws each candidate comes up less often than the one before it', () => {
    const counts = new Array<number>(4).fill(0);
    for (let n = 0; n < 4000; n++) {
      const index = weightedIndex(4, 4, drawFor(`purchase-${n}`, 1));
      counts[index] = (counts[index] ?? 0) + 1;
    }

    // Weights 4:3:2:1 of 10.
    expect(counts[0]).toBeGreaterThan(counts[1] ?? 0);
    expect(counts[1]).toBeGreaterThan(counts[2] ?? 0);
    expect(counts[2]).toBeGreaterThan(counts[3] ?? 0);
    expect((counts[0] ?? 0) / 4000).toBeCloseTo(0.4, 1);
  });

  test('draws the same for the same purchase and attempt, and differently for another attempt', () => {
    expect(drawFor('purchase-1', 1)).toBe(drawFor('purchase-1', 1));
    expect(drawFor('purchase-1', 2)).not.toBe(drawFor('purchase-1', 1));
  });
});

describe('choosing the best seats', () => {
  const choose = (seats: InventorySeat[], taken: string[], quantity: number, purchaseId = 'purchase-1', attempt = 1) =>
    chooseBestSeats({ seats, isFree: freeUnless(taken), quantity, purchaseId, attempt });

  test('gives adjacent seats in one row when a row has them', () => {
    const choice = choose(hall(['A', 'B'], 10), [], 3);

    expect(choice?.adjacent).toBe(true);
    const numbers = choice?.seats.map((s) => s.number) ?? [];
    expect(new Set(choice?.seats.map((s) => s.row)).size).toBe(1);
    expect(Math.max(...numbers) - Math.min(...numbers)).toBe(2);
  });

  test('gives the only adjacent block left, even at the back', () => {
    const seats = hall(['A', 'B', 'C'], 4);
    const taken = ['A-2', 'A-4', 'B-1', 'B-3', 'C-1', 'C-4'];

    expect(idsOf(choose(seats, taken, 2)?.seats)).toEqual(['C-2', 'C-3']);
  });

  test('gives the best separate seats when no row has enough adjacent ones, and says they are not adjacent', () => {
    const seats = hall(['A', 'B'], 3);
    const taken = ['A-1', 'A-3', 'B-2'];

    const choice = choose(seats, taken, 2);

    expect(choice?.adjacent).toBe(false);
    expect(idsOf(choice?.seats)).toEqual(expect.arrayContaining(['A-2']));
    expect(choice?.seats).toHaveLength(2);
  });

  test('gives nothing when fewer seats than asked are free', () => {
    expect(choose(hall(['A'], 3), ['A-1', 'A-2'], 2)).toBeUndefined();
  });

  test('a lone buyer most often gets a front-row block, and always one of the front blocks', () => {
    const seats = hall(['A', 'B', 'C', 'D', 'E'], 20);
    const rows = Array.from({ length: 200 }, (_, n) => choose(seats, [], 2, `buyer-${n}`)?.seats[0]?.row);

    expect(rows.filter((row) => row === 'A').length).toBeGreaterThan(100);
    expect(new Set(rows)).toEqual(new Set(['A', 'B']));
  });

  test('buyers asking at the same moment spread over many blocks instead of all wanting the same one', () => {
    const seats = hall(['A', 'B', 'C', 'D', 'E'], 20);

    const picks = Array.from({ length: 50 }, (_, n) => idsOf(choose(seats, [], 2, `buyer-${n}`)?.seats)?.join());

    expect(new Set(picks).size).toBeGreaterThanOrEqual(12);
  });

  test('after a lost race, a buyer draws from every block left, not only the front ones', () => {
    const seats = hall(['A', 'B', 'C', 'D', 'E'], 20);
    const rows = Array.from({ length: 200 }, (_, n) => choose(seats, [], 2, `buyer-${n}`, 2)?.seats[0]?.row);

    expect(new Set(rows)).toEqual(new Set(['A', 'B', 'C', 'D', 'E']));
  });

  test('the same purchase picks the same seats from the same state', () => {
    const seats = hall(['A', 'B'], 10);

    expect(idsOf(choose(seats, [], 2, 'purchase-7')?.seats)).toEqual(idsOf(choose(seats, [], 2, 'purchase-7')?.seats));
  });
});
