/**
 * Errors a saga step throws. STEP_ERRORS holds the names the state machine
 * matches in Retry/Catch `ErrorEquals` (workflows/purchase-saga.ts builds its
 * ERRORS from them), so renaming one is a workflow change. The domain owns
 * the names: the workflow depends on the steps it runs, never the other way
 * round.
 */
export const STEP_ERRORS = {
  seatsUnavailable: 'SeatsUnavailable',
  /** ChargePayment: the hold would run out before the purchase can be confirmed, so nothing is charged. */
  holdExpired: 'HoldExpired',
  /** ConfirmPurchase: another purchase took a seat after this one's hold ran out (e.g. a late redrive). */
  seatsNoLongerHeld: 'SeatsNoLongerHeld',
  paymentDeclined: 'PaymentDeclined',
  insufficientFunds: 'InsufficientFunds',
  paymentProviderUnavailable: 'PaymentProviderUnavailable',
  dependencyUnavailable: 'DependencyUnavailable',
} as const;

/** Seats a purchase named are taken (`takenSeatIds`), or, for a purchase by quantity, too few are left (none named, a message says why). */
export class SeatsUnavailableError extends Error {
  override readonly name = STEP_ERRORS.seatsUnavailable;
  constructor(
    readonly takenSeatIds: readonly string[],
    options?: ErrorOptions & { readonly message?: string },
  ) {
    super(options?.message ?? `Seats not available: ${takenSeatIds.join(', ')}`, options);
  }
}

/**
 * ChargePayment refuses to charge when the purchase's hold would run out
 * before the purchase can be confirmed (a run stalled, or was redriven late):
 * nothing is charged, the seats are released, the buyer is told.
 */
export class HoldExpiredError extends Error {
  override readonly name = STEP_ERRORS.holdExpired;
  constructor(message = 'The hold on the seats runs out before the purchase can be confirmed', options?: ErrorOptions) {
    super(message, options);
  }
}

/** ConfirmPurchase: another purchase took seats after this one's hold ran out. A business outcome: the charge is undone. */
export class SeatsNoLongerHeldError extends Error {
  override readonly name = STEP_ERRORS.seatsNoLongerHeld;
  constructor(
    readonly lostSeatIds: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Seats no longer held by the purchase: ${lostSeatIds.join(', ')}`, options);
  }
}

export class PaymentDeclinedError extends Error {
  override readonly name = STEP_ERRORS.paymentDeclined;
  constructor(message = 'The payment was declined', options?: ErrorOptions) {
    super(message, options);
  }
}

export class InsufficientFundsError extends Error {
  override readonly name = STEP_ERRORS.insufficientFunds;
  constructor(message = 'The payment method has insufficient funds', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The payment key was voided: a refund found no charge and closed the key,
 * so this late charge attempt must not take money. Only an invocation whose
 * answer nobody waits for any more can meet it.
 */
export class PaymentVoidedError extends Error {
  override readonly name = 'PaymentVoided';
  constructor(message = 'The payment was voided before this charge could be made', options?: ErrorOptions) {
    super(message, options);
  }
}

/** The purchase's invoicing was voided (VoidInvoice ran first): this late CreateInvoice must not issue one. */
export class InvoiceVoidedError extends Error {
  override readonly name = 'InvoiceVoided';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Transient: the machine retries it with backoff. */
export class PaymentProviderUnavailableError extends Error {
  override readonly name = STEP_ERRORS.paymentProviderUnavailable;
  constructor(message = 'The payment provider is unavailable', options?: ErrorOptions) {
    super(message, options);
  }
}

/** Transient: a throttled or unreachable AWS dependency. The machine retries it. */
export class DependencyUnavailableError extends Error {
  override readonly name = STEP_ERRORS.dependencyUnavailable;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Not retried: the step's input or stored state contradicts the saga (a bug or manual tampering). */
export class SagaStateError extends Error {
  override readonly name = 'SagaStateError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
