import { TEST_TOKENS } from '#domain/billing/simulated-outcome';
import { ERRORS, OUTCOMES, STATES } from '#workflows/purchase-saga';
import { useSagaRig } from './support/saga-harness.ts';

/**
 * The purchase saga as synthesized, on the local engine, with the real step
 * handlers and DynamoDB Local: the paths that end in a confirmed purchase.
 */
const rig = useSagaRig();

const CONFIRMED_PATH = [STATES.reserveSeats, STATES.chargePayment, STATES.createInvoice, STATES.confirmPurchase, STATES.purchaseConfirmed];

describe('purchase saga: confirmed purchases', () => {
  it('happy path: reserves, charges, invoices and confirms, leaving the seats sold', async () => {
    // Prepare
    const purchaseId = 'happy-path-0001';
    const seatIds = ['A-1', 'A-2'];

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds, paymentToken: TEST_TOKENS.approve });

    // Assess
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(CONFIRMED_PATH);
    expect(JSON.parse(run.execution.output ?? 'null')).toEqual({
      outcome: OUTCOMES.confirmed,
      invoiceId: `INV-${purchaseId}`,
      seats: seatIds.map((seatId) => ({ seatId, version: expect.any(Number) })),
    });
    for (const seatId of seatIds) {
      expect(await rig().seat(seatId)).toMatchObject({ status: 'SOLD', holderPurchaseId: purchaseId });
    }
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'CHARGED', attempts: 1, amount: { amount: 10_000, currency: 'EUR' } });
    expect(await rig().invoice(purchaseId)).toMatchObject({ purchaseId, total: { amount: 10_000, currency: 'EUR' } });
    expect(rig().eventsOf(purchaseId).map((event) => event.detailType)).toEqual([
      'SeatsReserved.v1',
      'PaymentCharged.v1',
      'InvoiceCreated.v1',
      'PurchaseConfirmed.v1',
    ]);
  });

  it('transient payment failure then success: ChargePayment is retried within its state and the purchase confirms', async () => {
    // Prepare
    const purchaseId = 'transient-pay-0001';
    const seatIds = ['A-3'];

    // Act
    const run = await rig().runPurchase({ purchaseId, seatIds, paymentToken: TEST_TOKENS.unavailableOnce });

    // Assess
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(CONFIRMED_PATH);
    const chargeEvents = run.history
      .slice(run.history.findIndex((event) => event.stateEnteredEventDetails?.['name'] === STATES.chargePayment))
      .slice(0, 8)
      .map((event) => event.type);
    expect(chargeEvents).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    expect(run.history.find((event) => event.type === 'TaskFailed')?.taskFailedEventDetails?.['error']).toBe(ERRORS.paymentProviderUnavailable);
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'CHARGED', attempts: 2 });
    expect(await rig().seat('A-3')).toMatchObject({ status: 'SOLD', holderPurchaseId: purchaseId });
    expect(rig().eventsOf(purchaseId).filter((event) => event.detailType === 'PaymentCharged.v1')).toHaveLength(1);
  });
});
