import * as z from 'zod';
import { STEP_ERRORS } from '#domain/errors';
import { sagaInputFieldsSchema } from '#domain/saga-input';
import { seatVersionSchema } from '#events/metadata';
import type { FailureReason } from '#events/purchase-failed';

/**
 * Why a purchase failed, read from the saga's state when RecordPurchaseFailure
 * runs: the forward step that failed left its error at `$.<step>Error`
 * ({Error, Cause} as Step Functions catches it), and the compensations left
 * their results at `$.refundPayment` and `$.releaseSeats`.
 */
const caughtErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional() });
export type CaughtError = z.infer<typeof caughtErrorSchema>;

export const failedSagaSchema = sagaInputFieldsSchema.pick({ purchaseId: true, concertId: true, correlationId: true }).extend({
  reserveSeatsError: caughtErrorSchema.optional(),
  chargePaymentError: caughtErrorSchema.optional(),
  createInvoiceError: caughtErrorSchema.optional(),
  confirmPurchaseError: caughtErrorSchema.optional(),
  refundPayment: z.object({ refunded: z.boolean() }).optional(),
  releaseSeats: z.object({ seats: z.array(seatVersionSchema) }).optional(),
});
export type FailedSaga = z.infer<typeof failedSagaSchema>;

export interface PurchaseFailure {
  readonly failedStep: string;
  readonly reason: FailureReason;
  /** For the buyer: says what happened, never how the system is built. */
  readonly message: string;
  readonly paymentRefunded: boolean;
  readonly seatsReleased: boolean;
}

/** The failed step's name when no forward step left an error (the machine only gets here after one did). */
export const UNKNOWN_STEP = 'Unknown';

/**
 * The saga's forward steps, by the names of their states: the failed step a
 * PurchaseFailed event reports. workflows/purchase-saga.ts names its states,
 * and a test holds the two together.
 */
export const FORWARD_STEP_NAMES = {
  reserveSeats: 'ReserveSeats',
  chargePayment: 'ChargePayment',
  createInvoice: 'CreateInvoice',
  confirmPurchase: 'ConfirmPurchase',
} as const;
type ForwardStep = (typeof FORWARD_STEP_NAMES)[keyof typeof FORWARD_STEP_NAMES];

/** Latest step first: only one forward step can fail, but a rerun state may carry more. */
const FAILED_STEP_ERRORS: ReadonlyArray<{ step: ForwardStep; errorOf: (saga: FailedSaga) => CaughtError | undefined }> = [
  { step: FORWARD_STEP_NAMES.confirmPurchase, errorOf: (saga) => saga.confirmPurchaseError },
  { step: FORWARD_STEP_NAMES.createInvoice, errorOf: (saga) => saga.createInvoiceError },
  { step: FORWARD_STEP_NAMES.chargePayment, errorOf: (saga) => saga.chargePaymentError },
  { step: FORWARD_STEP_NAMES.reserveSeats, errorOf: (saga) => saga.reserveSeatsError },
];

/** Errors that say the saga's data is wrong, not that a service misbehaved. */
const INTERNAL_ERRORS = new Set(['SagaStateError', 'ZodError']);

const failureReasonFor = (step: ForwardStep, errorName: string): FailureReason => {
  switch (step) {
    case FORWARD_STEP_NAMES.reserveSeats:
      return errorName === STEP_ERRORS.seatsUnavailable ? 'SEATS_UNAVAILABLE' : 'RESERVATION_FAILED';
    case FORWARD_STEP_NAMES.chargePayment:
      if (errorName === STEP_ERRORS.paymentDeclined) return 'PAYMENT_DECLINED';
      if (errorName === STEP_ERRORS.insufficientFunds) return 'INSUFFICIENT_FUNDS';
      // The hold ran out before money could move: to the buyer, the seats are no longer theirs.
      if (errorName === STEP_ERRORS.holdExpired) return 'SEATS_UNAVAILABLE';
      // Retries exhausted, timed out or an unknown answer: to the buyer, the payment could not be taken.
      return INTERNAL_ERRORS.has(errorName) ? 'INTERNAL_ERROR' : 'PAYMENT_UNAVAILABLE';
    case FORWARD_STEP_NAMES.createInvoice:
      return 'INVOICE_FAILED';
    case FORWARD_STEP_NAMES.confirmPurchase:
      // Another purchase took seats after this one's hold ran out; the charge was refunded.
      return errorName === STEP_ERRORS.seatsNoLongerHeld ? 'SEATS_UNAVAILABLE' : 'INTERNAL_ERROR';
  }
};

const lambdaErrorSchema = z.object({ errorMessage: z.string() });
const SEAT_ID_PATTERN = /\b[A-Z]{1,2}-\d{1,3}\b/g;

/** The seats a SeatsUnavailable error named, read from its Cause (the Lambda error as JSON). */
export const takenSeatsOf = (error: CaughtError): string[] => {
  if (!error.Cause) return [];
  let cause: unknown;
  try {
    cause = JSON.parse(error.Cause);
  } catch {
    return [];
  }
  const parsed = lambdaErrorSchema.safeParse(cause);
  return parsed.success ? [...new Set(parsed.data.errorMessage.match(SEAT_ID_PATTERN) ?? [])] : [];
};

const REASON_MESSAGES: Readonly<Record<FailureReason, string>> = {
  SEATS_UNAVAILABLE: 'Some of the seats you chose are no longer available.',
  PAYMENT_DECLINED: 'The payment was declined.',
  INSUFFICIENT_FUNDS: 'The payment method has insufficient funds.',
  PAYMENT_UNAVAILABLE: 'The payment could not be processed right now. Please try again later.',
  INVOICE_FAILED: 'The purchase could not be completed.',
  RESERVATION_FAILED: 'The seats could not be reserved. Please try again.',
  INTERNAL_ERROR: 'The purchase could not be completed because of an internal error.',
};

const messageFor = (reason: FailureReason, error: CaughtError | undefined, paymentRefunded: boolean): string => {
  const taken = reason === 'SEATS_UNAVAILABLE' && error ? takenSeatsOf(error) : [];
  const base = taken.length > 0 ? `Some of the seats you chose are no longer available: ${taken.join(', ')}.` : REASON_MESSAGES[reason];
  return paymentRefunded ? `${base} The amount charged was refunded.` : base;
};

/** Describes the failure of a saga from its state. Pure: the same state always gives the same description. */
export const describeFailure = (saga: FailedSaga): PurchaseFailure => {
  const failed = FAILED_STEP_ERRORS.map(({ step, errorOf }) => ({ step, error: errorOf(saga) })).find(({ error }) => error !== undefined);
  const paymentRefunded = saga.refundPayment?.refunded ?? false;
  const seatsReleased = (saga.releaseSeats?.seats.length ?? 0) > 0;
  const failedStep = failed?.step ?? UNKNOWN_STEP;
  const reason = failed?.error ? failureReasonFor(failed.step, failed.error.Error) : 'INTERNAL_ERROR';
  return { failedStep, reason, message: messageFor(reason, failed?.error, paymentRefunded), paymentRefunded, seatsReleased };
};
