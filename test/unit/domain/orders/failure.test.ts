import { describeFailure, failedSagaSchema, FORWARD_STEP_NAMES, takenSeatsOf, UNKNOWN_STEP, type FailedSaga } from '#domain/orders/failure';
import { FORWARD_STEPS } from '#workflows/purchase-saga';

const input = { purchaseId: 'purchase-1', concertId: 'rock-night', correlationId: 'corr-1', buyerId: 'buyer-1', seatIds: ['A-1', 'A-2'] };
const lambdaCause = (errorType: string, errorMessage: string) => JSON.stringify({ errorType, errorMessage, trace: ['at internal (/var/task/index.js:1:1)'] });
const caught = (Error: string, message = 'boom') => ({ Error, Cause: lambdaCause(Error, message) });
const saga = (state: Record<string, unknown>): FailedSaga => failedSagaSchema.parse({ ...input, ...state });

describe('the failed step and the reason', () => {
  test.each([
    ['reserveSeatsError', 'SeatsUnavailable', 'ReserveSeats', 'SEATS_UNAVAILABLE'],
    ['reserveSeatsError', 'States.Timeout', 'ReserveSeats', 'RESERVATION_FAILED'],
    ['chargePaymentError', 'PaymentDeclined', 'ChargePayment', 'PAYMENT_DECLINED'],
    ['chargePaymentError', 'InsufficientFunds', 'ChargePayment', 'INSUFFICIENT_FUNDS'],
    ['chargePaymentError', 'PaymentProviderUnavailable', 'ChargePayment', 'PAYMENT_UNAVAILABLE'],
    ['chargePaymentError', 'States.Timeout', 'ChargePayment', 'PAYMENT_UNAVAILABLE'],
    ['chargePaymentError', 'SagaStateError', 'ChargePayment', 'INTERNAL_ERROR'],
    ['chargePaymentError', 'HoldExpired', 'ChargePayment', 'SEATS_UNAVAILABLE'],
    ['createInvoiceError', 'DependencyUnavailable', 'CreateInvoice', 'INVOICE_FAILED'],
    ['confirmPurchaseError', 'SeatsNoLongerHeld', 'ConfirmPurchase', 'SEATS_UNAVAILABLE'],
  ])('%s %s -> %s, %s', (errorPath, errorName, failedStep, reason) => {
    expect(describeFailure(saga({ [errorPath]: caught(errorName) }))).toMatchObject({ failedStep, reason });
  });

  test('the latest forward step that failed is the failed step', () => {
    const state = saga({ chargePaymentError: caught('PaymentDeclined'), createInvoiceError: caught('States.Timeout') });

    expect(describeFailure(state).failedStep).toBe('CreateInvoice');
  });

  test('a seat lost before confirmation names the seat and says the charge was refunded', () => {
    const state = saga({
      confirmPurchaseError: caught('SeatsNoLongerHeld', 'Seats no longer held by the purchase: A-2'),
      voidInvoice: { voided: true },
      refundPayment: { refunded: true },
      releaseSeats: { seats: [] },
    });

    expect(describeFailure(state).message).toBe('Some of the seats you chose are no longer available: A-2. The amount charged was refunded.');
  });

  test('a state without any step error is an internal error of an unknown step', () => {
    expect(describeFailure(saga({}))).toMatchObject({ failedStep: UNKNOWN_STEP, reason: 'INTERNAL_ERROR' });
  });
});

describe('compensation facts', () => {
  test('the payment counts as refunded when RefundPayment refunded it', () => {
    const state = saga({ createInvoiceError: caught('States.Timeout'), refundPayment: { refunded: true }, releaseSeats: { seats: [] } });

    expect(describeFailure(state).paymentRefunded).toBe(true);
  });

  test('the payment does not count as refunded when there was nothing to refund or no refund ran', () => {
    expect(describeFailure(saga({ chargePaymentError: caught('States.Timeout'), refundPayment: { refunded: false } })).paymentRefunded).toBe(false);
    expect(describeFailure(saga({ chargePaymentError: caught('PaymentDeclined') })).paymentRefunded).toBe(false);
  });

  test('seats count as released when ReleaseSeats released at least one', () => {
    const state = saga({ chargePaymentError: caught('PaymentDeclined'), releaseSeats: { seats: [{ seatId: 'A-1', version: 3 }] } });

    expect(describeFailure(state).seatsReleased).toBe(true);
  });

  test('seats do not count as released when none were held or no release ran', () => {
    expect(describeFailure(saga({ reserveSeatsError: caught('States.Timeout'), releaseSeats: { seats: [] } })).seatsReleased).toBe(false);
    expect(describeFailure(saga({ reserveSeatsError: caught('SeatsUnavailable') })).seatsReleased).toBe(false);
  });
});

