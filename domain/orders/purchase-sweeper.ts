import { sagaInputSchema } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import { eventIdFor } from '#events/metadata';
import type { PublishEvents } from '#events/publisher';
import { PurchaseFailedEvent, type FailureReason } from '#events/purchase-failed';
import { mapWithConcurrency } from './bounded-concurrency.ts';
import type { EnqueuePurchase, ExecutionExists, PendingStartStore, PurchaseStore } from './ports.ts';
import type { StoredPurchase } from './purchase.ts';

/**
 * The sweeper: nothing accepted stays QUEUED.
 *
 * It reads only the purchases that still wait to start and have shown no
 * sign of life (a request, a starter's claim, a re-queue) for its window,
 * and for each one:
 * - its status moved on, or an execution named after it exists: it clears
 *   the marker (the saga owns the purchase now);
 * - its message went to the DLQ (the starter marks the purchase when it
 *   fails a message on its last receive): it fails the purchase for the
 *   buyer at once;
 * - otherwise (its message was never sent, was lost, or waits behind a
 *   backlog, deferred for throttling): it queues it again, a bounded number
 *   of times (the execution name dedupes, so a second message cannot start
 *   twice), then fails it for the buyer.
 *
 * Failing is a conditional refusal on the purchase record, taken only when
 * no starter claimed the purchase within the window, then the terminal
 * PurchaseFailed event. A starter claims before every StartExecution, and
 * the window is many times the starter's timeout, so no start can still be
 * under way when the refusal is taken, and every later claim is refused:
 * a redriven message cannot start a sale the buyer was told had failed.
 *
 * No compensation runs for such a purchase, and none is needed: seats are
 * held and payments taken only by the saga's own steps, and this purchase
 * never had an execution.
 */

export interface SweepSettings {
  /** A purchase with no sign of life for this long is swept. */
  readonly staleAfterSeconds: number;
  /** Re-queues of a purchase before it is failed (a dead-lettered one is failed without). */
  readonly maxRequeues: number;
  /** Purchases handled per sweep, oldest first; the rest wait for the next sweep. @default 100 */
  readonly batchLimit?: number;
  /** Purchases handled at once. @default 5 */
  readonly concurrency?: number;
}

export interface SweepDependencies {
  readonly pending: PendingStartStore;
  readonly purchases: Pick<PurchaseStore, 'find'>;
  readonly executionExists: ExecutionExists;
  readonly enqueue: EnqueuePurchase;
  readonly publish: PublishEvents;
  readonly now: () => Date;
}

const DEFAULT_SWEEP_BATCH_LIMIT = 100;
const DEFAULT_SWEEP_CONCURRENCY = 5;

/** The step a buyer's client sees as where the purchase failed: it never reached the saga. */
const NOT_STARTED_STEP = 'StartPurchase';

/**
 * An existing reason: to the buyer, the system failed to run the purchase.
 * A published schema is never edited in place, and a new reason would need
 * PurchaseFailed.v2 for every consumer; the step and the message tell this
 * case apart.
 */
const NOT_STARTED_REASON: FailureReason = 'INTERNAL_ERROR';
export const NOT_STARTED_MESSAGE = 'The purchase could not be started. No seat was held and nothing was charged. Please try again.';

type SweepAction =
  | 'cleared'
  | 'requeued'
  | 'failed'
  /** Failed by an earlier sweep whose event may not have been published: published again (same event id). */
  | 'failureRepublished'
  /** Someone touched the purchase since it was read (a claim, another sweep): left for the next sweep. */
  | 'skipped'
  /** The record lacks what a message or an event needs: a person must look. */
  | 'unusable';

export type SweepOutcome =
  | { readonly purchaseId: string; readonly action: SweepAction }
  | { readonly purchaseId: string; readonly action: 'error'; readonly error: unknown };

const purchaseFailed = (purchase: StoredPurchase & { concertId: string; correlationId: string }, at: string) =>
  domainEvent(PurchaseFailedEvent, {
    eventId: eventIdFor(purchase.purchaseId, PurchaseFailedEvent.detailType),
    purchaseId: purchase.purchaseId,
    concertId: purchase.concertId,
    // The refusal's time, so publishing again sends the same event.
    occurredAt: at,
    correlationId: purchase.correlationId,
    reason: NOT_STARTED_REASON,
    failedStep: NOT_STARTED_STEP,
    message: NOT_STARTED_MESSAGE,
    paymentRefunded: false,
    seatsReleased: false,
  });

const sweepOne = async (deps: SweepDependencies, settings: SweepSettings, purchaseId: string, staleBefore: string): Promise<SweepAction> => {
  const purchase = await deps.purchases.find(purchaseId);
  if (!purchase || purchase.status !== 'QUEUED') {
    await deps.pending.clearMarker(purchaseId);
    return 'cleared';
  }
  const { concertId, correlationId } = purchase;
  if (concertId === undefined || correlationId === undefined) return 'unusable';
  const identified = { ...purchase, concertId, correlationId };

  if (purchase.startRefusedAt !== undefined) {
    await deps.publish([purchaseFailed(identified, purchase.startRefusedAt)]);
    return 'failureRepublished';
  }
  if (purchase.pendingSince === undefined || purchase.pendingSince >= staleBefore) return 'skipped';
  if (await deps.executionExists(purchaseId)) {
    await deps.pending.clearMarker(purchaseId);
    return 'cleared';
  }

  const at = deps.now().toISOString();
  const deadLettered = purchase.startDeadLetteredAt !== undefined;
  if (!deadLettered && (purchase.startRequeues ?? 0) < settings.maxRequeues) {
    const input = sagaInputSchema.safeParse(purchase);
    if (!input.success) return 'unusable';
    if (!(await deps.pending.recordRequeue(purchaseId, purchase.pendingSince, at))) return 'skipped';
    await deps.enqueue(input.data);
    return 'requeued';
  }

  if (!(await deps.pending.refuseStart({ purchaseId, staleBefore, at }))) return 'skipped';
  await deps.publish([purchaseFailed(identified, at)]);
  return 'failed';
};

/** One sweep: every stale purchase of this run handled on its own; one failure never stops the others. */
export const sweepPendingPurchases = async (deps: SweepDependencies, settings: SweepSettings): Promise<SweepOutcome[]> => {
  const staleBefore = new Date(deps.now().getTime() - settings.staleAfterSeconds * 1_000).toISOString();
  const candidates = await deps.pending.findStale(staleBefore, settings.batchLimit ?? DEFAULT_SWEEP_BATCH_LIMIT);
  return mapWithConcurrency(candidates, settings.concurrency ?? DEFAULT_SWEEP_CONCURRENCY, async (purchaseId): Promise<SweepOutcome> => {
    try {
      return { purchaseId, action: await sweepOne(deps, settings, purchaseId, staleBefore) };
    } catch (error) {
      return { purchaseId, action: 'error', error };
    }
  });
};
