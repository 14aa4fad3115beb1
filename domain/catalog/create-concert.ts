import * as z from 'zod';
import { concertIdSchema } from '#events/metadata';
import { currencySchema, type Concert, type Seat, type SeatAvailability } from './concert.ts';
import {
  layOutSeats,
  priceBandNameOf,
  priceBandSchema,
  priceCoverageProblems,
  rowIndex,
  seatLayoutSchema,
  MAX_ROWS,
  MAX_SEATS_PER_ROW,
} from './seat-layout.ts';
import type { ConcertStore, ProgressListener } from './ports.ts';

/** Everything needed to put a concert on sale. */
export const concertSpecSchema = z.object({
  concertId: concertIdSchema,
  name: z.string().trim().min(1).max(200),
  venue: z.string().trim().min(1).max(200),
  startsAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time with a zone, e.g. 2026-12-31T20:00:00Z' }),
  currency: currencySchema,
  rows: z.number().int().min(1).max(MAX_ROWS),
  seatsPerRow: z.number().int().min(1).max(MAX_SEATS_PER_ROW),
  priceBands: z.array(priceBandSchema).min(1),
}).superRefine((spec, context) => {
  for (const message of priceCoverageProblems(spec.rows, spec.priceBands)) {
    context.addIssue({ code: 'custom', path: ['priceBands'], message });
  }
});
export type ConcertSpec = z.infer<typeof concertSpecSchema>;

export class ConcertAlreadyExistsError extends Error {
  override readonly name = 'ConcertAlreadyExistsError';
  constructor(readonly concertId: string) {
    super(`Concert "${concertId}" already exists (replace it explicitly to overwrite its seats)`);
  }
}

export interface CreateConcertOptions {
  /** Delete the concert's seats and write them again. Seats held or sold by purchases are lost. @default false */
  readonly replace?: boolean;
  readonly onProgress?: ProgressListener;
}

export interface CreatedConcert {
  readonly concert: Concert;
  readonly replaced: boolean;
  /** Items deleted before writing, when replacing. */
  readonly deletedItems: number;
}

/** A new seat: AVAILABLE at version 1, the version the availability projection starts from. */
const INITIAL_SEAT_VERSION = 1;

export interface ConcertItems {
  readonly concert: Concert;
  readonly seats: Seat[];
  readonly availability: SeatAvailability[];
}

/** The items that make up a concert: its record, one seat each, and the seat's availability. */
export const buildConcertItems = (input: ConcertSpec): ConcertItems => {
  const spec = concertSpecSchema.parse(input);
  const laidOut = layOutSeats(seatLayoutSchema.parse(spec));
  const seats: Seat[] = laidOut.map((seat) => ({
    concertId: spec.concertId,
    ...seat,
    status: 'AVAILABLE',
    version: INITIAL_SEAT_VERSION,
  }));
  const availability: SeatAvailability[] = laidOut.map(({ seatId, row, price }) => ({
    concertId: spec.concertId,
    seatId,
    row,
    price,
    status: 'AVAILABLE',
    version: INITIAL_SEAT_VERSION,
  }));
  const concert: Concert = {
    concertId: spec.concertId,
    name: spec.name,
    venue: spec.venue,
    startsAt: spec.startsAt,
    currency: spec.currency,
    seatCount: seats.length,
    priceBands: [...spec.priceBands].sort((a, b) => rowIndex(a.fromRow) - rowIndex(b.fromRow)).map(priceBandNameOf),
  };
  return { concert, seats, availability };
};

/**
 * Creates a concert with all its seats and their availability. The concert
 * item is written last: it is what makes the concert exist for the API and
 * for this function, so an interrupted run can simply be run again.
 * Used by `npm run concert -- create` and by the local runtime's demo seed.
 */
export const createConcert = async (store: ConcertStore, spec: ConcertSpec, options: CreateConcertOptions = {}): Promise<CreatedConcert> => {
  const { concert, seats, availability } = buildConcertItems(spec);
  const replace = options.replace ?? false;

  const existing = await store.getConcert(concert.concertId);
  if (existing && !replace) throw new ConcertAlreadyExistsError(concert.concertId);

  const deletedItems = replace ? await store.deleteSeats(concert.concertId, options.onProgress) : 0;
  await store.putSeats(seats, availability, options.onProgress);
  // Conditional unless replacing, so two concurrent creations cannot both claim the id.
  if ((await store.putConcert(concert, { overwrite: replace })) === 'exists') throw new ConcertAlreadyExistsError(concert.concertId);
  return { concert, replaced: existing !== undefined, deletedItems };
};