describe('the buyer\'s message', () => {
  test('names the seats that were taken', () => {
    const state = saga({ reserveSeatsError: caught('SeatsUnavailable', 'Seats not available: A-2, B-10') });

    expect(describeFailure(state).message).toBe('Some of the seats you chose are no longer available: A-2, B-10.');
  });

  test('says the charge was refunded when it was', () => {
    const state = saga({ createInvoiceError: caught('States.Timeout'), refundPayment: { refunded: true } });

    expect(describeFailure(state).message).toBe('The purchase could not be completed. The amount charged was refunded.');
  });

  test('never repeats the internal error message or its stack trace', () => {
    const state = saga({ chargePaymentError: caught('DependencyUnavailable', 'ProvisionedThroughputExceededException on table prod-payments-7F3A') });

    const { message } = describeFailure(state);

    expect(message).not.toMatch(/prod-payments|Exception|index\.js/);
  });
});

describe('reading the taken seats from a Cause', () => {
  test('a cause that is not JSON names no seats', () => {
    expect(takenSeatsOf({ Error: 'SeatsUnavailable', Cause: 'not json' })).toEqual([]);
  });

  test('a missing cause names no seats', () => {
    expect(takenSeatsOf({ Error: 'SeatsUnavailable' })).toEqual([]);
  });

  test('a JSON cause that is not a Lambda error names no seats', () => {
    // Act
    const taken = takenSeatsOf({ Error: 'SeatsUnavailable', Cause: JSON.stringify({ seats: ['A-1'] }) });

    // Assess
    expect(taken).toEqual([]);
  });
});

describe('reasons and messages, edge cases', () => {
  test('a ConfirmPurchase error other than a lost seat is an internal error', () => {
    // Act
    const failure = describeFailure(saga({ confirmPurchaseError: caught('States.Timeout') }));

    // Assess
    expect(failure.reason).toBe('INTERNAL_ERROR');
  });

  test('a ZodError from ChargePayment is an internal error, not an unavailable provider', () => {
    // Act
    const failure = describeFailure(saga({ chargePaymentError: caught('ZodError') }));

    // Assess
    expect(failure.reason).toBe('INTERNAL_ERROR');
  });

  test('a state without any step error names the step "Unknown"', () => {
    // Act
    const failure = describeFailure(saga({}));

    // Assess
    expect(failure.failedStep).toBe('Unknown');
  });

  test('names seats of two-letter rows', () => {
    // Act
    const taken = takenSeatsOf(caught('SeatsUnavailable', 'Seats not available: AB-12'));

    // Assess
    expect(taken).toEqual(['AB-12']);
  });

  test('names no seat when the error names none', () => {
    // Act
    const taken = takenSeatsOf(caught('SeatsUnavailable', 'Seats not available'));

    // Assess
    expect(taken).toEqual([]);
  });

  test('names seats only for a seat failure: a declined payment says nothing of seats', () => {
    // Act
    const failure = describeFailure(saga({ chargePaymentError: caught('PaymentDeclined', 'Declined for seat A-1') }));

    // Assess
    expect(failure.message).toBe('The payment was declined.');
  });

  // Each reason has its own message: a buyer is never shown an empty one, nor another reason's.
  test('gives every reason a message of its own', () => {
    // Arrange
    const states = [
      { reserveSeatsError: { Error: 'SeatsUnavailable' } },
      { reserveSeatsError: { Error: 'States.Timeout' } },
      { chargePaymentError: { Error: 'PaymentDeclined' } },
      { chargePaymentError: { Error: 'InsufficientFunds' } },
      { chargePaymentError: { Error: 'States.Timeout' } },
      { createInvoiceError: { Error: 'States.Timeout' } },
      {},
    ];

    // Act
    const messages = states.map((state) => describeFailure(saga(state)).message);

    // Assess
    expect(messages.every((message) => message.length > 0)).toBe(true);
    expect(new Set(messages).size).toBe(states.length);
  });
});

describe('the saga it reads', () => {
  test('names the forward steps as the state machine names their states, in the order they run', () => {
    // Act
    const names = Object.values(FORWARD_STEP_NAMES);

    // Assess
    expect(names).toEqual(FORWARD_STEPS);
  });
});
