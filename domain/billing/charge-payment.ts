import { HoldExpiredError, SagaStateError } from '#domain/errors';
import type { Money } from '#events/metadata';
import type { ChargeReceipt, FindPaymentDetails, PaymentProvider, RefundReceipt } from './payment-provider.ts';

export interface ChargePaymentRequest {
  readonly purchaseId: string;
  readonly amount: Money;
  /** When the purchase's hold on its seats runs out (ReserveSeats' answer). */
  readonly holdExpiresAt: Date;
}

export interface ChargeTiming {
  readonly now: Date;
  /** The hold must have at least this long to run for money to move. */
  readonly holdMarginSeconds: number;
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
 * A hold too close to its end is refused before any money moves: once it ran
 * out, another buyer may take the seats, and the charge would have to be undone.
 */
export const chargePayment = async (dependencies: ChargePaymentDependencies, request: ChargePaymentRequest, timing: ChargeTiming): Promise<Charge> => {
  const secondsLeft = Math.floor((request.holdExpiresAt.getTime() - timing.now.getTime()) / 1000);
  if (secondsLeft < timing.holdMarginSeconds) {
    throw new HoldExpiredError(`The hold of purchase ${request.purchaseId} has ${secondsLeft} s left, less than the ${timing.holdMarginSeconds} s a purchase needs to be confirmed`);
  }
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
