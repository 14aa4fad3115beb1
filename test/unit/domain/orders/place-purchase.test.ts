import { placePurchase, type PlacePurchaseCommand, type PlacePurchaseDependencies } from '#domain/orders/place-purchase';
import type { PurchaseStore } from '#domain/orders/ports';
import type { PurchaseRecord, StoredPurchase } from '#domain/orders/purchase';
import { purchaseIdFor } from '#domain/orders/purchase-request';
import type { SagaInput } from '#domain/saga-input';
import type { DomainEvent } from '#events/event-definition';

/** An in-memory purchases table with the same create-if-absent rule as the DynamoDB adapter. */
const inMemoryPurchases = () => {
  const items = new Map<string, PurchaseRecord>();
  const store: PurchaseStore = {
    create: async (record) => {
      if (items.has(record.purchaseId)) return 'exists';
      items.set(record.purchaseId, record);
      return 'created';
    },
    find: async (purchaseId): Promise<StoredPurchase | undefined> => items.get(purchaseId),
    applyStatusUpdate: async () => 'applied',
  };
  return { store, items };
};

const setUp = (overrides: Partial<PlacePurchaseDependencies> = {}) => {
  const purchases = inMemoryPurchases();
  const enqueued: SagaInput[] = [];
  const published: DomainEvent[] = [];
  let clock = new Date('2026-11-26T10:00:00.000Z');
  const deps: PlacePurchaseDependencies = {
    purchases: purchases.store,
    concertPriceBands: async (concertId) => (concertId === 'rock-night' ? ['A-E', 'F-J', 'K-T'] : undefined),
    unknownSeats: async (_concertId, seatIds) => seatIds.filter((seatId) => seatId.startsWith('ZZ-')),
    enqueue: async (input) => {
      enqueued.push(input);
    },
    publish: async (events) => {
      published.push(...events);
    },
    now: () => clock,
    newPurchaseId: () => '11111111-2222-4333-8444-555555555555',
    ...overrides,
  };
  const advanceClock = (to: string) => {
    clock = new Date(to);
  };
  return { deps, items: purchases.items, enqueued, published, advanceClock };
};

const command: PlacePurchaseCommand = {
  buyerId: 'buyer-1',
  request: { concertId: 'rock-night', seatIds: ['A-1', 'A-2'], paymentToken: 'tok_approve' },
  idempotencyKey: 'key-1',
  correlationId: 'corr-1',
};

test('records the purchase as QUEUED with its token, a masked reference and the request hash', async () => {
  const { deps, items } = setUp();

  const outcome = await placePurchase(deps, command);

  const purchaseId = purchaseIdFor('buyer-1', 'key-1');
  expect(outcome).toEqual({ kind: 'accepted', purchaseId, replayed: false });
  expect(items.get(purchaseId)).toEqual({
    purchaseId,
    buyerId: 'buyer-1',
    concertId: 'rock-night',
    seatIds: ['A-1', 'A-2'],
    paymentToken: 'tok_approve',
    paymentRef: 'tok_…rove',
    idempotencyKey: 'key-1',
    requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    correlationId: 'corr-1',
    createdAt: '2026-11-26T10:00:00.000Z',
    updatedAt: '2026-11-26T10:00:00.000Z',
    status: 'QUEUED',
    statusRank: 0,
    pendingShard: expect.stringMatching(/^pending-\d+$/),
    pendingSince: '2026-11-26T10:00:00.000Z',
  });
});

test('uses a fresh purchase id when there is no idempotency key', async () => {
  const { deps } = setUp();

  const outcome = await placePurchase(deps, { ...command, idempotencyKey: undefined });

  expect(outcome).toMatchObject({ kind: 'accepted', purchaseId: '11111111-2222-4333-8444-555555555555' });
});

test('enqueues the saga input, which carries no payment data', async () => {
  const { deps, enqueued } = setUp();

  await placePurchase(deps, command);

  expect(enqueued).toEqual([
    { purchaseId: purchaseIdFor('buyer-1', 'key-1'), buyerId: 'buyer-1', concertId: 'rock-night', seatIds: ['A-1', 'A-2'], correlationId: 'corr-1' },
  ]);
});

