import { allPendingShards, PENDING_START_SHARDS, pendingShardOf, pendingStartMarker } from '#domain/orders/pending-start';

test('puts every purchase in one of the shards the sweeper reads', () => {
  // Arrange: a shard outside allPendingShards() would hold purchases no sweep ever finds.
  const purchaseIds = Array.from({ length: 200 }, (_, n) => `purchase-${String(n).padStart(4, '0')}`);

  // Act
  const shards = new Set(purchaseIds.map(pendingShardOf));

  // Assess
  expect([...shards].filter((shard) => !allPendingShards().includes(shard))).toEqual([]);
  expect(shards.size).toBe(PENDING_START_SHARDS);
});

test('gives a purchase the same shard every time, so a refreshed marker stays where it was', () => {
  // Act
  const shard = pendingShardOf('purchase-0001');

  // Assess
  expect(pendingShardOf('purchase-0001')).toBe(shard);
});

test('marks a purchase with its shard and the time it started to wait, from a date or a string', () => {
  // Act
  const fromDate = pendingStartMarker('purchase-0001', new Date('2026-11-26T10:00:00.000Z'));
  const fromString = pendingStartMarker('purchase-0001', '2026-11-26T10:00:00.000Z');

  // Assess
  expect(fromDate).toEqual({ pendingShard: pendingShardOf('purchase-0001'), pendingSince: '2026-11-26T10:00:00.000Z' });
  expect(fromString).toEqual(fromDate);
});
