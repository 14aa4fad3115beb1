import * as z from 'zod';
import { defineEvent, EVENT_SOURCES } from './event-definition.ts';
import { eventMetadataSchema, moneySchema } from './metadata.ts';

export const paymentRefundedSchema = eventMetadataSchema.extend({
  refundId: z.string().min(1),
  chargeId: z.string().min(1),
  amount: moneySchema,
});
export type PaymentRefunded = z.infer<typeof paymentRefundedSchema>;

export const PaymentRefundedEvent = defineEvent({
  detailType: 'PaymentRefunded.v1',
  source: EVENT_SOURCES.billing,
  description: 'Compensation: the charge of a purchase that could not complete was refunded.',
  schema: paymentRefundedSchema,
});
