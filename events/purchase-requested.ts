import * as z from 'zod';
import { defineEvent, EVENT_SOURCES } from './event-definition.ts';
import { eventMetadataSchema, seatIdSchema } from './metadata.ts';

export const purchaseRequestedSchema = eventMetadataSchema.extend({
  buyerId: z.string().min(1),
  seatIds: z.array(seatIdSchema).min(1).max(10),
  /** Masked payment token ("tok_…ove"); the token itself never leaves the purchases table. */
  paymentRef: z.string().max(16),
});
export type PurchaseRequested = z.infer<typeof purchaseRequestedSchema>;

export const PurchaseRequestedEvent = defineEvent({
  detailType: 'PurchaseRequested.v1',
  source: EVENT_SOURCES.orders,
  description: 'A buyer asked for seats; the purchase is queued (status QUEUED).',
  schema: purchaseRequestedSchema,
});
