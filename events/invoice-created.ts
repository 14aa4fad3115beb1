import * as z from 'zod';
import { defineEvent, EVENT_SOURCES } from './event-definition.ts';
import { eventMetadataSchema, moneySchema, seatIdSchema } from './metadata.ts';

export const invoiceLineSchema = z.object({
  seatId: seatIdSchema,
  description: z.string().min(1),
  price: moneySchema,
});

export const invoiceCreatedSchema = eventMetadataSchema.extend({
  invoiceId: z.string().min(1),
  lines: z.array(invoiceLineSchema).min(1).max(10),
  subtotal: moneySchema,
  tax: moneySchema,
  total: moneySchema,
});
export type InvoiceCreated = z.infer<typeof invoiceCreatedSchema>;

export const InvoiceCreatedEvent = defineEvent({
  detailType: 'InvoiceCreated.v1',
  source: EVENT_SOURCES.invoicing,
  description: 'The one invoice of a paid purchase was issued.',
  schema: invoiceCreatedSchema,
});
