import { releaseSeats } from '#domain/inventory/release-seats';
import { CONCERT_ID, InMemorySeatStore, NOW_SECONDS, seat } from './in-memory-seat-store.ts';

const heldBy = (purchaseId: string, version = 2) => ({ status: 'HELD' as const, holderPurchaseId: purchaseId, holdExpiresAt: NOW_SECONDS + 600, version });
const release = (store: InMemorySeatStore, seatIds: string[]) =>
  releaseSeats(store, { purchaseId: 'purchase-1', concertId: CONCERT_ID, seatIds }, { pause: () => Promise.resolve() });

test('seats held by the purchase become AVAILABLE, one version later, with no holder', async () => {
  const store = new InMemorySeatStore([seat('A-1', heldBy('purchase-1')), seat('A-2', heldBy('purchase-1', 7))]);

  const released = await release(store, ['A-1', 'A-2']);

  expect(released).toEqual([{ seatId: 'A-1', version: 3 }, { seatId: 'A-2', version: 8 }]);
  expect(store.seats.get('A-1')).toMatchObject({ status: 'AVAILABLE', version: 3 });
  expect(store.seats.get('A-1')?.holderPurchaseId).toBeUndefined();
});

test('a seat another purchase holds or bought is skipped and left untouched', async () => {
  const store = new InMemorySeatStore([seat('A-1', heldBy('purchase-1')), seat('A-2', heldBy('purchase-2')), seat('A-3', { status: 'SOLD', holderPurchaseId: 'purchase-3', version: 3 })]);

  const released = await release(store, ['A-1', 'A-2', 'A-3']);

  expect(released).toEqual([{ seatId: 'A-1', version: 3 }]);
  expect(store.writes).toEqual([[expect.objectContaining({ seatId: 'A-1' })]]);
  expect(store.seats.get('A-2')).toMatchObject({ status: 'HELD', holderPurchaseId: 'purchase-2', version: 2 });
});

test('nothing held means nothing written and nothing released', async () => {
  const store = new InMemorySeatStore([seat('A-1'), seat('A-2', heldBy('purchase-2'))]);

  const released = await release(store, ['A-1', 'A-2', 'Z-9']);

  expect(released).toEqual([]);
  expect(store.writes).toHaveLength(0);
});

test('running it again writes nothing and reports the same released seats', async () => {
  const store = new InMemorySeatStore([seat('A-1', heldBy('purchase-1'))]);
  const first = await release(store, ['A-1']);

  const second = await release(store, ['A-1']);

  expect(second).toEqual(first);
  expect(store.writes).toHaveLength(1);
});

test('a released seat that another purchase took since is not reported again', async () => {
  const store = new InMemorySeatStore([seat('A-1', heldBy('purchase-1'))]);
  await release(store, ['A-1']);
  store.seats.set('A-1', seat('A-1', heldBy('purchase-2', 4)));

  expect(await release(store, ['A-1'])).toEqual([]);
});

test('a seat already sold to the purchase is never released', async () => {
  // Prepare: a compensation that runs after the purchase was confirmed must not free what was paid for
  const store = new InMemorySeatStore([seat('A-1', { status: 'SOLD', holderPurchaseId: 'purchase-1', version: 3 })]);

  // Act
  const released = await release(store, ['A-1']);

  // Assess
  expect(released).toEqual([]);
  expect(store.writes).toHaveLength(0);
  expect(store.seats.get('A-1')).toMatchObject({ status: 'SOLD', holderPurchaseId: 'purchase-1', version: 3 });
});

test('a free seat that another purchase released is not reported as released by this one', async () => {
  // Prepare
  const store = new InMemorySeatStore([seat('A-1', { version: 4, releasedFromPurchaseId: 'purchase-2' })]);

  // Act
  const released = await release(store, ['A-1']);

  // Assess
  expect(released).toEqual([]);
});

test('the release marks who released the seat, for a rerun to find', async () => {
  // Prepare
  const store = new InMemorySeatStore([seat('A-1', heldBy('purchase-1'))]);

  // Act
  await release(store, ['A-1']);

  // Assess
  expect(store.writes[0]).toEqual([{ seatId: 'A-1', expectedVersion: 2, change: { status: 'AVAILABLE', releasedFromPurchaseId: 'purchase-1' } }]);
});

test('a seat another purchase holds is not reported even if a release mark still names this purchase', async () => {
  // Prepare: the status decides, not a mark a hand-edited or older item kept
  const store = new InMemorySeatStore([seat('A-1', { ...heldBy('purchase-2', 4), releasedFromPurchaseId: 'purchase-1' })]);

  // Act
  const released = await release(store, ['A-1']);

  // Assess
  expect(released).toEqual([]);
});
