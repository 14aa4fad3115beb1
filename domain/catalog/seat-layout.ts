import * as z from 'zod';
import { PRICE_BAND_NAME, priceBandNameSchema, type Money } from '#events/metadata';

/** Seat ids look like "A-12": one or two row letters (A..Z, then AA..ZZ) and a 1-3 digit number. */
const LETTERS = 26;
const A_CODE = 'A'.charCodeAt(0);
export const MAX_ROWS = LETTERS + LETTERS * LETTERS;
export const MAX_SEATS_PER_ROW = 999;

const rowLabelSchema = z.string().regex(/^[A-Z]{1,2}$/, 'must be a row label such as A or AB');

/** 0 -> "A", 25 -> "Z", 26 -> "AA", 701 -> "ZZ". */
export const rowLabel = (index: number): string => {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_ROWS) throw new RangeError(`row index out of range: ${index}`);
  if (index < LETTERS) return String.fromCharCode(A_CODE + index);
  const rest = index - LETTERS;
  return String.fromCharCode(A_CODE + Math.floor(rest / LETTERS), A_CODE + (rest % LETTERS));
};

/** The inverse of rowLabel: "A" -> 0, "AA" -> 26. */
export const rowIndex = (label: string): number => {
  const letters = rowLabelSchema.parse(label);
  const code = (at: number) => letters.charCodeAt(at) - A_CODE;
  return letters.length === 1 ? code(0) : LETTERS + code(0) * LETTERS + code(1);
};

export const seatIdOf = (row: string, number: number): string => `${row}-${number}`;

/** "AB-12" -> { row: "AB", number: 12 }. */
export const parseSeatId = (seatId: string): { row: string; number: number } => {
  const match = /^([A-Z]{1,2})-(\d{1,3})$/.exec(seatId);
  if (!match?.[1] || !match[2]) throw new RangeError(`not a seat id: ${seatId}`);
  return { row: match[1], number: Number(match[2]) };
};

/** Every row from `fromRow` to `toRow` (inclusive) costs `amount` minor units. */
export const priceBandSchema = z
  .object({
    fromRow: rowLabelSchema,
    toRow: rowLabelSchema,
    amount: z.number().int().nonnegative(),
  })
  .refine((band) => rowIndex(band.fromRow) <= rowIndex(band.toRow), { message: 'fromRow must not come after toRow' });
export type PriceBand = z.infer<typeof priceBandSchema>;

/** The rows a band covers, inclusive. */
export interface RowRange {
  readonly fromRow: string;
  readonly toRow: string;
}

/**
 * A price band is named by the rows it covers, as `npm run concert -- create
 * --price` writes them: "A-E", or "K" for a band of one row. Buyers ask for a
 * band by this name, so a concert needs no separate list of band names.
 */
export const priceBandNameOf = ({ fromRow, toRow }: RowRange): string => (fromRow === toRow ? fromRow : `${fromRow}-${toRow}`);

/** "A-E" -> rows A to E; "K" -> row K alone. */
export const rowRangeOfBand = (name: string): RowRange => {
  const match = PRICE_BAND_NAME.exec(priceBandNameSchema.parse(name));
  if (!match?.[1]) throw new RangeError(`not a price band name: ${name}`);
  return { fromRow: match[1], toRow: match[2] ?? match[1] };
};

/** Whether the row (a label such as "C") lies in the range. */
export const isRowInRange = (row: string, range: RowRange): boolean => {
  const index = rowIndex(row);
  return rowIndex(range.fromRow) <= index && index <= rowIndex(range.toRow);
};

/** The shape of a venue: `rows` rows of `seatsPerRow` seats, priced by row band. */
export const seatLayoutSchema = z
  .object({
    rows: z.number().int().min(1).max(MAX_ROWS),
    seatsPerRow: z.number().int().min(1).max(MAX_SEATS_PER_ROW),
    currency: z.string().regex(/^[A-Z]{3}$/),
    priceBands: z.array(priceBandSchema).min(1),
  })
  .superRefine((layout, context) => {
    const problems = priceCoverageProblems(layout.rows, layout.priceBands);
    for (const message of problems) context.addIssue({ code: 'custom', path: ['priceBands'], message });
  });
export type SeatLayout = z.infer<typeof seatLayoutSchema>;

/** Each row needs exactly one price: name the rows with none, with two, and bands beyond the last row. */
export const priceCoverageProblems = (rows: number, bands: readonly PriceBand[]): string[] => {
  const bandsPerRow = new Array<number>(rows).fill(0);
  const problems: string[] = [];
  for (const band of bands) {
    const from = rowIndex(band.fromRow);
    const to = rowIndex(band.toRow);
    if (to >= rows) problems.push(`band ${band.fromRow}-${band.toRow} goes beyond the last row ${rowLabel(rows - 1)}`);
    for (let row = from; row <= Math.min(to, rows - 1); row++) bandsPerRow[row] = (bandsPerRow[row] ?? 0) + 1;
  }
  const rowsWhere = (test: (count: number) => boolean) =>
    bandsPerRow.flatMap((count, index) => (test(count) ? [rowLabel(index)] : []));
  const unpriced = rowsWhere((count) => count === 0);
  const doublePriced = rowsWhere((count) => count > 1);
  if (unpriced.length > 0) problems.push(`rows without a price: ${unpriced.join(', ')}`);
  if (doublePriced.length > 0) problems.push(`rows with more than one price: ${doublePriced.join(', ')}`);
  return problems;
};

export interface LaidOutSeat {
  readonly seatId: string;
  readonly row: string;
  readonly number: number;
  readonly price: Money;
}

/** Every seat of the layout, row by row, numbered from 1. */
export const layOutSeats = (layout: SeatLayout): LaidOutSeat[] => {
  const valid = seatLayoutSchema.parse(layout);
  const priceOfRow = (index: number): number => {
    const band = valid.priceBands.find((b) => rowIndex(b.fromRow) <= index && index <= rowIndex(b.toRow));
    if (!band) throw new RangeError(`row ${rowLabel(index)} has no price`);
    return band.amount;
  };
  return Array.from({ length: valid.rows }, (_, index) => index).flatMap((index) => {
    const row = rowLabel(index);
    const price = { amount: priceOfRow(index), currency: valid.currency };
    return Array.from({ length: valid.seatsPerRow }, (_, seat) => ({ seatId: seatIdOf(row, seat + 1), row, number: seat + 1, price }));
  });
};

/**
 * Parses price bands written as "A-E:12000,F-J:9000,K:6500" (amounts in minor
 * units). Throws a RangeError naming the part it could not read.
 */
export const parsePriceBands = (text: string): PriceBand[] =>
  text.split(',').map((part) => {
    const match = /^\s*([A-Z]{1,2})(?:-([A-Z]{1,2}))?:(\d+)\s*$/.exec(part);
    if (!match?.[1] || !match[3]) {
      throw new RangeError(`cannot read price band "${part.trim()}": expected ROW-ROW:AMOUNT or ROW:AMOUNT, e.g. A-E:12000`);
    }
    const band = priceBandSchema.safeParse({ fromRow: match[1], toRow: match[2] ?? match[1], amount: Number(match[3]) });
    if (!band.success) throw new RangeError(`price band "${part.trim()}": ${band.error.issues.map((issue) => issue.message).join('; ')}`);
    return band.data;
  });
