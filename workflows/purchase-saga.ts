/**
 * The purchase saga as Amazon States Language (JSONPath). This object is the
 * one source of truth: the CDK stack deploys it (function ARNs come in as
 * definition substitutions) and the local runtime executes the synthesized
 * copy of it.
 *
 * Each forward step has its compensation, run in reverse order:
 *
 *   ReserveSeats -> ChargePayment -> CreateInvoice -> ConfirmPurchase -> PurchaseConfirmed
 *        |               |                |
 *        v               v                v
 *        |        ReleaseSeats <---- RefundPayment
 *        v               v
 *   RecordPurchaseFailure -> PurchaseFailed
 *
 * Domain events are published by the step Lambdas themselves (after their
 * write), so publishing costs no extra state transitions.
 */

export const STATES = {
  reserveSeats: 'ReserveSeats',
  chargePayment: 'ChargePayment',
  createInvoice: 'CreateInvoice',
  confirmPurchase: 'ConfirmPurchase',
  purchaseConfirmed: 'PurchaseConfirmed',
  refundPayment: 'RefundPayment',
  releaseSeats: 'ReleaseSeats',
  recordPurchaseFailure: 'RecordPurchaseFailure',
  purchaseFailed: 'PurchaseFailed',
  refundFailed: 'RefundFailed',
  seatReleaseFailed: 'SeatReleaseFailed',
  failureNotRecorded: 'FailureNotRecorded',
  confirmationFailed: 'ConfirmationFailed',
} as const;
export type StateName = (typeof STATES)[keyof typeof STATES];

/** The saga's task states, in the order a successful purchase runs them. */
export const FORWARD_STEPS = [STATES.reserveSeats, STATES.chargePayment, STATES.createInvoice, STATES.confirmPurchase] as const;
export const COMPENSATION_STEPS = [STATES.refundPayment, STATES.releaseSeats] as const;

/** Errors a step throws that the machine matches by name (see domain/errors). */
export const ERRORS = {
  seatsUnavailable: 'SeatsUnavailable',
  paymentDeclined: 'PaymentDeclined',
  insufficientFunds: 'InsufficientFunds',
  paymentProviderUnavailable: 'PaymentProviderUnavailable',
  dependencyUnavailable: 'DependencyUnavailable',
  idempotencyInProgress: 'IdempotencyAlreadyInProgressError',
  /** The execution error of a business failure (seats taken, card declined...). */
  purchaseFailed: 'PurchaseFailed',
  /** The execution error when a compensation gave up: a person must act. */
  compensationFailed: 'CompensationFailed',
  confirmationFailed: 'ConfirmationFailed',
} as const;

/** The Lambda behind each task state, as a definition substitution name. */
export const TASK_FUNCTIONS = {
  [STATES.reserveSeats]: 'ReserveSeatsFunctionArn',
  [STATES.chargePayment]: 'ChargePaymentFunctionArn',
  [STATES.createInvoice]: 'CreateInvoiceFunctionArn',
  [STATES.confirmPurchase]: 'ConfirmPurchaseFunctionArn',
  [STATES.refundPayment]: 'RefundPaymentFunctionArn',
  [STATES.releaseSeats]: 'ReleaseSeatsFunctionArn',
  [STATES.recordPurchaseFailure]: 'RecordPurchaseFailureFunctionArn',
} as const;
export type TaskStateName = keyof typeof TASK_FUNCTIONS;

/** Seconds. A hold must outlive the whole execution, so holds only expire after a timed-out run. */
export const EXECUTION_TIMEOUT_SECONDS = 900;
export const TASK_TIMEOUT_SECONDS = 30;
export const HOLD_DURATION_SECONDS = 1200;

const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** Only named transient errors are retried; every step is idempotent, so a timed-out attempt is safe to repeat. */
const TRANSIENT_ERRORS = [
  ...LAMBDA_TRANSIENT_ERRORS,
  ERRORS.dependencyUnavailable,
  ERRORS.idempotencyInProgress,
  'States.Timeout',
];

const forwardRetry = (extraErrors: readonly string[] = []) => [
  {
    ErrorEquals: [...TRANSIENT_ERRORS, ...extraErrors],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
    MaxDelaySeconds: 8,
    JitterStrategy: 'FULL',
  },
];

/** A compensation must not give up easily: a charge is never left unsettled silently. */
const compensationRetry = (extraErrors: readonly string[] = []) => [
  {
    ErrorEquals: [...TRANSIENT_ERRORS, ...extraErrors],
    IntervalSeconds: 2,
    MaxAttempts: 8,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
];

const context = {
  'purchaseId.$': '$.purchaseId',
  'concertId.$': '$.concertId',
  'correlationId.$': '$.correlationId',
};

const lambdaTask = (state: TaskStateName, payload: Record<string, unknown>, resultSelector: Record<string, string>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: `\${${TASK_FUNCTIONS[state]}}`, Payload: payload },
  ResultSelector: resultSelector,
  TimeoutSeconds: TASK_TIMEOUT_SECONDS,
});

const catchTo = (errors: readonly string[], next: StateName, resultPath: string) => ({
  ErrorEquals: [...errors],
  ResultPath: resultPath,
  Next: next,
});

