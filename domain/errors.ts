import { ERRORS } from '#workflows/purchase-saga';

/**
 * Errors a saga step throws. Each `name` is the string the state machine
 * matches in Retry/Catch `ErrorEquals`, so renaming one is a workflow change.
 */
export class SeatsUnavailableError extends Error {
  override readonly name = ERRORS.seatsUnavailable;
  constructor(
    readonly takenSeatIds: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Seats not available: ${takenSeatIds.join(', ')}`, options);
  }
}

export class PaymentDeclinedError extends Error {
  override readonly name = ERRORS.paymentDeclined;
  constructor(message = 'The payment was declined', options?: ErrorOptions) {
    super(message, options);
  }
}

export class InsufficientFundsError extends Error {
  override readonly name = ERRORS.insufficientFunds;
  constructor(message = 'The payment method has insufficient funds', options?: ErrorOptions) {
    super(message, options);
  }
}

/** Transient: the machine retries it with backoff. */
export class PaymentProviderUnavailableError extends Error {
  override readonly name = ERRORS.paymentProviderUnavailable;
  constructor(message = 'The payment provider is unavailable', options?: ErrorOptions) {
    super(message, options);
  }
}

/** Transient: a throttled or unreachable AWS dependency. The machine retries it. */
export class DependencyUnavailableError extends Error {
  override readonly name = ERRORS.dependencyUnavailable;
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
