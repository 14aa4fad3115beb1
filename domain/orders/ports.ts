import type { SagaInput } from '#domain/saga-input';
import type { PurchaseRecord, StoredPurchase } from './purchase.ts';
import type { PurchaseStatusUpdate } from './purchase-status-projection.ts';

/** The purchases table as the orders context uses it. */
export interface PurchaseStore {
  /** Writes a new purchase; `exists` when a purchase with this id is already there (nothing is written). */
  create(record: PurchaseRecord): Promise<'created' | 'exists'>;
  /** A strongly consistent read, so a buyer polling right after the 202 finds the purchase. */
  find(purchaseId: string): Promise<StoredPurchase | undefined>;
  /** Applies one event's effect; `stale` when its status is not newer than the stored one. */
  applyStatusUpdate(update: PurchaseStatusUpdate): Promise<'applied' | 'stale'>;
}

export interface EnqueueOptions {
  /** Seconds before the message becomes visible (SQS allows 0-900). @default 0 */
  readonly delaySeconds?: number;
}

/** The purchase queue in front of the saga. */
export type EnqueuePurchase = (input: SagaInput, options?: EnqueueOptions) => Promise<void>;

/** Starts the saga for one purchase; an execution that already exists counts as started. */
export type StartPurchaseExecution = (input: SagaInput) => Promise<'started' | 'alreadyStarted'>;

/** The seats of the list that the concert does not have (the seats table is the source of truth). */
export type FindUnknownSeats = (concertId: string, seatIds: readonly string[]) => Promise<string[]>;

/** Whether the saga has an execution for the purchase, whatever its status. */
export type ExecutionExists = (purchaseId: string) => Promise<boolean>;

/**
 * Whether a failed call to a port may succeed when simply tried again
 * (throttling, a timeout, a dropped connection). Only the adapters know how
 * their services name such failures.
 */
export type IsTransientError = (error: unknown) => boolean;

/**
 * What a starter's claim on a purchase found:
 * - `claimed`: the purchase waits to start and no one failed it: start it;
 * - `refused`: the sweeper failed it for the buyer: it must never start;
 * - `progressed`: its status moved past QUEUED, so an execution exists or it ended;
 * - `missing`: there is no such purchase.
 */
export type StartClaim = 'claimed' | 'refused' | 'progressed' | 'missing';

/** How a sweeper gave up on a purchase that never started. */
interface StartRefusal {
  readonly purchaseId: string;
  /** The refusal is only taken when the purchase's last sign of life is older than this. */
  readonly staleBefore: string;
  readonly at: string;
}

/** The purchases that wait for their execution, as the starter and the sweeper see them. */
export interface PendingStartStore {
  /**
   * The starter's claim, taken before each StartExecution: refreshes the
   * purchase's sign of life (`pendingSince`) unless the purchase was refused
   * or has moved on. A conditional write, so it and a refusal exclude each other.
   */
  claimStart(purchaseId: string, at: string): Promise<StartClaim>;
  /** Records that the purchase's message failed its last receive and goes to the DLQ: the sweeper fails it without queuing it again. */
  markDeadLettered(purchaseId: string, at: string): Promise<void>;
  /** Ids of marked purchases whose last sign of life is older than `staleBefore`, oldest first, at most `limit`. */
  findStale(staleBefore: string, limit: number): Promise<string[]>;
  /** Removes the marker: the purchase has an execution or a terminal status. */
  clearMarker(purchaseId: string): Promise<void>;
  /** Counts one more re-queue and restarts the wait, if no one touched the purchase since `observedSince`; false otherwise. */
  recordRequeue(purchaseId: string, observedSince: string, at: string): Promise<boolean>;
  /** Refuses any later start, if no starter claimed the purchase since `staleBefore`; false when one did (or it moved on). */
  refuseStart(refusal: StartRefusal): Promise<boolean>;
}
