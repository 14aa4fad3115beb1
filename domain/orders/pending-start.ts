import { createHash } from 'node:crypto';

/**
 * The "waiting to start" marker of a purchase, and the sparse index the
 * sweeper reads it through.
 *
 * A purchase carries `pendingShard` and `pendingSince` from the moment it is
 * recorded (QUEUED) until its status moves on (the status projection removes
 * both) or the sweeper finds its execution. Only marked items are in the
 * index, so a sweep reads the purchases that wait, never the whole table.
 *
 * `pendingSince` is the last sign of life: the time of the request, refreshed
 * whenever a starter claims the purchase (see `PurchaseStartClaims`) and when
 * the sweeper queues it again. A purchase is stale when it has had no sign of
 * life for the sweeper's window.
 *
 * The index's partition key is spread over a few shards so that an on-sale,
 * which writes the marker of every purchase, never makes one hot partition.
 */
export const PENDING_START_INDEX = {
  name: 'PendingStart',
  partitionKey: 'pendingShard',
  sortKey: 'pendingSince',
} as const;

/** Shards of the index: 16 partitions take 16,000 marker writes per second before the index throttles the table. */
export const PENDING_START_SHARDS = 16;

export const pendingShardOf = (purchaseId: string): string => {
  const bucket = createHash('sha256').update(purchaseId).digest().readUInt32BE(0) % PENDING_START_SHARDS;
  return `pending-${bucket}`;
};

export const allPendingShards = (): string[] => Array.from({ length: PENDING_START_SHARDS }, (_, bucket) => `pending-${bucket}`);

export interface PendingStartMarker {
  readonly pendingShard: string;
  readonly pendingSince: string;
}

export const pendingStartMarker = (purchaseId: string, since: Date | string): PendingStartMarker => ({
  pendingShard: pendingShardOf(purchaseId),
  pendingSince: typeof since === 'string' ? since : since.toISOString(),
});