test('publishes PurchaseRequested with the masked reference only', async () => {
  const { deps, published } = setUp();

  await placePurchase(deps, command);

  expect(published.map((event) => [event.definition.detailType, event.detail])).toEqual([
    [
      'PurchaseRequested.v1',
      {
        eventId: `${purchaseIdFor('buyer-1', 'key-1')}:PurchaseRequested.v1`,
        purchaseId: purchaseIdFor('buyer-1', 'key-1'),
        concertId: 'rock-night',
        occurredAt: '2026-11-26T10:00:00.000Z',
        correlationId: 'corr-1',
        buyerId: 'buyer-1',
        seatIds: ['A-1', 'A-2'],
        paymentRef: 'tok_…rove',
      },
    ],
  ]);
});

test('writes, enqueues and publishes nothing for an unknown concert', async () => {
  const { deps, items, enqueued, published } = setUp();

  const outcome = await placePurchase(deps, { ...command, request: { ...command.request, concertId: 'no-such-show' } });

  expect(outcome).toEqual({ kind: 'concertNotFound', concertId: 'no-such-show' });
  expect([items.size, enqueued.length, published.length]).toEqual([0, 0, 0]);
});

test('answers a repeated request with the same purchase and sends the same message and event again', async () => {
  const { deps, enqueued, published, advanceClock } = setUp();
  await placePurchase(deps, command);
  advanceClock('2026-11-26T10:05:00.000Z');

  const outcome = await placePurchase(deps, { ...command, correlationId: 'corr-2' });

  expect(outcome).toEqual({ kind: 'accepted', purchaseId: purchaseIdFor('buyer-1', 'key-1'), replayed: true });
  expect(enqueued[1]).toEqual(enqueued[0]);
  expect(published[1]?.detail).toEqual(published[0]?.detail);
});

test('treats the same seats in another order as the same request', async () => {
  const { deps } = setUp();
  await placePurchase(deps, command);

  const outcome = await placePurchase(deps, { ...command, request: { ...command.request, seatIds: ['A-2', 'A-1'] } });

  expect(outcome).toMatchObject({ kind: 'accepted', replayed: true });
});

test('refuses the same key with a different body and sends nothing', async () => {
  const { deps, items, enqueued, published } = setUp();
  await placePurchase(deps, command);

  const outcome = await placePurchase(deps, { ...command, request: { ...command.request, seatIds: ['B-1'] } });

  expect(outcome).toEqual({ kind: 'idempotencyKeyReused', purchaseId: purchaseIdFor('buyer-1', 'key-1') });
  expect([...items.values()].map((item) => item.seatIds)).toEqual([['A-1', 'A-2']]);
  expect([enqueued.length, published.length]).toEqual([1, 1]);
});

test('refuses a stored purchase of another buyer even with the same request hash', async () => {
  const { deps, items } = setUp({ newPurchaseId: () => 'shared-id-0001' });
  await placePurchase(deps, { ...command, idempotencyKey: undefined });

  const outcome = await placePurchase(deps, { ...command, buyerId: 'buyer-2', idempotencyKey: undefined });

  expect(outcome).toEqual({ kind: 'idempotencyKeyReused', purchaseId: 'shared-id-0001' });
  expect(items.get('shared-id-0001')?.buyerId).toBe('buyer-1');
});

test('still accepts a queued purchase whose PurchaseRequested could not be published, and says so', async () => {
  const publishError = new Error('EventBridge unavailable');
  const { deps, enqueued } = setUp({ publish: () => Promise.reject(publishError) });

  const outcome = await placePurchase(deps, command);

  expect(outcome).toEqual({ kind: 'accepted', purchaseId: purchaseIdFor('buyer-1', 'key-1'), replayed: false, publishError });
  expect(enqueued).toHaveLength(1);
});

test('writes, enqueues and publishes nothing when a seat is not one of the concert, and names the seat', async () => {
  const { deps, items, enqueued, published } = setUp();

  const outcome = await placePurchase(deps, { ...command, request: { ...command.request, seatIds: ['A-1', 'ZZ-999'] } });

  expect(outcome).toEqual({ kind: 'unknownSeats', concertId: 'rock-night', seatIds: ['ZZ-999'] });
  expect([items.size, enqueued.length, published.length]).toEqual([0, 0, 0]);
});

test('accepts a purchase whose message could not be sent: the record waits for the sweeper with its marker', async () => {
  const enqueueError = new Error('SQS unavailable');
  const { deps, items, published } = setUp({ enqueue: () => Promise.reject(enqueueError) });

  const outcome = await placePurchase(deps, command);

  const purchaseId = purchaseIdFor('buyer-1', 'key-1');
  expect(outcome).toEqual({ kind: 'accepted', purchaseId, replayed: false, enqueueError });
  expect(items.get(purchaseId)).toMatchObject({ status: 'QUEUED', pendingSince: '2026-11-26T10:00:00.000Z' });
  expect(published).toHaveLength(1);
});

