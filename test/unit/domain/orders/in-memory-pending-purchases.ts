import type { PendingStartStore, PurchaseStore } from '#domain/orders/ports';
import type { StoredPurchase } from '#domain/orders/purchase';

/** The purchases table as the starter and the sweeper use it, with the same conditions as the DynamoDB adapter. */
export const inMemoryPendingPurchases = (initial: readonly StoredPurchase[]) => {
  const items = new Map(initial.map((item) => [item.purchaseId, { ...item }]));
  const pending: PendingStartStore = {
    async claimStart(purchaseId, at) {
      const item = items.get(purchaseId);
      if (!item) return 'missing';
      if (item.startRefusedAt !== undefined) return 'refused';
      if (item.status !== 'QUEUED') return 'progressed';
      items.set(purchaseId, { ...item, pendingShard: 'pending-0', pendingSince: at, startClaimedAt: at });
      return 'claimed';
    },
    async markDeadLettered(purchaseId, at) {
      const item = items.get(purchaseId);
      if (item) items.set(purchaseId, { ...item, startDeadLetteredAt: at });
    },
    async findStale(staleBefore, limit) {
      return [...items.values()]
        .filter((item) => item.pendingSince !== undefined && item.pendingSince < staleBefore)
        .sort((a, b) => (a.pendingSince ?? '').localeCompare(b.pendingSince ?? ''))
        .slice(0, limit)
        .map((item) => item.purchaseId);
    },
    async clearMarker(purchaseId) {
      const item = items.get(purchaseId);
      if (!item) return;
      const { pendingShard: _shard, pendingSince: _since, ...rest } = item;
      items.set(purchaseId, rest);
    },
    async recordRequeue(purchaseId, observedSince, at) {
      const item = items.get(purchaseId);
      if (!item || item.pendingSince !== observedSince || item.status !== 'QUEUED' || item.startRefusedAt !== undefined) return false;
      items.set(purchaseId, { ...item, pendingSince: at, startRequeues: (item.startRequeues ?? 0) + 1 });
      return true;
    },
    async refuseStart({ purchaseId, staleBefore, at }) {
      const item = items.get(purchaseId);
      if (!item || item.status !== 'QUEUED' || item.startRefusedAt !== undefined) return false;
      if (item.pendingSince === undefined || item.pendingSince >= staleBefore) return false;
      items.set(purchaseId, { ...item, startRefusedAt: at });
      return true;
    },
  };
  const purchases: Pick<PurchaseStore, 'find'> = { find: async (purchaseId) => items.get(purchaseId) };
  return { pending, purchases, items };
};
