/**
 * The saga's Retry and Catch policy written out by hand, state by state: the
 * one literal both the definition's unit test and the synthesized template's
 * infra test hold the machine to. Nothing here is imported from
 * workflows/purchase-saga.ts on purpose: comparing the definition with its own
 * constants would pass whatever it said, so a transient error dropped,
 * States.ALL retried or a catcher sent elsewhere must fail against this table.
 */

/** Lambda and Step Functions errors another attempt can fix, and our own DependencyUnavailable. */
const TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'Runtime.ExitError',
  'States.Timeout',
  'DependencyUnavailable',
];

/** A duplicate invocation in progress, waited out without jitter: 5, 7.5, 11.25, 15, 15, 15 s, past a 30 s task and its function's timeout. */
const IN_PROGRESS_RETRY = {
  ErrorEquals: ['IdempotencyAlreadyInProgressError'],
  IntervalSeconds: 5,
  MaxAttempts: 6,
  BackoffRate: 1.5,
  MaxDelaySeconds: 15,
  JitterStrategy: 'NONE',
};

/** Forward steps give up sooner: their failure is caught and compensated. */
const forward = (...extra: string[]) => [
  { ErrorEquals: [...TRANSIENT, ...extra], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: 'FULL' },
  IN_PROGRESS_RETRY,
];

/** Compensations, ConfirmPurchase and RecordPurchaseFailure have no catch-all: they outlast any transient fault. */
const settling = (...extra: string[]) => [
  { ErrorEquals: [...TRANSIENT, ...extra], IntervalSeconds: 2, MaxAttempts: 10, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
  IN_PROGRESS_RETRY,
];

/** Each task state's retriers, in the order the machine tries them. */
export const EXPECTED_RETRY: Readonly<Record<string, readonly unknown[]>> = {
  ReserveSeats: forward(),
  ChargePayment: forward('PaymentProviderUnavailable'),
  CreateInvoice: forward(),
  ConfirmPurchase: settling(),
  VoidInvoice: settling(),
  RefundPayment: settling('PaymentProviderUnavailable'),
  ReleaseSeats: settling(),
  RecordPurchaseFailure: settling(),
};

/** Business rejections go to the compensation that undoes what was done; States.ALL, last, only where the outcome is unknown and compensable. */
export const EXPECTED_CATCH: Readonly<Record<string, readonly unknown[] | undefined>> = {
  ReserveSeats: [
    { ErrorEquals: ['SeatsUnavailable'], ResultPath: '$.reserveSeatsError', Next: 'RecordPurchaseFailure' },
    { ErrorEquals: ['States.ALL'], ResultPath: '$.reserveSeatsError', Next: 'ReleaseSeats' },
  ],
  ChargePayment: [
    { ErrorEquals: ['PaymentDeclined', 'InsufficientFunds', 'HoldExpired'], ResultPath: '$.chargePaymentError', Next: 'ReleaseSeats' },
    { ErrorEquals: ['States.ALL'], ResultPath: '$.chargePaymentError', Next: 'RefundPayment' },
  ],
  CreateInvoice: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.createInvoiceError', Next: 'VoidInvoice' }],
  ConfirmPurchase: [{ ErrorEquals: ['SeatsNoLongerHeld'], ResultPath: '$.confirmPurchaseError', Next: 'VoidInvoice' }],
  VoidInvoice: undefined,
  RefundPayment: undefined,
  ReleaseSeats: undefined,
  RecordPurchaseFailure: undefined,
};