export const purchaseSagaDefinition = {
  Comment: 'Ticket purchase saga: reserve seats, charge, invoice, confirm; compensations in reverse order.',
  StartAt: STATES.reserveSeats,
  TimeoutSeconds: EXECUTION_TIMEOUT_SECONDS,
  States: {
    [STATES.reserveSeats]: {
      ...lambdaTask(
        STATES.reserveSeats,
        { ...context, 'seatIds.$': '$.seatIds' },
        { 'seats.$': '$.Payload.seats', 'total.$': '$.Payload.total', 'holdExpiresAt.$': '$.Payload.holdExpiresAt' },
      ),
      ResultPath: '$.reserveSeats',
      Retry: forwardRetry(),
      Catch: [
        catchTo([ERRORS.seatsUnavailable], STATES.recordPurchaseFailure, '$.reserveSeatsError'),
        // Unknown outcome: some seats may be held, and releasing only touches this purchase's holds.
        catchTo(['States.ALL'], STATES.releaseSeats, '$.reserveSeatsError'),
      ],
      Next: STATES.chargePayment,
    },
    [STATES.chargePayment]: {
      ...lambdaTask(
        STATES.chargePayment,
        { ...context, 'amount.$': '$.reserveSeats.total' },
        { 'chargeId.$': '$.Payload.chargeId', 'amount.$': '$.Payload.amount' },
      ),
      ResultPath: '$.chargePayment',
      Retry: forwardRetry([ERRORS.paymentProviderUnavailable]),
      Catch: [
        catchTo([ERRORS.paymentDeclined, ERRORS.insufficientFunds], STATES.releaseSeats, '$.chargePaymentError'),
        // Unknown outcome: the provider may have captured the money, so refund (a no-op when nothing was charged).
        catchTo(['States.ALL'], STATES.refundPayment, '$.chargePaymentError'),
      ],
      Next: STATES.createInvoice,
    },
    [STATES.createInvoice]: {
      ...lambdaTask(
        STATES.createInvoice,
        { ...context, 'buyerId.$': '$.buyerId', 'seats.$': '$.reserveSeats.seats', 'total.$': '$.reserveSeats.total' },
        { 'invoiceId.$': '$.Payload.invoiceId', 'total.$': '$.Payload.total' },
      ),
      ResultPath: '$.createInvoice',
      Retry: forwardRetry(),
      Catch: [catchTo(['States.ALL'], STATES.refundPayment, '$.createInvoiceError')],
      Next: STATES.confirmPurchase,
    },
    [STATES.confirmPurchase]: {
      ...lambdaTask(
        STATES.confirmPurchase,
        { ...context, 'seatIds.$': '$.seatIds', 'invoiceId.$': '$.createInvoice.invoiceId', 'total.$': '$.createInvoice.total' },
        { 'seats.$': '$.Payload.seats' },
      ),
      ResultPath: '$.confirmPurchase',
      // The buyer is charged and invoiced: keep trying before asking a person.
      Retry: compensationRetry(),
      Catch: [catchTo(['States.ALL'], STATES.confirmationFailed, '$.confirmPurchaseError')],
      Next: STATES.purchaseConfirmed,
    },
    [STATES.purchaseConfirmed]: { Type: 'Succeed' },

    [STATES.refundPayment]: {
      ...lambdaTask(STATES.refundPayment, context, { 'refunded.$': '$.Payload.refunded' }),
      ResultPath: '$.refundPayment',
      Retry: compensationRetry([ERRORS.paymentProviderUnavailable]),
      Catch: [catchTo(['States.ALL'], STATES.refundFailed, '$.refundPaymentError')],
      Next: STATES.releaseSeats,
    },
    [STATES.releaseSeats]: {
      ...lambdaTask(STATES.releaseSeats, { ...context, 'seatIds.$': '$.seatIds' }, { 'seats.$': '$.Payload.seats' }),
      ResultPath: '$.releaseSeats',
      Retry: compensationRetry(),
      Catch: [catchTo(['States.ALL'], STATES.seatReleaseFailed, '$.releaseSeatsError')],
      Next: STATES.recordPurchaseFailure,
    },
    [STATES.recordPurchaseFailure]: {
      // The whole state goes in: the failure record names the failed step from its `<step>Error`.
      ...lambdaTask(STATES.recordPurchaseFailure, { 'saga.$': '$' }, { 'reason.$': '$.Payload.reason', 'failedStep.$': '$.Payload.failedStep' }),
      ResultPath: '$.recordPurchaseFailure',
      Retry: compensationRetry(),
      Catch: [catchTo(['States.ALL'], STATES.failureNotRecorded, '$.recordPurchaseFailureError')],
      Next: STATES.purchaseFailed,
    },
    [STATES.purchaseFailed]: {
      Type: 'Fail',
      Error: ERRORS.purchaseFailed,
      Comment: 'The purchase did not complete and every compensation succeeded.',
    },

    [STATES.confirmationFailed]: {
      Type: 'Fail',
      Error: ERRORS.confirmationFailed,
      Cause: 'Paid and invoiced, but the seats could not be marked sold. Run npm run inspect on the purchase and settle it by hand; a redrive would re-run this Fail state.',
    },
    [STATES.refundFailed]: {
      Type: 'Fail',
      Error: ERRORS.compensationFailed,
      Cause: 'RefundPayment gave up after its retries: the charge is not settled. Run npm run inspect on the purchase and settle it by hand; a redrive would re-run this Fail state.',
    },
    [STATES.seatReleaseFailed]: {
      Type: 'Fail',
      Error: ERRORS.compensationFailed,
      Cause: 'ReleaseSeats gave up after its retries: seats stay held until their hold expires. Run npm run inspect on the purchase and settle it by hand; a redrive would re-run this Fail state.',
    },
    [STATES.failureNotRecorded]: {
      Type: 'Fail',
      Error: ERRORS.compensationFailed,
      Cause: 'Compensations ran but the purchase could not be marked FAILED. Run npm run inspect on the purchase and settle it by hand; a redrive would re-run this Fail state.',
    },
  },
} as const;
