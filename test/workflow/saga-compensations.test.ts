import { TEST_TOKENS } from '#domain/billing/simulated-outcome';
import { ERRORS, OUTCOMES, STATES } from '#workflows/purchase-saga';
import { useSagaRig, type SagaRun } from './support/saga-harness.ts';

/**
 * The purchase saga as synthesized, on the local engine, with the real step
 * handlers and DynamoDB Local: every path that ends in PurchaseFailed, with
 * its compensations run in reverse order. Faults a handler cannot produce on
 * its own come through the invoker's fault plan, as the local runtime injects them.
 */
const rig = useSagaRig();

/** A non-transient error the saga does not retry: CreateInvoice's catch-all sends it to the refund. */
const INVOICE_REJECTED = { failTimes: 1, errorType: 'InvoiceRejected', message: 'The invoicing service rejected the purchase' };

/** A business rejection is settled: the execution succeeds and its output names the outcome. */
const rejectedWith = (run: SagaRun) => ({ status: run.execution.status, output: JSON.parse(run.execution.output ?? 'null') as unknown });

const taskEventsOf = (run: SagaRun, state: string) => {
  const entered = run.history.findIndex((event) => event.type === 'TaskStateEntered' && event.stateEnteredEventDetails?.['name'] === state);
  const exited = run.history.findIndex((event, index) => index > entered && event.type === 'TaskStateExited');
  return run.history.slice(entered, exited + 1).map((event) => event.type);
};

describe('purchase saga: failed purchases and their compensations', () => {
  it('seats unavailable: no seat is held or charged, and the failure is recorded', async () => {
    // Prepare
    const purchaseId = 'seats-taken-0001';
    const soldSeat = await rig().seat('B-1');
    await rig().putSeat({ ...soldSeat, status: 'SOLD', holderPurchaseId: 'earlier-buyer-0001', version: soldSeat.version + 1 });

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds: ['B-1', 'B-2'], paymentToken: TEST_TOKENS.approve });

    // Assess
    expect(rejectedWith(run)).toEqual({
      status: 'SUCCEEDED',
      output: { outcome: OUTCOMES.failed, reason: 'SEATS_UNAVAILABLE', failedStep: STATES.reserveSeats },
    });
    expect(run.states).toEqual([STATES.reserveSeats, STATES.recordPurchaseFailure, STATES.purchaseFailed]);
    expect(await rig().seat('B-1')).toMatchObject({ status: 'SOLD', holderPurchaseId: 'earlier-buyer-0001' });
    expect(await rig().seat('B-2')).toMatchObject({ status: 'AVAILABLE', version: 1 });
    expect(await rig().ledger(purchaseId)).toBeUndefined();
    expect(rig().eventsOf(purchaseId)).toEqual([
      { detailType: 'PurchaseFailed.v1', detail: expect.objectContaining({ reason: 'SEATS_UNAVAILABLE', failedStep: STATES.reserveSeats, paymentRefunded: false }) },
    ]);
  });

  it('payment declined: the seats are released and nothing is charged', async () => {
    // Prepare
    const purchaseId = 'declined-0001';

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds: ['B-3', 'B-4'], paymentToken: TEST_TOKENS.decline });

    // Assess
    expect(rejectedWith(run)).toEqual({
      status: 'SUCCEEDED',
      output: { outcome: OUTCOMES.failed, reason: 'PAYMENT_DECLINED', failedStep: STATES.chargePayment },
    });
    expect(run.states).toEqual([STATES.reserveSeats, STATES.chargePayment, STATES.releaseSeats, STATES.recordPurchaseFailure, STATES.purchaseFailed]);
    expect(taskEventsOf(run, STATES.chargePayment)).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskFailed', 'TaskStateExited']);
    for (const seatId of ['B-3', 'B-4']) expect(await rig().seat(seatId)).toMatchObject({ status: 'AVAILABLE' });
    expect((await rig().ledger(purchaseId))?.status).toBeUndefined();
    expect(await rig().invoice(purchaseId)).toBeUndefined();
    expect(rig().eventsOf(purchaseId).map((event) => event.detailType)).toEqual(['SeatsReserved.v1', 'SeatsReleased.v1', 'PurchaseFailed.v1']);
    expect(rig().eventsOf(purchaseId).at(-1)?.detail).toMatchObject({ reason: 'PAYMENT_DECLINED', failedStep: STATES.chargePayment, seatsReleased: true });
  });

  it('invoice failure: the invoice is voided, the charge refunded, then the seats released, in reverse order', async () => {
    // Prepare
    const purchaseId = 'invoice-fails-0001';
    rig().invoker.injectFaults({ 'create-invoice': INVOICE_REJECTED });

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds: ['B-5'], paymentToken: TEST_TOKENS.approve });

    // Assess
    expect(rejectedWith(run)).toEqual({
      status: 'SUCCEEDED',
      output: { outcome: OUTCOMES.failed, reason: 'INVOICE_FAILED', failedStep: STATES.createInvoice },
    });
    expect(run.states).toEqual([
      STATES.reserveSeats,
      STATES.chargePayment,
      STATES.createInvoice,
      STATES.voidInvoice,
      STATES.refundPayment,
      STATES.releaseSeats,
      STATES.recordPurchaseFailure,
      STATES.purchaseFailed,
    ]);
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'REFUNDED', chargeId: expect.any(String), refundId: expect.any(String) });
    // No invoice was issued, and the void mark makes sure none can be.
    expect(await rig().invoiceItem(purchaseId)).toEqual({ purchaseId, voidedAt: expect.any(String) });
    expect(await rig().seat('B-5')).toMatchObject({ status: 'AVAILABLE' });
    expect(rig().eventsOf(purchaseId).map((event) => event.detailType)).toEqual([
      'SeatsReserved.v1',
      'PaymentCharged.v1',
      'PaymentRefunded.v1',
      'SeatsReleased.v1',
      'PurchaseFailed.v1',
    ]);
    expect(rig().eventsOf(purchaseId).at(-1)?.detail).toMatchObject({ reason: 'INVOICE_FAILED', paymentRefunded: true, seatsReleased: true });
  });

  it('a compensation that fails then succeeds on retry: RefundPayment retries a transient error and refunds once', async () => {
    // Prepare
    const purchaseId = 'refund-retry-0001';
    rig().invoker.injectFaults({
      'create-invoice': INVOICE_REJECTED,
      'refund-payment': { failTimes: 1, errorType: ERRORS.dependencyUnavailable, message: 'The payments table throttled the refund' },
    });

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds: ['B-6'], paymentToken: TEST_TOKENS.approve });

    // Assess
    expect(rejectedWith(run)).toMatchObject({ status: 'SUCCEEDED', output: { outcome: OUTCOMES.failed } });
    expect(run.states).toEqual([
      STATES.reserveSeats,
      STATES.chargePayment,
      STATES.createInvoice,
      STATES.voidInvoice,
      STATES.refundPayment,
      STATES.releaseSeats,
      STATES.recordPurchaseFailure,
      STATES.purchaseFailed,
    ]);
    expect(taskEventsOf(run, STATES.refundPayment)).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'REFUNDED' });
    expect(await rig().seat('B-6')).toMatchObject({ status: 'AVAILABLE' });
    expect(rig().eventsOf(purchaseId).filter((event) => event.detailType === 'PaymentRefunded.v1')).toHaveLength(1);
  });
});
