import * as z from 'zod';
import { defineEvent, EVENT_SOURCES } from './event-definition.ts';
import { eventMetadataSchema, moneySchema } from './metadata.ts';

export const invoiceVoidedSchema = eventMetadataSchema.extend({
  invoiceId: z.string().min(1),
  total: moneySchema,
});
export type InvoiceVoided = z.infer<typeof invoiceVoidedSchema>;

export const InvoiceVoidedEvent = defineEvent({
  detailType: 'InvoiceVoided.v1',
  source: EVENT_SOURCES.invoicing,
  description: 'Compensation: the invoice of a purchase that could not complete no longer counts.',
  schema: invoiceVoidedSchema,
});
