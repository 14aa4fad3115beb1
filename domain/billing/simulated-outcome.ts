/**
 * How the simulated payment provider (adapters/simulated-payment-provider.ts)
 * answers, with no network and no randomness. The buyer's test token decides
 * the outcome:
 *
 * | token                  | outcome                                                            |
 * |------------------------|--------------------------------------------------------------------|
 * | tok_approve            | approved                                                           |
 * | tok_decline            | PaymentDeclinedError                                               |
 * | tok_insufficient_funds | InsufficientFundsError                                             |
 * | tok_unavailable        | PaymentProviderUnavailableError on every attempt (transient)       |
 * | tok_unavailable_once   | PaymentProviderUnavailableError on a purchase's first attempt, then approved |
 * | tok_slow               | approved after 3 s                                                 |
 * | any other token        | approved                                                           |
 */
export const TEST_TOKENS = {
  approve: 'tok_approve',
  decline: 'tok_decline',
  insufficientFunds: 'tok_insufficient_funds',
  unavailable: 'tok_unavailable',
  unavailableOnce: 'tok_unavailable_once',
  slow: 'tok_slow',
} as const;

export const SLOW_APPROVAL_MS = 3_000;

export type SimulatedOutcome =
  | { readonly kind: 'approved'; readonly afterMs: number }
  | { readonly kind: 'declined' }
  | { readonly kind: 'insufficientFunds' }
  | { readonly kind: 'unavailable' };

/** The outcome of the `attempt`-th charge attempt (1-based) for one idempotency key. */
export const simulatedOutcome = (token: string, attempt: number): SimulatedOutcome => {
  switch (token) {
    case TEST_TOKENS.decline:
      return { kind: 'declined' };
    case TEST_TOKENS.insufficientFunds:
      return { kind: 'insufficientFunds' };
    case TEST_TOKENS.unavailable:
      return { kind: 'unavailable' };
    case TEST_TOKENS.unavailableOnce:
      return attempt <= 1 ? { kind: 'unavailable' } : { kind: 'approved', afterMs: 0 };
    case TEST_TOKENS.slow:
      return { kind: 'approved', afterMs: SLOW_APPROVAL_MS };
    default:
      return { kind: 'approved', afterMs: 0 };
  }
};

/** Charge and refund ids derive from the key, so the ledger and the events agree however often a step runs. */
export const chargeIdFor = (idempotencyKey: string) => `ch_${idempotencyKey}`;
export const refundIdFor = (idempotencyKey: string) => `re_${idempotencyKey}`;
