import { DependencyUnavailableError, SagaStateError, SeatsUnavailableError } from '#domain/errors';
import { reserveSeats } from '#domain/inventory/reserve-seats';
import { HOLD_DURATION_SECONDS } from '#workflows/purchase-saga';
import { CONCERT_ID, InMemorySeatStore, NOW, NOW_SECONDS, seat } from './in-memory-seat-store.ts';

const noPause = () => Promise.resolve();
const request = (seatIds: string[], purchaseId = 'purchase-1') => ({ purchaseId, concertId: CONCERT_ID, seatIds });
const reserve = (store: InMemorySeatStore, seatIds: string[], purchaseId = 'purchase-1') =>
  reserveSeats(store, request(seatIds, purchaseId), { now: NOW, pause: noPause, holdDurationSeconds: HOLD_DURATION_SECONDS });
const heldBy = (purchaseId: string, expiresIn = 600) => ({ status: 'HELD' as const, holderPurchaseId: purchaseId, holdExpiresAt: NOW_SECONDS + expiresIn });

test('every requested seat becomes HELD by the purchase until the hold expires, one version later', async () => {
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2', { version: 4 })]);

  await reserve(store, ['A-1', 'A-2']);

  expect(store.seats.get('A-1')).toMatchObject({ status: 'HELD', holderPurchaseId: 'purchase-1', holdExpiresAt: NOW_SECONDS + HOLD_DURATION_SECONDS, version: 2 });
  expect(store.seats.get('A-2')).toMatchObject({ status: 'HELD', version: 5 });
});

test('the reservation lists each seat with its price and new version, the total and the expiry', async () => {
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2', { price: { amount: 9000, currency: 'EUR' } })]);

  const reservation = await reserve(store, ['A-1', 'A-2']);

  expect(reservation).toEqual({
    seats: [
      { seatId: 'A-1', price: { amount: 12000, currency: 'EUR' }, version: 2 },
      { seatId: 'A-2', price: { amount: 9000, currency: 'EUR' }, version: 2 },
    ],
    total: { amount: 21000, currency: 'EUR' },
    holdExpiresAt: NOW_SECONDS + HOLD_DURATION_SECONDS,
  });
});

test('all seats are held in one write', async () => {
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2'), seat('A-3')]);

  await reserve(store, ['A-1', 'A-2', 'A-3']);

  expect(store.writes).toHaveLength(1);
  expect(store.writes[0]?.map((t) => t.seatId)).toEqual(['A-1', 'A-2', 'A-3']);
});

test('a seat held by another purchase makes the reservation fail naming exactly the taken seats', async () => {
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2', heldBy('purchase-2')), seat('A-3', { status: 'SOLD', holderPurchaseId: 'purchase-3' })]);

  const failure = reserve(store, ['A-1', 'A-2', 'A-3']);

  await expect(failure).rejects.toThrow(SeatsUnavailableError);
  await expect(failure).rejects.toMatchObject({ takenSeatIds: ['A-2', 'A-3'] });
});

test('a refused reservation writes nothing', async () => {
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2', heldBy('purchase-2'))]);

  await expect(reserve(store, ['A-1', 'A-2'])).rejects.toThrow(SeatsUnavailableError);

  expect(store.writes).toHaveLength(0);
  expect(store.seats.get('A-1')).toMatchObject({ status: 'AVAILABLE', version: 1 });
});

test('an unknown seat id makes the reservation fail naming it', async () => {
  const store = new InMemorySeatStore([seat('A-1')]);

  await expect(reserve(store, ['A-1', 'Z-99'])).rejects.toMatchObject({ name: 'SeatsUnavailable', takenSeatIds: ['Z-99'] });
});

test('a seat whose hold by another purchase expired can be held', async () => {
  const store = new InMemorySeatStore([seat('A-1', { ...heldBy('purchase-2', -5), version: 2 })]);

  await reserve(store, ['A-1']);

  expect(store.seats.get('A-1')).toMatchObject({ status: 'HELD', holderPurchaseId: 'purchase-1', version: 3 });
});

test('running it again for the same purchase writes nothing and returns the same reservation', async () => {
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2')]);
  const first = await reserve(store, ['A-1', 'A-2']);

  const second = await reserve(store, ['A-1', 'A-2']);

  expect(second).toEqual(first);
  expect(store.writes).toHaveLength(1);
});

