import * as z from 'zod';
import { defineEvent, EVENT_SOURCES } from './event-definition.ts';
import { eventMetadataSchema, moneySchema, seatVersionSchema } from './metadata.ts';

export const purchaseConfirmedSchema = eventMetadataSchema.extend({
  seats: z.array(seatVersionSchema).min(1).max(10),
  invoiceId: z.string().min(1),
  total: moneySchema,
});
export type PurchaseConfirmed = z.infer<typeof purchaseConfirmedSchema>;

export const PurchaseConfirmedEvent = defineEvent({
  detailType: 'PurchaseConfirmed.v1',
  source: EVENT_SOURCES.orders,
  description: 'Terminal: the held seats are sold to the buyer. Exactly one terminal event per purchase.',
  schema: purchaseConfirmedSchema,
});
