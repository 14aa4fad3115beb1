import * as z from 'zod';
import { defineEvent, EVENT_SOURCES } from './event-definition.ts';
import { eventMetadataSchema, moneySchema } from './metadata.ts';

export const paymentChargedSchema = eventMetadataSchema.extend({
  chargeId: z.string().min(1),
  amount: moneySchema,
  paymentRef: z.string().max(16),
});
export type PaymentCharged = z.infer<typeof paymentChargedSchema>;

export const PaymentChargedEvent = defineEvent({
  detailType: 'PaymentCharged.v1',
  source: EVENT_SOURCES.billing,
  description: 'The payment provider captured the amount (idempotency key = purchaseId).',
  schema: paymentChargedSchema,
});
