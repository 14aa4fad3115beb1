import type { StoredPurchase } from '#domain/orders/purchase';
import type { SagaInput } from '#domain/saga-input';
import type { DomainEvent } from '#events/event-definition';
import {
  NOT_STARTED_MESSAGE,
  sweepPendingPurchases,
  type SweepDependencies,
  type SweepSettings,
} from '#domain/orders/purchase-sweeper';
import { startPurchases } from '#domain/orders/purchase-starter';
import { inMemoryPendingPurchases } from './in-memory-pending-purchases.ts';

const NOW = '2026-11-26T10:10:00.000Z';
const TEN_MINUTES_AGO = '2026-11-26T10:00:00.000Z';
const A_MINUTE_AGO = '2026-11-26T10:09:00.000Z';
const settings: SweepSettings = { staleAfterSeconds: 300, maxRequeues: 2 };

const queued = (purchaseId: string, overrides: Partial<StoredPurchase> = {}): StoredPurchase => ({
  purchaseId,
  buyerId: 'buyer-1',
  concertId: 'rock-night',
  seatIds: ['A-1'],
  correlationId: 'corr-1',
  paymentRef: 'tok_…rove',
  createdAt: TEN_MINUTES_AGO,
  status: 'QUEUED',
  statusRank: 0,
  pendingShard: 'pending-3',
  pendingSince: TEN_MINUTES_AGO,
  ...overrides,
});

const setUp = (items: StoredPurchase[], executions: readonly string[] = []) => {
  const table = inMemoryPendingPurchases(items);
  const enqueued: SagaInput[] = [];
  const published: DomainEvent[] = [];
  const deps: SweepDependencies = {
    pending: table.pending,
    purchases: table.purchases,
    executionExists: async (purchaseId) => executions.includes(purchaseId),
    enqueue: async (input) => {
      enqueued.push(input);
    },
    publish: async (events) => {
      published.push(...events);
    },
    now: () => new Date(NOW),
  };
  return { deps, items: table.items, pending: table.pending, enqueued, published };
};

describe('what a sweep reads', () => {
  test('leaves a purchase alone while it has shown a sign of life within the window', async () => {
    const { deps, enqueued, published } = setUp([queued('purchase-0001', { pendingSince: A_MINUTE_AGO })]);

    const outcomes = await sweepPendingPurchases(deps, settings);

    expect([outcomes, enqueued, published]).toEqual([[], [], []]);
  });

  test('handles at most its batch limit, oldest first', async () => {
    const { deps } = setUp([
      queued('purchase-0002', { pendingSince: '2026-11-26T10:01:00.000Z' }),
      queued('purchase-0001', { pendingSince: TEN_MINUTES_AGO }),
    ]);

    const outcomes = await sweepPendingPurchases(deps, { ...settings, batchLimit: 1 });

    expect(outcomes.map((outcome) => outcome.purchaseId)).toEqual(['purchase-0001']);
  });
});

describe('purchases the saga owns', () => {
  test('clears the marker of a stale purchase whose execution exists, and sends nothing', async () => {
    const { deps, items, enqueued, published } = setUp([queued('purchase-0001', { startClaimedAt: TEN_MINUTES_AGO, startDeadLetteredAt: TEN_MINUTES_AGO })], ['purchase-0001']);

    const [outcome] = await sweepPendingPurchases(deps, settings);

    expect(outcome?.action).toBe('cleared');
    expect(items.get('purchase-0001')?.pendingSince).toBeUndefined();
    expect([enqueued, published]).toEqual([[], []]);
  });

  test('clears the marker of a purchase whose status already moved on', async () => {
    const { deps, items } = setUp([queued('purchase-0001', { status: 'RESERVED', statusRank: 1 })]);

    const [outcome] = await sweepPendingPurchases(deps, settings);

    expect(outcome?.action).toBe('cleared');
    expect(items.get('purchase-0001')?.pendingShard).toBeUndefined();
  });
});

describe('a purchase without an execution whose message did not go to the DLQ (never sent, lost, or behind a backlog)', () => {
  test('is queued again with its saga input, and its wait starts over', async () => {
    const { deps, items, enqueued } = setUp([queued('purchase-0001')]);

    const [outcome] = await sweepPendingPurchases(deps, settings);

    expect(outcome?.action).toBe('requeued');
    expect(enqueued).toEqual([{ purchaseId: 'purchase-0001', buyerId: 'buyer-1', concertId: 'rock-night', seatIds: ['A-1'], correlationId: 'corr-1' }]);
    expect(items.get('purchase-0001')).toMatchObject({ pendingSince: NOW, startRequeues: 1 });
  });

  test('is queued again even after a starter claimed it: a throttled start deferred behind a backlog is not a failure', async () => {
    const { deps, enqueued } = setUp([queued('purchase-0001', { startClaimedAt: TEN_MINUTES_AGO })]);

    const [outcome] = await sweepPendingPurchases(deps, settings);

    expect(outcome?.action).toBe('requeued');
    expect(enqueued).toHaveLength(1);
  });

  test('is failed for the buyer once its re-queues are spent', async () => {
    const { deps, published, enqueued } = setUp([queued('purchase-0001', { startRequeues: 2 })]);

    const [outcome] = await sweepPendingPurchases(deps, settings);

    expect(outcome?.action).toBe('failed');
    expect(enqueued).toEqual([]);
    expect(published).toHaveLength(1);
  });
});

