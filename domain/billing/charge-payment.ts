import { SagaStateError } from '#domain/errors';
import type { Money } from '#events/metadata';
import type { ChargeReceipt, FindPaymentDetails, PaymentProvider, RefundReceipt } from './payment-provider.ts';

export interface ChargePaymentRequest {
  readonly purchaseId: string;
  readonly amount: Money;
}

export interface ChargePaymentDependencies {
  readonly provider: PaymentProvider;
  readonly findPaymentDetails: FindPaymentDetails;
}

export interface Charge extends ChargeReceipt {
  readonly paymentRef: string;
}

/**
 * Charges the purchase's payment method once: the purchaseId is the
 * provider's idempotency key, so repeating the step returns the same charge.
 */
export const chargePayment = async (dependencies: ChargePaymentDependencies, request: ChargePaymentRequest): Promise<Charge> => {
  const details = await dependencies.findPaymentDetails(request.purchaseId);
  if (!details) throw new SagaStateError(`No payment method recorded for purchase ${request.purchaseId}`);
  const receipt = await dependencies.provider.charge({ idempotencyKey: request.purchaseId, amount: request.amount, token: details.token });
  return { chargeId: receipt.chargeId, amount: receipt.amount, paymentRef: details.paymentRef };
};

export type RefundOutcome = { readonly refunded: true; readonly refund: RefundReceipt } | { readonly refunded: false };

/** Refunds the purchase's charge, if there is one; asking again returns the same refund. */
export const refundPayment = async (provider: PaymentProvider, purchaseId: string): Promise<RefundOutcome> => {
  const refund = await provider.refund({ idempotencyKey: purchaseId });
  return refund ? { refunded: true, refund } : { refunded: false };
};
