import { SeatsUnavailableError } from '#domain/errors';
import { reserveBestAvailable } from '#domain/inventory/reserve-best-available';
import { HOLD_DURATION_SECONDS } from '#workflows/purchase-saga';
import { CONCERT_ID, InMemorySeatStore, NOW, NOW_SECONDS, seat } from './in-memory-seat-store.ts';

const noPause = () => Promise.resolve();
const hall = (rows: string[], perRow: number) => rows.flatMap((row) => Array.from({ length: perRow }, (_, n) => seat(`${row}-${n + 1}`)));
const reserve = (store: InMemorySeatStore, quantity: number, priceBand?: string, purchaseId = 'purchase-1', maxAttempts?: number) =>
  reserveBestAvailable(
    store,
    { purchaseId, concertId: CONCERT_ID, quantity, ...(priceBand === undefined ? {} : { priceBand }) },
    { now: NOW, pause: noPause, holdDurationSeconds: HOLD_DURATION_SECONDS, ...(maxAttempts === undefined ? {} : { maxAttempts }) },
  );
const heldBy = (purchaseId: string) => ({ status: 'HELD' as const, holderPurchaseId: purchaseId, holdExpiresAt: NOW_SECONDS + 600, version: 2 });
const heldSeatIds = (store: InMemorySeatStore, purchaseId = 'purchase-1') =>
  [...store.seats.values()].filter((s) => s.status === 'HELD' && s.holderPurchaseId === purchaseId).map((s) => s.seatId).sort();

test('holds the asked number of adjacent seats in the band, and reports them with their prices and the total', async () => {
  const store = new InMemorySeatStore(hall(['A', 'B', 'C'], 6));

  const reservation = await reserve(store, 2, 'B-C');

  expect(reservation.seats).toHaveLength(2);
  expect(reservation.seats.every((s) => s.seatId.startsWith('B-') || s.seatId.startsWith('C-'))).toBe(true);
  expect(heldSeatIds(store)).toEqual(reservation.seats.map((s) => s.seatId).sort());
  expect(reservation.total).toEqual({ amount: 24000, currency: 'EUR' });
  expect(reservation.holdExpiresAt).toBe(NOW_SECONDS + HOLD_DURATION_SECONDS);
});

test('never picks a seat outside the band', async () => {
  const store = new InMemorySeatStore([...hall(['A'], 4), ...hall(['B'], 2)]);

  await reserve(store, 2, 'B');

  expect(heldSeatIds(store)).toEqual(['B-1', 'B-2']);
});

test('picks across the whole venue when no band is given', async () => {
  const store = new InMemorySeatStore(hall(['A'], 2));

  await reserve(store, 2);

  expect(heldSeatIds(store)).toEqual(['A-1', 'A-2']);
});

test('run again for the same purchase, it returns the seats it holds and writes nothing', async () => {
  const store = new InMemorySeatStore(hall(['A', 'B'], 10));
  const first = await reserve(store, 3, 'A-B');

  const again = await reserve(store, 3, 'A-B');

  expect(again.seats.map((s) => s.seatId)).toEqual(first.seats.map((s) => s.seatId));
  expect(again.seats.map((s) => s.version)).toEqual(first.seats.map((s) => s.version));
  expect(store.writes).toHaveLength(1);
});

test('a lost race picks again without the seats just seen taken, and holds others', async () => {
  const store = new InMemorySeatStore(hall(['A'], 4));
  let lost: string[] = [];
  // Another purchase takes exactly the seats this one is about to write, once.
  store.beforeWrite = (s, transitions) => {
    lost = transitions.map((t) => t.seatId);
    for (const seatId of lost) s.seats.set(seatId, { ...seat(seatId), ...heldBy('purchase-2') });
  };

  await reserve(store, 2, 'A');

  expect(lost).toHaveLength(2);
  expect(heldSeatIds(store)).toHaveLength(2);
  expect(heldSeatIds(store).filter((seatId) => lost.includes(seatId))).toEqual([]);
  expect(store.writes).toHaveLength(1);
});

test('gives up with SeatsUnavailable after the bounded number of lost races', async () => {
  const store = new InMemorySeatStore(hall(['A'], 10));
  let races = 0;
  const loseEveryRace = (s: InMemorySeatStore) => {
    races += 1;
    for (const held of s.seats.values()) s.seats.set(held.seatId, { ...held, version: held.version + 1 });
    s.beforeWrite = loseEveryRace;
  };
  store.beforeWrite = loseEveryRace;

  await expect(reserve(store, 2, 'A', 'purchase-1', 3)).rejects.toThrow(SeatsUnavailableError);
  expect(races).toBe(3);
  expect(heldSeatIds(store)).toEqual([]);
});

test('fewer free seats in the band than asked is SeatsUnavailable, saying so, with nothing written', async () => {
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2', heldBy('purchase-2')), seat('B-1'), seat('B-2')]);

  const failure = reserve(store, 2, 'A');

  await expect(failure).rejects.toThrow('Fewer than 2 seats are left in band A');
  expect(store.writes).toHaveLength(0);
});

test('separate seats when no row has enough adjacent ones', async () => {
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2', heldBy('purchase-2')), seat('A-3')]);

  await reserve(store, 2, 'A');

  expect(heldSeatIds(store)).toEqual(['A-1', 'A-3']);
});
