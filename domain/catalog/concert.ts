import * as z from 'zod';
import { concertIdSchema, moneySchema, priceBandNameSchema, seatIdSchema } from '#events/metadata';

const SEAT_STATUSES = ['AVAILABLE', 'HELD', 'SOLD'] as const;
const seatStatusSchema = z.enum(SEAT_STATUSES);
export type SeatStatus = z.infer<typeof seatStatusSchema>;

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');

/** The concerts table item. */
export const concertSchema = z.object({
  concertId: concertIdSchema,
  name: z.string().min(1).max(200),
  venue: z.string().min(1).max(200),
  startsAt: z.iso.datetime({ offset: true }),
  currency: currencySchema,
  seatCount: z.number().int().positive(),
  /**
   * The names of the concert's price bands ("A-E", "F-J"), nearest the stage
   * first: what a buyer may ask for by quantity. Missing on concerts created
   * before bands could be asked for; those sell by quantity across the venue.
   */
  priceBands: z.array(priceBandNameSchema).min(1).optional(),
});
export type Concert = z.infer<typeof concertSchema>;

/** The seats table item: the source of truth the saga reserves, sells and releases. */
export const seatSchema = z.object({
  concertId: concertIdSchema,
  seatId: seatIdSchema,
  row: z.string().min(1),
  number: z.number().int().positive(),
  price: moneySchema,
  status: seatStatusSchema,
  holderPurchaseId: z.string().optional(),
  holdExpiresAt: z.number().int().optional(),
  /** 1 at creation, +1 on every write: projections order seat changes by it. */
  version: z.number().int().positive(),
});
export type Seat = z.infer<typeof seatSchema>;

/**
 * The seatAvailability read model item. `price` and `row` can be missing only
 * on an item the projection created from events for a seat the concert tool
 * never seeded.
 */
export const seatAvailabilitySchema = z.object({
  concertId: concertIdSchema,
  seatId: seatIdSchema,
  row: z.string().min(1).optional(),
  price: moneySchema.optional(),
  status: seatStatusSchema,
  purchaseId: z.string().optional(),
  /** ISO time after which a HELD seat counts as available again (a hold that outlived its saga). */
  holdExpiresAt: z.iso.datetime().optional(),
  version: z.number().int().positive(),
});
export type SeatAvailability = z.infer<typeof seatAvailabilitySchema>;