describe('a purchase whose message went to the DLQ', () => {
  test('is failed for the buyer with the reason, once, with a deterministic event', async () => {
    const { deps, items, published, enqueued } = setUp([queued('purchase-0001', { startClaimedAt: TEN_MINUTES_AGO, startDeadLetteredAt: TEN_MINUTES_AGO })]);

    const [outcome] = await sweepPendingPurchases(deps, settings);

    expect(outcome?.action).toBe('failed');
    expect(enqueued).toEqual([]);
    expect(items.get('purchase-0001')?.startRefusedAt).toBe(NOW);
    expect(NOT_STARTED_MESSAGE).toMatch(/nothing was charged/);
    expect(published.map((event) => [event.definition.detailType, event.detail])).toEqual([
      [
        'PurchaseFailed.v1',
        {
          eventId: 'purchase-0001:PurchaseFailed.v1',
          purchaseId: 'purchase-0001',
          concertId: 'rock-night',
          occurredAt: NOW,
          correlationId: 'corr-1',
          reason: 'INTERNAL_ERROR',
          failedStep: 'StartPurchase',
          message: NOT_STARTED_MESSAGE,
          paymentRefunded: false,
          seatsReleased: false,
        },
      ],
    ]);
  });

  test('is never started by a message redriven after it was failed', async () => {
    const { deps, pending } = setUp([queued('purchase-0001', { startClaimedAt: TEN_MINUTES_AGO, startDeadLetteredAt: TEN_MINUTES_AGO })]);
    await sweepPendingPurchases(deps, settings);
    const start = jest.fn();

    const [result] = await startPurchases(
      {
        claims: pending,
        maxReceiveCount: 5,
        start,
        enqueue: async () => undefined,
        isTransient: () => false,
        now: () => new Date(NOW),
        remainingTimeMs: () => 30_000,
        sleep: async () => undefined,
        random: () => 0.5,
      },
      [{ messageId: 'redriven', body: JSON.stringify({ purchaseId: 'purchase-0001', buyerId: 'buyer-1', concertId: 'rock-night', seatIds: ['A-1'], correlationId: 'corr-1' }) }],
    );

    expect(result?.outcome).toBe('refused');
    expect(start).not.toHaveBeenCalled();
  });

  test('is not failed when a starter claims it between the read and the refusal', async () => {
    const { deps, pending, published } = setUp([queued('purchase-0001', { startClaimedAt: TEN_MINUTES_AGO, startDeadLetteredAt: TEN_MINUTES_AGO })]);
    const executionExists = async (purchaseId: string) => {
      await pending.claimStart(purchaseId, NOW);
      return false;
    };

    const [outcome] = await sweepPendingPurchases({ ...deps, executionExists }, settings);

    expect(outcome?.action).toBe('skipped');
    expect(published).toEqual([]);
  });

  test('publishes the same failure again when a later sweep finds it refused but not yet FAILED', async () => {
    const { deps, published } = setUp([queued('purchase-0001', { startClaimedAt: TEN_MINUTES_AGO, startDeadLetteredAt: TEN_MINUTES_AGO })]);
    await sweepPendingPurchases(deps, settings);

    const [outcome] = await sweepPendingPurchases(deps, settings);

    expect(outcome?.action).toBe('failureRepublished');
    expect(published[1]).toEqual(published[0]);
  });
});

describe('a purchase that showed a sign of life after the sweep listed it', () => {
  // The window ends at NOW - staleAfterSeconds: 10:05:00.
  const STALE_BEFORE = '2026-11-26T10:05:00.000Z';

  test.each([
    ['claimed exactly at the end of the window', { pendingSince: STALE_BEFORE }],
    ['claimed within the window', { pendingSince: A_MINUTE_AGO }],
    ['without a marker any more', { pendingSince: undefined }],
  ])('is skipped when, read again, it was %s', async (_, reread) => {
    // Arrange: the index listed it as stale; the consistent read finds a fresher purchase.
    const { deps, enqueued, published } = setUp([queued('purchase-0001')]);
    const purchases = { find: async (purchaseId: string) => queued(purchaseId, reread) };
    const executionExists = jest.fn(async () => false);

    // Act
    const outcomes = await sweepPendingPurchases({ ...deps, purchases, executionExists }, settings);

    // Assess: skipped before any further call, not only by the conditional writes after it.
    expect(outcomes).toEqual([{ purchaseId: 'purchase-0001', action: 'skipped' }]);
    expect(executionExists).not.toHaveBeenCalled();
    expect([enqueued, published]).toEqual([[], []]);
  });
});

describe('trouble', () => {
  test('reports a purchase whose lookup failed as an error and still sweeps the others', async () => {
    const { deps } = setUp([queued('purchase-0001'), queued('purchase-0002', { pendingSince: '2026-11-26T10:01:00.000Z' })]);
    const executionExists = async (purchaseId: string) => {
      if (purchaseId === 'purchase-0001') throw new Error('AccessDenied');
      return false;
    };

    const outcomes = await sweepPendingPurchases({ ...deps, executionExists }, settings);

    expect(outcomes.map((outcome) => [outcome.purchaseId, outcome.action])).toEqual([
      ['purchase-0001', 'error'],
      ['purchase-0002', 'requeued'],
    ]);
  });

  test('reports a record without the ids an event needs as unusable', async () => {
    const { deps } = setUp([queued('purchase-0001', { correlationId: undefined })]);

    const [outcome] = await sweepPendingPurchases(deps, settings);

    expect(outcome?.action).toBe('unusable');
  });
});
