import { SeatsNoLongerHeldError } from '#domain/errors';
import { confirmSeats } from '#domain/inventory/confirm-seats';
import { CONCERT_ID, InMemorySeatStore, NOW_SECONDS, seat } from './in-memory-seat-store.ts';

const heldBy = (purchaseId: string, version = 2) => ({ status: 'HELD' as const, holderPurchaseId: purchaseId, holdExpiresAt: NOW_SECONDS + 600, version });
const confirm = (store: InMemorySeatStore, seatIds: string[]) =>
  confirmSeats(store, { purchaseId: 'purchase-1', concertId: CONCERT_ID, seatIds }, { pause: () => Promise.resolve() });

test('seats held by the purchase become SOLD to it, one version later, without a hold expiry', async () => {
  const store = new InMemorySeatStore([seat('A-1', heldBy('purchase-1')), seat('A-2', heldBy('purchase-1', 5))]);

  const sold = await confirm(store, ['A-1', 'A-2']);

  expect(sold).toEqual([{ seatId: 'A-1', version: 3 }, { seatId: 'A-2', version: 6 }]);
  expect(store.seats.get('A-1')).toMatchObject({ status: 'SOLD', holderPurchaseId: 'purchase-1', version: 3 });
  expect(store.seats.get('A-1')?.holdExpiresAt).toBeUndefined();
});

test('running it again changes nothing and reports the same seats', async () => {
  const store = new InMemorySeatStore([seat('A-1', heldBy('purchase-1'))]);
  const first = await confirm(store, ['A-1']);

  const second = await confirm(store, ['A-1']);

  expect(second).toEqual(first);
  expect(store.writes).toHaveLength(1);
});

test('a hold that ran out but that nobody took is still the purchase\'s to confirm', async () => {
  const store = new InMemorySeatStore([seat('A-1', { ...heldBy('purchase-1'), holdExpiresAt: NOW_SECONDS - 3600 })]);

  await confirm(store, ['A-1']);

  expect(store.seats.get('A-1')).toMatchObject({ status: 'SOLD', holderPurchaseId: 'purchase-1' });
});

test('a seat the purchase no longer holds is SeatsNoLongerHeld naming it, and nothing is sold', async () => {
  const store = new InMemorySeatStore([seat('A-1', heldBy('purchase-1')), seat('A-2', heldBy('purchase-2')), seat('A-3')]);

  const failure = confirm(store, ['A-1', 'A-2', 'A-3']);

  await expect(failure).rejects.toThrow(SeatsNoLongerHeldError);
  await expect(failure).rejects.toThrow(/A-2, A-3/);
  expect(store.writes).toHaveLength(0);
});

test('a seat sold to another purchase is SeatsNoLongerHeld, and nothing is sold', async () => {
  // Prepare
  const store = new InMemorySeatStore([seat('A-1', heldBy('purchase-1')), seat('A-2', { status: 'SOLD', holderPurchaseId: 'purchase-2', version: 3 })]);

  // Act
  const failure = confirm(store, ['A-1', 'A-2']);

  // Assess
  await expect(failure).rejects.toMatchObject({ name: 'SeatsNoLongerHeld', lostSeatIds: ['A-2'] });
  expect(store.writes).toHaveLength(0);
});

test('a seat marked free is SeatsNoLongerHeld even if it still names the purchase as holder', async () => {
  // Prepare: the status decides, not a holder attribute a hand-edited or older item kept
  const store = new InMemorySeatStore([seat('A-1', { holderPurchaseId: 'purchase-1', version: 3 })]);

  // Act
  const failure = confirm(store, ['A-1']);

  // Assess
  await expect(failure).rejects.toMatchObject({ name: 'SeatsNoLongerHeld', lostSeatIds: ['A-1'] });
});

test('seats already sold to the purchase are reported with their version and not written again', async () => {
  // Prepare
  const store = new InMemorySeatStore([seat('A-1', { status: 'SOLD', holderPurchaseId: 'purchase-1', version: 3 }), seat('A-2', heldBy('purchase-1', 5))]);

  // Act
  const sold = await confirm(store, ['A-1', 'A-2']);

  // Assess
  expect(sold).toEqual([{ seatId: 'A-1', version: 3 }, { seatId: 'A-2', version: 6 }]);
  expect(store.writes).toEqual([[{ seatId: 'A-2', expectedVersion: 5, change: { status: 'SOLD', holderPurchaseId: 'purchase-1' } }]]);
});
