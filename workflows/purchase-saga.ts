import { STEP_ERRORS } from '#domain/errors';

/**
 * The purchase saga as Amazon States Language (JSONPath). This object is the
 * one source of truth: the CDK stack deploys it (function ARNs come in as
 * definition substitutions) and the local runtime executes the synthesized
 * copy of it.
 *
 * Each forward step has its compensation, run in reverse order:
 *
 *   ReserveSeats -> ChargePayment -> CreateInvoice -> ConfirmPurchase -> PurchaseConfirmed
 *        |               |                |                 |
 *        |               |                v                 v
 *        |               |           VoidInvoice <----------+
 *        |               |                v
 *        |               |          RefundPayment
 *        |               v                v
 *        |          ReleaseSeats <--------+
 *        v               v
 *   RecordPurchaseFailure -> PurchaseFailed
 *
 * How the machine ends says who has to act:
 * - SUCCEEDED: the purchase is settled. PurchaseConfirmed and PurchaseFailed
 *   are both Succeed states; the output's `outcome` says which (a business
 *   rejection, e.g. seats taken or a card declined, is not a failure of the
 *   machine).
 * - FAILED, TIMED_OUT, ABORTED: a step kept failing after every retry. Only
 *   the forward steps before the payment is settled have a catch-all; the
 *   compensations and ConfirmPurchase have none, so the execution fails in
 *   the task that gave up and `npm run redrive` resumes it there once the
 *   cause is fixed (every step is idempotent). An alarm fires on the first.
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
  voidInvoice: 'VoidInvoice',
  refundPayment: 'RefundPayment',
  releaseSeats: 'ReleaseSeats',
  recordPurchaseFailure: 'RecordPurchaseFailure',
  purchaseFailed: 'PurchaseFailed',
} as const;
export type StateName = (typeof STATES)[keyof typeof STATES];

/** The saga's task states, in the order a successful purchase runs them. */
export const FORWARD_STEPS = [STATES.reserveSeats, STATES.chargePayment, STATES.createInvoice, STATES.confirmPurchase] as const;
/** The compensations, in the order they run. */
export const COMPENSATION_STEPS = [STATES.voidInvoice, STATES.refundPayment, STATES.releaseSeats] as const;

/** Errors a step throws that the machine matches by name: the domain's (domain/errors.ts) and Powertools' in-progress record. */
export const ERRORS = {
  ...STEP_ERRORS,
  idempotencyInProgress: 'IdempotencyAlreadyInProgressError',
} as const;

/** What a finished execution's output says in `outcome`. */
export const OUTCOMES = { confirmed: 'CONFIRMED', failed: 'FAILED' } as const;

/** The Lambda behind each task state, as a definition substitution name. */
export const TASK_FUNCTIONS = {
  [STATES.reserveSeats]: 'ReserveSeatsFunctionArn',
  [STATES.chargePayment]: 'ChargePaymentFunctionArn',
  [STATES.createInvoice]: 'CreateInvoiceFunctionArn',
  [STATES.confirmPurchase]: 'ConfirmPurchaseFunctionArn',
  [STATES.voidInvoice]: 'VoidInvoiceFunctionArn',
  [STATES.refundPayment]: 'RefundPaymentFunctionArn',
  [STATES.releaseSeats]: 'ReleaseSeatsFunctionArn',
  [STATES.recordPurchaseFailure]: 'RecordPurchaseFailureFunctionArn',
} as const;
export type TaskStateName = keyof typeof TASK_FUNCTIONS;
/** The substitution that carries the stack's partition (aws, aws-cn, aws-us-gov): service integration ARNs differ by partition. */
export const PARTITION_SUBSTITUTION = 'Partition';

/** Seconds a task waits for its Lambda; the function's own timeout is a little shorter (see infra/constructs/workflow.ts). */
export const TASK_TIMEOUT_SECONDS = 30;
/**
 * Seconds. Longer than the worst case of the longest path, every retry of
 * every state included (workflows/retry-budget.ts computes it and a test
 * holds the two together), so only a run that a person must look at times out.
 */
export const EXECUTION_TIMEOUT_SECONDS = 3 * 60 * 60;
/** A hold outlives the whole execution, so a hold only runs out after a run that failed, timed out or was redriven late. */
export const HOLD_DURATION_SECONDS = EXECUTION_TIMEOUT_SECONDS + 15 * 60;
/**
 * ChargePayment charges only while the hold has at least this long to run:
 * the worst case of CreateInvoice and ConfirmPurchase (a test holds them
 * together), so money never moves for seats the purchase could lose.
 */
export const CHARGE_HOLD_MARGIN_SECONDS = 45 * 60;

/**
 * How Lambda reports an invocation that failed for reasons outside the
 * handler's logic: the service failed or throttled, the function timed out
 * (Sandbox.Timedout) or its runtime crashed (Runtime.ExitError), or the
 * answer was lost. Every step is idempotent, so all of them are safe to repeat.
 */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'Runtime.ExitError',
] as const;

/** Only named transient errors are retried: a task that timed out (States.Timeout) or a dependency that throttled. */
export const TRANSIENT_ERRORS = [...LAMBDA_TRANSIENT_ERRORS, 'States.Timeout', ERRORS.dependencyUnavailable] as const;

/**
 * Another invocation of the step holds the Powertools in-progress record.
 * If that invocation crashed, its record lasts until the function's timeout
 * would have ended it, so these retries wait, in total, well past a function
 * timeout. No jitter: the wait must be long enough every time, and a
 * duplicate invocation is rare enough that lockstep retries cost nothing.
 */
