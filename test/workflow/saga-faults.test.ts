import { TEST_TOKENS } from '#domain/billing/simulated-outcome';
import { OUTCOMES, STATES } from '#workflows/purchase-saga';
import { RETRY_DELAY_SCALE, useSagaRig, type SagaRun } from './support/saga-harness.ts';

/**
 * The ordinary faults of Lambda, injected at the invoke boundary through the
 * fault plan (the handlers are untouched): a function that timed out, a
 * runtime that crashed, an answer lost, a duplicate still in progress. None
 * of them may leave a charge unsettled or seats held, and none may need a
 * person: every execution ends SUCCEEDED, CONFIRMED or settled as FAILED.
 */
const rig = useSagaRig();

/** The Lambda service's own error names (see LAMBDA_TRANSIENT_ERRORS in the definition). */
const FUNCTION_TIMED_OUT = { failTimes: 1, errorType: 'Sandbox.Timedout', message: 'Task timed out after 25.00 seconds' };
const RUNTIME_CRASHED = { failTimes: 1, errorType: 'Runtime.ExitError', message: 'RequestId: 1 Error: Runtime exited with error: signal: killed' };
const ANSWER_LOST = { failTimes: 1, errorType: 'Lambda.ServiceException', message: 'The answer was lost', when: 'afterHandler' as const };
/** One more than the settling Retry's attempts for transient errors: the compensation gives up. */
const SERVICE_DOWN_FOR_GOOD = { failTimes: 11, errorType: 'Lambda.ServiceException', message: 'The Lambda service is unavailable' };

const outputOf = (run: SagaRun): unknown => JSON.parse(run.execution.output ?? 'null');
const attemptsOf = (run: SagaRun, state: string) => {
  const entered = run.history.findIndex((event) => event.type === 'TaskStateEntered' && event.stateEnteredEventDetails?.['name'] === state);
  const exited = run.history.findIndex((event, index) => index > entered && event.type === 'TaskStateExited');
  return run.history.slice(entered, exited + 1).filter((event) => event.type === 'TaskScheduled').length;
};

