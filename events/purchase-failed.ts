import * as z from 'zod';
import { defineEvent, EVENT_SOURCES } from './event-definition.ts';
import { eventMetadataSchema } from './metadata.ts';

/** Why a purchase failed, in words a buyer's client can switch on. */
export const FAILURE_REASONS = [
  'SEATS_UNAVAILABLE',
  'PAYMENT_DECLINED',
  'INSUFFICIENT_FUNDS',
  'PAYMENT_UNAVAILABLE',
  'INVOICE_FAILED',
  'RESERVATION_FAILED',
  'INTERNAL_ERROR',
] as const;
export const failureReasonSchema = z.enum(FAILURE_REASONS);
export type FailureReason = z.infer<typeof failureReasonSchema>;

export const purchaseFailedSchema = eventMetadataSchema.extend({
  reason: failureReasonSchema,
  /** The state where the saga failed, e.g. "ChargePayment". */
  failedStep: z.string().min(1),
  message: z.string().max(500),
  paymentRefunded: z.boolean(),
  seatsReleased: z.boolean(),
});
export type PurchaseFailed = z.infer<typeof purchaseFailedSchema>;

export const PurchaseFailedEvent = defineEvent({
  detailType: 'PurchaseFailed.v1',
  source: EVENT_SOURCES.orders,
  description: 'Terminal: the purchase did not complete; compensations have run. Exactly one terminal event per purchase.',
  schema: purchaseFailedSchema,
});