const inProgressRetry = {
  ErrorEquals: [ERRORS.idempotencyInProgress],
  IntervalSeconds: 5,
  MaxAttempts: 6,
  BackoffRate: 1.5,
  MaxDelaySeconds: 15,
  JitterStrategy: 'NONE',
};

const forwardRetry = (extraErrors: readonly string[] = []) => [
  {
    ErrorEquals: [...TRANSIENT_ERRORS, ...extraErrors],
    IntervalSeconds: 1,
    MaxAttempts: 5,
    BackoffRate: 2,
    MaxDelaySeconds: 10,
    JitterStrategy: 'FULL',
  },
  inProgressRetry,
];

/** Compensations (and the confirmation of a paid purchase) outlast any transient fault before the execution fails. */
const settlingRetry = (extraErrors: readonly string[] = []) => [
  {
    ErrorEquals: [...TRANSIENT_ERRORS, ...extraErrors],
    IntervalSeconds: 2,
    MaxAttempts: 10,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
  inProgressRetry,
];

const context = {
  'purchaseId.$': '$.purchaseId',
  'concertId.$': '$.concertId',
  'correlationId.$': '$.correlationId',
};

const lambdaTask = (state: TaskStateName, payload: Record<string, unknown>, resultSelector: Record<string, string>) => ({
  Type: 'Task',
  Resource: `arn:\${${PARTITION_SUBSTITUTION}}:states:::lambda:invoke`,
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
        // The whole input: a purchase names seatIds or asks for bestAvailable, and a path to the field it lacks fails the state.
        { ...context, 'saga.$': '$' },
        {
          'seats.$': '$.Payload.seats',
          'seatIds.$': '$.Payload.seatIds',
          'total.$': '$.Payload.total',
          'holdExpiresAt.$': '$.Payload.holdExpiresAt',
        },
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
        { ...context, 'amount.$': '$.reserveSeats.total', 'holdExpiresAt.$': '$.reserveSeats.holdExpiresAt' },
        { 'chargeId.$': '$.Payload.chargeId', 'amount.$': '$.Payload.amount' },
      ),
      ResultPath: '$.chargePayment',
      Retry: forwardRetry([ERRORS.paymentProviderUnavailable]),
      Catch: [
        // Nothing was charged: only the seats are given back.
        catchTo([ERRORS.paymentDeclined, ERRORS.insufficientFunds, ERRORS.holdExpired], STATES.releaseSeats, '$.chargePaymentError'),
        // Unknown outcome: the provider may have captured the money, so refund. A refund that finds no
        // charge voids the payment key, so a charge still on its way can never land afterwards.
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
      // Unknown outcome: the invoice may exist, and voiding is a no-op when it does not.
      Catch: [catchTo(['States.ALL'], STATES.voidInvoice, '$.createInvoiceError')],
      Next: STATES.confirmPurchase,
    },
    [STATES.confirmPurchase]: {
      ...lambdaTask(
        STATES.confirmPurchase,
        // The seats ReserveSeats held: for a purchase by quantity, nothing else names them.
        { ...context, 'seatIds.$': '$.reserveSeats.seatIds', 'invoiceId.$': '$.createInvoice.invoiceId', 'total.$': '$.createInvoice.total' },
        { outcome: OUTCOMES.confirmed, 'invoiceId.$': '$.Payload.invoiceId', 'seats.$': '$.Payload.seats' },
      ),
      ResultPath: '$.confirmPurchase',
      // The buyer is charged and invoiced: keep trying; if it still fails, the execution fails here and a redrive resumes it.
      Retry: settlingRetry(),
      // A hold lost to another purchase is a business outcome: undo the invoice and the charge.
      Catch: [catchTo([ERRORS.seatsNoLongerHeld], STATES.voidInvoice, '$.confirmPurchaseError')],
      Next: STATES.purchaseConfirmed,
    },
    [STATES.purchaseConfirmed]: {
      Type: 'Succeed',
      Comment: 'The seats are sold, paid and invoiced.',
      OutputPath: '$.confirmPurchase',
    },

    [STATES.voidInvoice]: {
      ...lambdaTask(STATES.voidInvoice, context, { 'voided.$': '$.Payload.voided' }),
      ResultPath: '$.voidInvoice',
      Retry: settlingRetry(),
      Next: STATES.refundPayment,
    },
    [STATES.refundPayment]: {
      ...lambdaTask(STATES.refundPayment, context, { 'refunded.$': '$.Payload.refunded' }),
      ResultPath: '$.refundPayment',
      Retry: settlingRetry([ERRORS.paymentProviderUnavailable]),
      Next: STATES.releaseSeats,
    },
    [STATES.releaseSeats]: {
      // The whole state: the seats are the input's seatIds or $.reserveSeats' (absent when ReserveSeats ended unknown).
      ...lambdaTask(STATES.releaseSeats, { ...context, 'saga.$': '$' }, { 'seats.$': '$.Payload.seats' }),
      ResultPath: '$.releaseSeats',
      Retry: settlingRetry(),
      Next: STATES.recordPurchaseFailure,
    },
    [STATES.recordPurchaseFailure]: {
      // The whole state goes in: the failure record names the failed step from its `<step>Error`.
      ...lambdaTask(
        STATES.recordPurchaseFailure,
        { 'saga.$': '$' },
        { outcome: OUTCOMES.failed, 'reason.$': '$.Payload.reason', 'failedStep.$': '$.Payload.failedStep' },
      ),
      ResultPath: '$.recordPurchaseFailure',
      Retry: settlingRetry(),
      Next: STATES.purchaseFailed,
    },
    [STATES.purchaseFailed]: {
      Type: 'Succeed',
      Comment: 'The purchase did not go through and every compensation it needed ran: settled, nobody has to act.',
      OutputPath: '$.recordPurchaseFailure',
    },
  },
} as const;
