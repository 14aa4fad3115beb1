import * as z from 'zod';

/** Identifiers shared by every purchase event. */
export const purchaseIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'must be 8-64 letters, digits or dashes');
export const concertIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be lowercase letters, digits or dashes');
export const seatIdSchema = z.string().regex(/^[A-Z]{1,2}-\d{1,3}$/, 'must look like "A-12"');
/** A concert's price band, named by the rows it covers: "A-E", or "K" for one row (see domain/catalog/seat-layout.ts). */
export const PRICE_BAND_NAME = /^([A-Z]{1,2})(?:-([A-Z]{1,2}))?$/;
export const priceBandNameSchema = z.string().regex(PRICE_BAND_NAME, 'must name a price band by its rows, e.g. "A-E" or "K"');

/** Money in minor units (cents) so sums are exact. */
export const moneySchema = z.object({
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type Money = z.infer<typeof moneySchema>;

/**
 * A seat's write version in the seats table. Projections apply a seat change
 * only when its version is newer than the one they hold, which makes them
 * tolerant of replays and of out-of-order delivery.
 */
export const seatVersionSchema = z.object({
  seatId: seatIdSchema,
  version: z.number().int().positive(),
});
export type SeatVersion = z.infer<typeof seatVersionSchema>;

/**
 * Common metadata. `eventId` is deterministic (purchaseId + detail-type) so a
 * step that runs twice publishes the same event twice, never two events.
 */
export const eventMetadataSchema = z.object({
  eventId: z.string().min(1),
  purchaseId: purchaseIdSchema,
  concertId: concertIdSchema,
  occurredAt: z.iso.datetime(),
  correlationId: z.string().min(1),
});
export type EventMetadata = z.infer<typeof eventMetadataSchema>;

export const eventIdFor = (purchaseId: string, detailType: string): string => `${purchaseId}:${detailType}`;
