import { InvoiceVoidedError, PaymentVoidedError, SagaStateError, SeatsNoLongerHeldError, SeatsUnavailableError } from '#domain/errors';
import { describeFailure, takenSeatsOf } from '#domain/orders/failure';

/** The Cause Step Functions records for an error a Lambda task threw: the runtime's error JSON. */
const causeOf = (error: Error) => JSON.stringify({ errorType: error.name, errorMessage: error.message });

describe('errors that name seats', () => {
  // The failure record reads the seat ids back from the message: the machine passes on nothing else of the error.
  test.each([
    ['SeatsUnavailable', new SeatsUnavailableError(['A-1', 'AB-12'])],
    ['SeatsNoLongerHeld', new SeatsNoLongerHeldError(['A-1', 'AB-12'])],
  ])('%s names each seat so the buyer can be told which ones', (_name, error) => {
    // Act
    const seats = takenSeatsOf({ Error: error.name, Cause: causeOf(error) });

    // Assess
    expect(seats).toEqual(['A-1', 'AB-12']);
  });

  test('SeatsUnavailable keeps the seat ids for the code that catches it', () => {
    expect(new SeatsUnavailableError(['A-1']).takenSeatIds).toEqual(['A-1']);
  });
});

describe('errors the machine does not catch by name', () => {
  test('SagaStateError tells the buyer of an internal error, not of a payment problem', () => {
    // Arrange
    const error = new SagaStateError('the charge does not match the reservation');

    // Act
    const failure = describeFailure({
      purchaseId: 'purchase-0001',
      concertId: 'rock-night',
      correlationId: 'corr-1',
      chargePaymentError: { Error: error.name, Cause: causeOf(error) },
    });

    // Assess
    expect(failure.reason).toBe('INTERNAL_ERROR');
  });

  // Their name is the Error an execution's history shows for the failed task, what an operator searches for.
  test.each([
    ['PaymentVoided', new PaymentVoidedError()],
    ['InvoiceVoided', new InvoiceVoidedError('voided')],
    ['SagaStateError', new SagaStateError('bad state')],
  ])('%s carries its own name', (name, error) => {
    expect(error.name).toBe(name);
  });
});
