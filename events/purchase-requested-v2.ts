import * as z from 'zod';
import { defineEvent, EVENT_SOURCES } from './event-definition.ts';
import { eventMetadataSchema, priceBandNameSchema, seatIdSchema } from './metadata.ts';

const MAX_SEATS = 10;

/**
 * v2 of PurchaseRequested: a buyer may ask for the best available seats
 * (`bestAvailable`) instead of naming them, and then no seat is known when
 * the request is made. v1 requires `seatIds`, so v1 cannot carry such a
 * request without breaking its consumers; requests that name seats are still
 * published as v1, unchanged. The seats a purchase gets are in
 * SeatsReserved.v1 and PurchaseConfirmed.v1, as for every purchase.
 */
export const purchaseRequestedV2Schema = eventMetadataSchema
  .extend({
    buyerId: z.string().min(1),
    seatIds: z.array(seatIdSchema).min(1).max(MAX_SEATS).optional(),
    bestAvailable: z
      .object({
        quantity: z.number().int().min(1).max(MAX_SEATS),
        /** The concert's band ("A-E"); absent: anywhere in the venue. */
        priceBand: priceBandNameSchema.optional(),
      })
      .optional(),
    /** Masked payment token ("tok_…ove"); the token itself never leaves the purchases table. */
    paymentRef: z.string().max(16),
  })
  .refine((detail) => (detail.seatIds === undefined) !== (detail.bestAvailable === undefined), {
    message: 'names its seats or asks for the best available, exactly one',
    path: ['bestAvailable'],
  });
export type PurchaseRequestedV2 = z.infer<typeof purchaseRequestedV2Schema>;

export const PurchaseRequestedV2Event = defineEvent({
  detailType: 'PurchaseRequested.v2',
  source: EVENT_SOURCES.orders,
  description: 'A buyer asked for seats, named or the best available; the purchase is queued (status QUEUED).',
  schema: purchaseRequestedV2Schema,
});
