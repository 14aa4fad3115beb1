import type { Money } from '#events/metadata';

/**
 * The payment provider port. Every call carries an idempotency key (the
 * purchaseId): the provider charges at most once per key and refunds that
 * charge at most once, however often it is asked.
 */
export interface ChargeRequest {
  readonly idempotencyKey: string;
  readonly amount: Money;
  /** The buyer's payment token: passed to the provider, never logged, returned or published. */
  readonly token: string;
}

export interface ChargeReceipt {
  readonly chargeId: string;
  readonly amount: Money;
}

interface RefundRequest {
  /** The idempotency key the charge was made with. */
  readonly idempotencyKey: string;
}

export interface RefundReceipt {
  readonly refundId: string;
  readonly chargeId: string;
  readonly amount: Money;
}

export interface PaymentProvider {
  /**
   * Charges the amount, or returns the charge already made with this key.
   * Throws PaymentDeclinedError, InsufficientFundsError (final) or
   * PaymentProviderUnavailableError (transient, safe to retry).
   */
  charge(request: ChargeRequest): Promise<ChargeReceipt>;
  /** Refunds the key's charge, or returns its refund if already made; undefined when nothing was charged. */
  refund(request: RefundRequest): Promise<RefundReceipt | undefined>;
}

/** Where ChargePayment finds the buyer's payment method: the purchase record, never the saga's input. */
interface PaymentDetails {
  readonly token: string;
  /** The masked token, the only form that may appear in events. */
  readonly paymentRef: string;
}

export type FindPaymentDetails = (purchaseId: string) => Promise<PaymentDetails | undefined>;
