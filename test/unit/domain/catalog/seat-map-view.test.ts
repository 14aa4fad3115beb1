import type { Concert, SeatAvailability } from '#domain/catalog/concert';
import { effectiveStatus, seatMapView } from '#domain/catalog/seat-map-view';

const concert: Concert = { concertId: 'rock-night', name: 'Rock Night', venue: 'Arena', startsAt: '2026-12-31T20:00:00Z', currency: 'EUR', seatCount: 5 };
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const seat = (seatId: string, status: SeatAvailability['status'], extra: Partial<SeatAvailability> = {}): SeatAvailability => ({
  concertId: 'rock-night',
  seatId,
  row: seatId.split('-')[0],
  price: eur(100),
  status,
  version: 1,
  ...extra,
});
const now = new Date('2026-11-26T10:00:00.000Z');

test('orders rows as a venue does (Z before AA) and seats by number', () => {
  const view = seatMapView(concert, [seat('AA-1', 'AVAILABLE'), seat('B-10', 'AVAILABLE'), seat('B-2', 'AVAILABLE'), seat('Z-1', 'AVAILABLE')], now);

  expect(view.rows.map((row) => [row.row, row.seats.map((s) => s.number)])).toEqual([
    ['B', [2, 10]],
    ['Z', [1]],
    ['AA', [1]],
  ]);
});

test('counts seats by status', () => {
  const view = seatMapView(
    concert,
    [
      seat('A-1', 'AVAILABLE'),
      seat('A-2', 'HELD', { purchaseId: 'p1', holdExpiresAt: '2026-11-26T10:10:00.000Z' }),
      seat('A-3', 'SOLD', { purchaseId: 'p2' }),
      seat('A-4', 'SOLD', { purchaseId: 'p3' }),
    ],
    now,
  );

  expect(view.counts).toEqual({ total: 4, available: 1, held: 1, sold: 2 });
});

test('shows a seat whose hold has expired as AVAILABLE', () => {
  const view = seatMapView(concert, [seat('A-1', 'HELD', { purchaseId: 'p1', holdExpiresAt: '2026-11-26T09:59:59.000Z' })], now);

  expect(view.rows[0]?.seats[0]?.status).toBe('AVAILABLE');
  expect(view.counts.available).toBe(1);
});

test('shows each seat with its price and no purchase id', () => {
  const view = seatMapView(concert, [seat('A-1', 'SOLD', { purchaseId: 'p1' })], now);

  expect(view.rows[0]?.seats[0]).toEqual({ seatId: 'A-1', number: 1, price: eur(100), status: 'SOLD' });
});

test('carries the concert information', () => {
  expect(seatMapView(concert, [], now)).toEqual({ concert, counts: { total: 0, available: 0, held: 0, sold: 0 }, rows: [] });
});

describe('the status a seat is shown with', () => {
  test('a hold that runs out this very moment has run out', () => {
    // Arrange: the seats table lets another purchase take a seat whose hold expiry is not after now.
    const held = seat('A-1', 'HELD', { purchaseId: 'p1', holdExpiresAt: now.toISOString() });

    // Act
    const status = effectiveStatus(held, now);

    // Assess
    expect(status).toBe('AVAILABLE');
  });

  test('a hold that has not run out stays HELD', () => {
    expect(effectiveStatus(seat('A-1', 'HELD', { purchaseId: 'p1', holdExpiresAt: '2026-11-26T10:00:00.001Z' }), now)).toBe('HELD');
  });

  test('a hold without an expiry stays HELD', () => {
    expect(effectiveStatus(seat('A-1', 'HELD', { purchaseId: 'p1' }), now)).toBe('HELD');
  });

  test('a sold seat stays SOLD even if an old hold expiry is still on the item', () => {
    // Arrange: only a HELD seat can be freed by time; a sale is final.
    const sold = seat('A-1', 'SOLD', { purchaseId: 'p1', holdExpiresAt: '2026-11-26T09:00:00.000Z' });

    // Act
    const status = effectiveStatus(sold, now);

    // Assess
    expect(status).toBe('SOLD');
  });
});
