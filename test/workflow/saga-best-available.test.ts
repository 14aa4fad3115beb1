import { TEST_TOKENS } from '#domain/billing/simulated-outcome';
import { OUTCOMES, STATES } from '#workflows/purchase-saga';
import { useSagaRig } from './support/saga-harness.ts';

/**
 * The saga as synthesized, on the local engine with the real handlers and
 * DynamoDB Local, for purchases that ask for a quantity of the best seats:
 * the seats ReserveSeats chooses are the ones every later step works on.
 */
const rig = useSagaRig();

describe('purchase saga: the best available seats', () => {
  it('confirms the two adjacent seats ReserveSeats chose, and sells exactly those', async () => {
    // Prepare
    const purchaseId = 'best-available-0001';

    // Act
    const run = await rig().runPurchase({ purchaseId, bestAvailable: { quantity: 2, priceBand: 'B' }, paymentToken: TEST_TOKENS.approve });

    // Assess
    expect(run.execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(run.execution.output ?? 'null') as { outcome: string; seats: Array<{ seatId: string }> };
    expect(output.outcome).toBe(OUTCOMES.confirmed);
    const sold = await Promise.all(output.seats.map(({ seatId }) => rig().seat(seatId)));
    expect(sold.map((seat) => [seat.row, seat.status, seat.holderPurchaseId])).toEqual([
      ['B', 'SOLD', purchaseId],
      ['B', 'SOLD', purchaseId],
    ]);
    expect(Math.abs((sold[0]?.number ?? 0) - (sold[1]?.number ?? 0))).toBe(1);
  });

  it('a declined payment releases the seats that were chosen', async () => {
    // Prepare
    const purchaseId = 'best-available-0002';

    // Act
    const run = await rig().runPurchase({ purchaseId, bestAvailable: { quantity: 2, priceBand: 'B' }, paymentToken: TEST_TOKENS.decline });

    // Assess
    expect(run.states).toContain(STATES.releaseSeats);
    const reserved = rig().eventsOf(purchaseId).find((event) => event.detailType === 'SeatsReserved.v1');
    const released = rig().eventsOf(purchaseId).find((event) => event.detailType === 'SeatsReleased.v1');
    const idsOf = (detail: unknown) => ((detail as { seats: Array<{ seatId: string }> }).seats ?? []).map((seat) => seat.seatId);
    expect(idsOf(released?.detail)).toEqual(idsOf(reserved?.detail));
    for (const seatId of idsOf(reserved?.detail)) expect(await rig().seat(seatId)).toMatchObject({ status: 'AVAILABLE' });
  });
});