describe('purchase saga under Lambda faults', () => {
  it('RefundPayment times out once (tok_unavailable): retried, the purchase fails settled, no money taken, seats released', async () => {
    // Prepare
    const purchaseId = 'refund-timeout-0001';
    rig().invoker.injectFaults({ 'refund-payment': FUNCTION_TIMED_OUT });

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds: ['A-1'], paymentToken: TEST_TOKENS.unavailable });

    // Assess
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(outputOf(run)).toEqual({ outcome: OUTCOMES.failed, reason: 'PAYMENT_UNAVAILABLE', failedStep: STATES.chargePayment });
    expect(attemptsOf(run, STATES.refundPayment)).toBe(2);
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'VOIDED' });
    expect((await rig().ledger(purchaseId))?.chargeId).toBeUndefined();
    expect(await rig().seat('A-1')).toMatchObject({ status: 'AVAILABLE' });
  });

  it('ReleaseSeats times out once (tok_decline): retried, the seats are released and the purchase fails settled', async () => {
    // Prepare
    const purchaseId = 'release-timeout-0001';
    rig().invoker.injectFaults({ 'release-seats': FUNCTION_TIMED_OUT });

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds: ['A-2', 'A-3'], paymentToken: TEST_TOKENS.decline });

    // Assess
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(outputOf(run)).toEqual({ outcome: OUTCOMES.failed, reason: 'PAYMENT_DECLINED', failedStep: STATES.chargePayment });
    expect(attemptsOf(run, STATES.releaseSeats)).toBe(2);
    for (const seatId of ['A-2', 'A-3']) expect(await rig().seat(seatId)).toMatchObject({ status: 'AVAILABLE' });
    expect(rig().eventsOf(purchaseId).map((event) => event.detailType)).toEqual(['SeatsReserved.v1', 'SeatsReleased.v1', 'PurchaseFailed.v1']);
  });

  it('ConfirmPurchase crashes once (Runtime.ExitError): retried, the purchase is confirmed with one charge and one invoice', async () => {
    // Prepare
    const purchaseId = 'confirm-crash-0001';
    rig().invoker.injectFaults({ 'confirm-purchase': RUNTIME_CRASHED });

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds: ['A-4'], paymentToken: TEST_TOKENS.approve });

    // Assess
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(outputOf(run)).toMatchObject({ outcome: OUTCOMES.confirmed, invoiceId: `INV-${purchaseId}` });
    expect(attemptsOf(run, STATES.confirmPurchase)).toBe(2);
    expect(await rig().seat('A-4')).toMatchObject({ status: 'SOLD', holderPurchaseId: purchaseId });
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'CHARGED', attempts: 1, charges: 1 });
  });

  it("ChargePayment's answer is lost after it charged: the retry returns the stored charge and the purchase is confirmed", async () => {
    // Prepare
    const purchaseId = 'charge-answer-lost-0001';
    rig().invoker.injectFaults({ 'charge-payment': ANSWER_LOST });

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds: ['A-5'], paymentToken: TEST_TOKENS.approve });

    // Assess
    expect(outputOf(run)).toMatchObject({ outcome: OUTCOMES.confirmed });
    expect(attemptsOf(run, STATES.chargePayment)).toBe(2);
    // The retry answers from the idempotency record: the charge and its event happened once.
    expect(rig().eventsOf(purchaseId).filter((event) => event.detailType === 'PaymentCharged.v1')).toHaveLength(1);
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'CHARGED', chargeId: `ch_${purchaseId}` });
  });

  it('a crashed ChargePayment left its idempotency record in progress: the retries wait it out and charge once', async () => {
    // Prepare: the record lasts a function timeout (25 s), scaled like every Retry wait of this rig.
    const purchaseId = 'charge-in-progress-0001';
    rig().invoker.beforeNextInvocation('charge-payment', () => rig().leaveInProgressRecord('charge-payment', purchaseId, 25_000 * RETRY_DELAY_SCALE));

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds: ['A-6'], paymentToken: TEST_TOKENS.approve });

    // Assess
    expect(outputOf(run)).toMatchObject({ outcome: OUTCOMES.confirmed });
    expect(run.history.some((event) => event.taskFailedEventDetails?.['error'] === 'IdempotencyAlreadyInProgressError')).toBe(true);
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'CHARGED', attempts: 1, charges: 1 });
  });

  it('another purchase took the seat while the saga stalled before ConfirmPurchase: invoice voided, charge refunded, a settled failure', async () => {
    // Prepare
    const purchaseId = 'hold-lost-0001';
    rig().invoker.beforeNextInvocation('confirm-purchase', async () => {
      const seat = await rig().seat('A-7');
      await rig().putSeat({ ...seat, status: 'SOLD', holderPurchaseId: 'later-buyer-0001', version: seat.version + 2 });
    });

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds: ['A-7'], paymentToken: TEST_TOKENS.approve });

    // Assess
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(outputOf(run)).toEqual({ outcome: OUTCOMES.failed, reason: 'SEATS_UNAVAILABLE', failedStep: STATES.confirmPurchase });
    expect(run.states.slice(4)).toEqual([STATES.voidInvoice, STATES.refundPayment, STATES.releaseSeats, STATES.recordPurchaseFailure, STATES.purchaseFailed]);
    expect(await rig().invoiceItem(purchaseId)).toMatchObject({ invoiceId: `INV-${purchaseId}`, voidedAt: expect.any(String) });
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'REFUNDED' });
    expect(await rig().seat('A-7')).toMatchObject({ status: 'SOLD', holderPurchaseId: 'later-buyer-0001' });
    expect(rig().eventsOf(purchaseId).map((event) => event.detailType)).toEqual([
      'SeatsReserved.v1',
      'PaymentCharged.v1',
      'InvoiceCreated.v1',
      'InvoiceVoided.v1',
      'PaymentRefunded.v1',
      'SeatsReleased.v1',
      'PurchaseFailed.v1',
    ]);
    expect(rig().eventsOf(purchaseId).find((event) => event.detailType === 'SeatsReleased.v1')?.detail).toMatchObject({ seats: [] });
  });

  it('a compensation that keeps failing fails the execution in that task, and a redrive settles it', async () => {
    // Prepare
    const purchaseId = 'refund-gives-up-0001';
    rig().invoker.injectFaults({ 'create-invoice': { failTimes: 1, errorType: 'InvoiceRejected' }, 'refund-payment': SERVICE_DOWN_FOR_GOOD });
    const failed = await rig().runPurchase({ purchaseId, seatIds: ['A-8'], paymentToken: TEST_TOKENS.approve });
    rig().invoker.injectFaults({});

    // Act
    const redriven = await rig().redrive(purchaseId);

    // Assess
    expect(failed.execution).toMatchObject({ status: 'FAILED', error: 'Lambda.ServiceException' });
    expect(failed.states.at(-1)).toBe(STATES.refundPayment);
    expect(redriven.execution.status).toBe('SUCCEEDED');
    expect(outputOf(redriven)).toEqual({ outcome: OUTCOMES.failed, reason: 'INVOICE_FAILED', failedStep: STATES.createInvoice });
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'REFUNDED' });
    expect(await rig().seat('A-8')).toMatchObject({ status: 'AVAILABLE' });
  });
});
