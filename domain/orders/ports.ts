import type { SagaInput } from '#workflows/saga-input';
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

/** The purchase queue in front of the saga. */
export type EnqueuePurchase = (input: SagaInput) => Promise<void>;

/** Starts the saga for one purchase; an execution that already exists counts as started. */
export type StartPurchaseExecution = (input: SagaInput) => Promise<'started' | 'alreadyStarted'>;
