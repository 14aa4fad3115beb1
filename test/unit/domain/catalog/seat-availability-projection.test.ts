import { PurchaseConfirmedEvent } from '#events/purchase-confirmed';
import { SeatsReleasedEvent } from '#events/seats-released';
import { SeatsReservedEvent } from '#events/seats-reserved';
import { PROJECTED_SEAT_EVENTS, seatAvailabilityChangesFor } from '#domain/catalog/seat-availability-projection';

const metadata = (detailType: string) => ({
  eventId: `purchase-0001:${detailType}`,
  purchaseId: 'purchase-0001',
  concertId: 'rock-night',
  occurredAt: '2026-11-26T10:00:00.000Z',
  correlationId: 'corr-1',
});
const eur = (amount: number) => ({ amount, currency: 'EUR' });

test('SeatsReserved holds each seat for the purchase until the hold expires', () => {
  const changes = seatAvailabilityChangesFor('SeatsReserved.v1', {
    ...metadata('SeatsReserved.v1'),
    seats: [
      { seatId: 'A-1', version: 2, price: eur(12000) },
      { seatId: 'A-2', version: 4, price: eur(12000) },
    ],
    total: eur(24000),
    holdExpiresAt: '2026-11-26T10:20:00.000Z',
  });

  expect(changes).toEqual([
    { concertId: 'rock-night', seatId: 'A-1', version: 2, status: 'HELD', purchaseId: 'purchase-0001', holdExpiresAt: '2026-11-26T10:20:00.000Z', price: eur(12000) },
    { concertId: 'rock-night', seatId: 'A-2', version: 4, status: 'HELD', purchaseId: 'purchase-0001', holdExpiresAt: '2026-11-26T10:20:00.000Z', price: eur(12000) },
  ]);
});

test('SeatsReleased makes each released seat AVAILABLE with no holder', () => {
  const changes = seatAvailabilityChangesFor('SeatsReleased.v1', { ...metadata('SeatsReleased.v1'), seats: [{ seatId: 'A-1', version: 3 }] });

  expect(changes).toEqual([{ concertId: 'rock-night', seatId: 'A-1', version: 3, status: 'AVAILABLE' }]);
});

test('PurchaseConfirmed marks each seat SOLD to the purchase', () => {
  const changes = seatAvailabilityChangesFor('PurchaseConfirmed.v1', {
    ...metadata('PurchaseConfirmed.v1'),
    seats: [{ seatId: 'A-1', version: 3 }],
    invoiceId: 'INV-1',
    total: eur(12000),
  });

  expect(changes).toEqual([{ concertId: 'rock-night', seatId: 'A-1', version: 3, status: 'SOLD', purchaseId: 'purchase-0001' }]);
});

test('ignores events that do not change seats', () => {
  expect(
    seatAvailabilityChangesFor('PaymentCharged.v1', { ...metadata('PaymentCharged.v1'), chargeId: 'ch_1', amount: eur(1), paymentRef: 'tok_…rove' }),
  ).toEqual([]);
});

test('names the events it projects, one per seat change the saga makes', () => {
  expect(PROJECTED_SEAT_EVENTS).toEqual([SeatsReservedEvent.detailType, SeatsReleasedEvent.detailType, PurchaseConfirmedEvent.detailType]);
});