test('a seat asked for twice is held once', async () => {
  const store = new InMemorySeatStore([seat('A-1')]);

  const reservation = await reserve(store, ['A-1', 'A-1']);

  expect(reservation.seats.map((s) => s.seatId)).toEqual(['A-1']);
  expect(store.seats.get('A-1')?.version).toBe(2);
});

test('a seat taken between the read and the write ends in SeatsUnavailable naming it', async () => {
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2')]);
  store.beforeWrite = (s) => s.seats.set('A-2', seat('A-2', { ...heldBy('purchase-2'), version: 2 }));

  await expect(reserve(store, ['A-1', 'A-2'])).rejects.toMatchObject({ name: 'SeatsUnavailable', takenSeatIds: ['A-2'] });
  expect(store.seats.get('A-1')).toMatchObject({ status: 'AVAILABLE', version: 1 });
});

test('a seat that changed but is still free is read again and held', async () => {
  const store = new InMemorySeatStore([seat('A-1')]);
  store.beforeWrite = (s) => s.seats.set('A-1', seat('A-1', { version: 3, releasedFromPurchaseId: 'purchase-9' }));

  const reservation = await reserve(store, ['A-1']);

  expect(reservation.seats).toEqual([expect.objectContaining({ seatId: 'A-1', version: 4 })]);
});

test('seats that change before every write end in DependencyUnavailable, for the state machine to retry', async () => {
  const store = new InMemorySeatStore([seat('A-1')]);
  let version = 1;
  const keepChanging = (s: InMemorySeatStore) => {
    version += 1;
    s.seats.set('A-1', seat('A-1', { version }));
    s.beforeWrite = keepChanging;
  };
  store.beforeWrite = keepChanging;

  await expect(reserveSeats(store, request(['A-1']), { now: NOW, pause: noPause, maxAttempts: 3, holdDurationSeconds: HOLD_DURATION_SECONDS })).rejects.toThrow(DependencyUnavailableError);
  expect(store.writes).toHaveLength(0);
});

test('a purchase that already holds some of the seats holds the others too, all under one new expiry', async () => {
  // Prepare
  const store = new InMemorySeatStore([seat('A-1', { ...heldBy('purchase-1'), version: 2 }), seat('A-2')]);

  // Act
  const reservation = await reserve(store, ['A-1', 'A-2']);

  // Assess
  expect(store.writes).toHaveLength(1);
  expect(store.seats.get('A-2')).toMatchObject({ status: 'HELD', holderPurchaseId: 'purchase-1', version: 2 });
  expect(reservation.holdExpiresAt).toBe(NOW_SECONDS + HOLD_DURATION_SECONDS);
});

test('a rerun reports the earliest expiry among the seats it holds: the purchase holds them all only until then', async () => {
  // Prepare
  const store = new InMemorySeatStore([seat('A-1', heldBy('purchase-1', 300)), seat('A-2', heldBy('purchase-1', 600))]);

  // Act
  const reservation = await reserve(store, ['A-1', 'A-2']);

  // Assess
  expect(store.writes).toHaveLength(0);
  expect(reservation.holdExpiresAt).toBe(NOW_SECONDS + 300);
});

test('seats priced in different currencies are a saga state error and are not held', async () => {
  // Prepare
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2', { price: { amount: 9000, currency: 'USD' } })]);

  // Act
  const failure = reserve(store, ['A-1', 'A-2']);

  // Assess: the cause keeps the currencies that met, for whoever investigates the catalog
  await expect(failure).rejects.toThrow(SagaStateError);
  await expect(failure).rejects.toMatchObject({ cause: expect.objectContaining({ message: expect.stringContaining('EUR, USD') }) });
  expect(store.writes).toHaveLength(0);
});

test('a hold lasts the configured duration when one is given', async () => {
  // Prepare
  const store = new InMemorySeatStore([seat('A-1')]);

  // Act
  const reservation = await reserveSeats(store, request(['A-1']), { now: NOW, pause: noPause, holdDurationSeconds: 90 });

  // Assess
  expect(reservation.holdExpiresAt).toBe(NOW_SECONDS + 90);
  expect(store.seats.get('A-1')?.holdExpiresAt).toBe(NOW_SECONDS + 90);
});