test('stores no idempotency key for a request that sent none', async () => {
  // Arrange
  const { deps, items } = setUp();
  const { idempotencyKey: _key, ...withoutKey } = command;

  // Act
  const outcome = await placePurchase(deps, withoutKey);

  // Assess
  expect(outcome.kind === 'accepted' && items.get(outcome.purchaseId)).not.toHaveProperty('idempotencyKey');
});

test('reports no send failure when the message was sent', async () => {
  // Act
  const outcome = await placePurchase(setUp().deps, command);

  // Assess
  expect(outcome).not.toHaveProperty('enqueueError');
  expect(outcome).not.toHaveProperty('publishError');
});

describe('a purchase of the best available seats', () => {
  const byQuantity: PlacePurchaseCommand = {
    ...command,
    request: { concertId: 'rock-night', quantity: 2, priceBand: 'F-J', paymentToken: 'tok_approve' },
  };
  const purchaseId = purchaseIdFor('buyer-1', 'key-1');

  test('records what the buyer asked for, and no seats yet', async () => {
    const { deps, items } = setUp();

    await placePurchase(deps, byQuantity);

    expect(items.get(purchaseId)).toMatchObject({ bestAvailable: { quantity: 2, priceBand: 'F-J' }, status: 'QUEUED' });
    expect(items.get(purchaseId)).not.toHaveProperty('seatIds');
  });

  test('starts the saga with the quantity and band instead of seat ids', async () => {
    const { deps, enqueued } = setUp();

    await placePurchase(deps, byQuantity);

    expect(enqueued).toEqual([
      { purchaseId, buyerId: 'buyer-1', concertId: 'rock-night', bestAvailable: { quantity: 2, priceBand: 'F-J' }, correlationId: 'corr-1' },
    ]);
  });

  test('publishes PurchaseRequested.v2, which can say so, while named seats stay on v1', async () => {
    const named = setUp();
    const best = setUp();

    await placePurchase(named.deps, command);
    await placePurchase(best.deps, byQuantity);

    expect(named.published.map((event) => event.definition.detailType)).toEqual(['PurchaseRequested.v1']);
    expect(best.published.map((event) => event.definition.detailType)).toEqual(['PurchaseRequested.v2']);
    expect(best.published[0]?.detail).toMatchObject({ purchaseId, buyerId: 'buyer-1', bestAvailable: { quantity: 2, priceBand: 'F-J' }, paymentRef: 'tok_…rove' });
  });

  test('refuses a band the concert does not have, naming the bands it has, and records nothing', async () => {
    const { deps, items, enqueued, published } = setUp();

    const outcome = await placePurchase(deps, { ...byQuantity, request: { ...byQuantity.request, priceBand: 'A-C' } });

    expect(outcome).toEqual({ kind: 'unknownPriceBand', concertId: 'rock-night', priceBand: 'A-C', priceBands: ['A-E', 'F-J', 'K-T'] });
    expect(items.size + enqueued.length + published.length).toBe(0);
  });

  test('checks no seat ids, since it names none', async () => {
    const unknownSeats = jest.fn(async () => []);
    const { deps } = setUp({ unknownSeats });

    await placePurchase(deps, byQuantity);

    expect(unknownSeats).not.toHaveBeenCalled();
  });

  test('a repeated request with the same key is the same purchase, asked again the same way', async () => {
    const { deps, enqueued } = setUp();
    await placePurchase(deps, byQuantity);

    const again = await placePurchase(deps, byQuantity);

    expect(again).toEqual({ kind: 'accepted', purchaseId, replayed: true });
    expect(enqueued[1]).toEqual(enqueued[0]);
  });

  test('the same key for a different quantity, or for named seats, is refused', async () => {
    const { deps } = setUp();
    await placePurchase(deps, byQuantity);

    const otherQuantity = await placePurchase(deps, { ...byQuantity, request: { ...byQuantity.request, quantity: 3 } });
    const namedSeats = await placePurchase(deps, command);

    expect(otherQuantity).toEqual({ kind: 'idempotencyKeyReused', purchaseId });
    expect(namedSeats).toEqual({ kind: 'idempotencyKeyReused', purchaseId });
  });
});
