import { createHash } from 'node:crypto';
import { rowIndex } from '#domain/catalog/seat-layout';
import type { InventorySeat } from './seat.ts';

/**
 * How ReserveSeats picks seats for a purchase that asked for a quantity
 * rather than for seat ids.
 *
 * Best means nearest the stage (row A is the front row), then nearest the
 * middle of the row's seats that were read (the seats still open to the
 * purchase: the middle of what is left). The rule, in order:
 * 1. Adjacent: `quantity` free seats side by side in one row. Each run of free
 *    seats in a row is cut into blocks from its first seat on, so a block
 *    never strands one free seat between two others' blocks.
 * 2. Otherwise, when no row has such a run left: the best free seats one by
 *    one, by the same order (front row first, then middle of the row), so the
 *    buyer's seats are as close together as what is left allows.
 *
 * Buyers asking at the same moment would all want the same best block and
 * all but one would lose the race. So the pick is drawn, by a number derived
 * from the purchase id and the attempt (no randomness in handler code: reruns
 * and tests are repeatable), weighted to the best:
 * - a first attempt draws from the best FIRST_WINDOW candidates, the best the
 *   likeliest and each next one less likely: a lone buyer gets a front block,
 *   buyers arriving together spread over the front blocks;
 * - a purchase that lost a race has met a crowd: it draws from every
 *   candidate left, the best only twice as likely as the last, because one
 *   more collision costs it more than a slightly worse seat.
 */

/** How many of the best candidates a first attempt draws from. */
const FIRST_WINDOW = 16;

/** A uniform number in [0, 1) from the purchase id and attempt: the same inputs always draw the same. */
export const drawFor = (purchaseId: string, attempt: number): number =>
  createHash('sha256').update(`${purchaseId}:${attempt}`).digest().readUInt32BE(0) / 2 ** 32;

/**
 * An index into `count` ranked candidates, drawn from the first `window` of
 * them, candidate k weighing (window + floor - k): linearly less likely the
 * worse it is. With floor 0 the best is `window` times likelier than the
 * last; with floor = window, twice as likely.
 */
export const weightedIndex = (count: number, window: number, draw: number, floor = 0): number => {
  const size = Math.max(1, Math.min(count, window));
  const weightOf = (index: number) => size + floor - index;
  const total = (size * (size + 1)) / 2 + size * floor;
  let target = draw * total;
  for (let index = 0; index < size; index++) {
    target -= weightOf(index);
    if (target < 0) return index;
  }
  return size - 1;
};

/** First attempt: the front window, steeply weighted. After a lost race: every candidate, gently weighted. */
const pickIndex = (count: number, attempt: number, draw: number): number =>
  attempt === 1 ? weightedIndex(count, FIRST_WINDOW, draw) : weightedIndex(count, count, draw, count);

const byNumber = (a: InventorySeat, b: InventorySeat) => a.number - b.number;

/** The middle of each row, from every seat read, free or not. */
const rowMiddles = (seats: readonly InventorySeat[]): Map<string, number> => {
  const bounds = new Map<string, { min: number; max: number }>();
  for (const seat of seats) {
    const known = bounds.get(seat.row);
    bounds.set(seat.row, { min: Math.min(known?.min ?? seat.number, seat.number), max: Math.max(known?.max ?? seat.number, seat.number) });
  }
  return new Map([...bounds].map(([row, { min, max }]) => [row, (min + max) / 2]));
};

/** Runs of consecutively numbered seats, in seat order. */
const runsOf = (rowSeats: readonly InventorySeat[]): InventorySeat[][] => {
  const runs: InventorySeat[][] = [];
  for (const seat of [...rowSeats].sort(byNumber)) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && seat.number === last.number + 1) run.push(seat);
    else runs.push([seat]);
  }
  return runs;
};

const groupByRow = (seats: readonly InventorySeat[]): Map<string, InventorySeat[]> => {
  const rows = new Map<string, InventorySeat[]>();
  for (const seat of seats) rows.set(seat.row, [...(rows.get(seat.row) ?? []), seat]);
  return rows;
};

interface Ranked<T> {
  readonly item: T;
  readonly row: number;
  readonly offCentre: number;
  readonly first: number;
}

const rank = <T>(candidates: Array<Ranked<T>>): T[] =>
  candidates.sort((a, b) => a.row - b.row || a.offCentre - b.offCentre || a.first - b.first).map((candidate) => candidate.item);

/** Every block of `quantity` adjacent free seats, best first. */
export const rankAdjacentBlocks = (free: readonly InventorySeat[], quantity: number, middles: ReadonlyMap<string, number>): InventorySeat[][] => {
  const blocks: Array<Ranked<InventorySeat[]>> = [];
  for (const [row, rowSeats] of groupByRow(free)) {
    const middle = middles.get(row) ?? 0;
    for (const run of runsOf(rowSeats)) {
      for (let start = 0; start + quantity <= run.length; start += quantity) {
        const block = run.slice(start, start + quantity);
        const first = block[0]?.number ?? 0;
        const centre = first + (quantity - 1) / 2;
        blocks.push({ item: block, row: rowIndex(row), offCentre: Math.abs(centre - middle), first });
      }
    }
  }
  return rank(blocks);
};

/** Every free seat, best first. */
const rankSeats = (free: readonly InventorySeat[], middles: ReadonlyMap<string, number>): InventorySeat[] =>
  rank(free.map((seat) => ({ item: seat, row: rowIndex(seat.row), offCentre: Math.abs(seat.number - (middles.get(seat.row) ?? 0)), first: seat.number })));

export interface BestSeatsQuery {
  /** The seats read where the purchase may sit: the rows' middles come from all of them. */
  readonly seats: readonly InventorySeat[];
  /** Whether this purchase may take the seat now. */
  readonly isFree: (seat: InventorySeat) => boolean;
  readonly quantity: number;
  readonly purchaseId: string;
  /** 1 for the first pick; a later attempt (after a lost race) draws from every candidate. */
  readonly attempt: number;
}

export interface BestSeats {
  readonly seats: readonly InventorySeat[];
  readonly adjacent: boolean;
}

/** The seats to try to hold, or undefined when fewer than `quantity` are free. */
export const chooseBestSeats = ({ seats, isFree, quantity, purchaseId, attempt }: BestSeatsQuery): BestSeats | undefined => {
  const free = seats.filter(isFree);
  if (free.length < quantity) return undefined;
  const middles = rowMiddles(seats);
  const draw = drawFor(purchaseId, attempt);

  const blocks = rankAdjacentBlocks(free, quantity, middles);
  const block = blocks[pickIndex(blocks.length, attempt, draw)];
  if (block) return { seats: block, adjacent: true };

  // The start of a run of `quantity` seats in the best-first order, drawn like a block.
  const ranked = rankSeats(free, middles);
  const start = pickIndex(ranked.length - quantity + 1, attempt, draw);
  return { seats: ranked.slice(start, start + quantity), adjacent: false };
};
