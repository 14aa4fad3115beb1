import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArchiveFile } from '#tools/ops/archive-file';

const envelope = (purchaseId: string, detailType: string, time: string) =>
  JSON.stringify({ version: '0', id: `${purchaseId}-${detailType}`, 'detail-type': detailType, source: 'ticketing.orders', time, detail: { purchaseId } });

const archiveWith = (lines: string[]) => {
  const file = join(mkdtempSync(join(tmpdir(), 'ops-archive-')), 'archive.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return createArchiveFile(file);
};

test('the events of one purchase, oldest first', async () => {
  const archive = archiveWith([
    envelope('purchase-0002', 'SeatsReserved.v1', '2026-11-26T12:00:01Z'),
    envelope('purchase-0001', 'SeatsReserved.v1', '2026-11-26T12:00:02Z'),
    envelope('purchase-0001', 'PurchaseRequested.v1', '2026-11-26T12:00:00Z'),
  ]);

  const events = await archive.eventsOfPurchase('purchase-0001');

  expect(events.map((event) => event.detailType)).toEqual(['PurchaseRequested.v1', 'SeatsReserved.v1']);
});

test('a line that is not an archived event is skipped', async () => {
  const archive = archiveWith(['{"half": ', 'null', envelope('purchase-0001', 'SeatsReserved.v1', '2026-11-26T12:00:02Z')]);

  await expect(archive.eventsOfPurchase('purchase-0001')).resolves.toHaveLength(1);
});

test('the events of a window, optionally of one detail-type', async () => {
  const archive = archiveWith([
    envelope('purchase-0001', 'SeatsReserved.v1', '2026-11-26T11:59:59Z'),
    envelope('purchase-0001', 'SeatsReserved.v1', '2026-11-26T12:00:00Z'),
    envelope('purchase-0002', 'SeatsReleased.v1', '2026-11-26T12:30:00Z'),
    envelope('purchase-0003', 'SeatsReserved.v1', '2026-11-26T13:00:01Z'),
  ]);
  const from = new Date('2026-11-26T12:00:00Z');
  const to = new Date('2026-11-26T13:00:00Z');

  await expect(archive.countBetween(from, to)).resolves.toBe(2);
  await expect(archive.countBetween(from, to, 'SeatsReleased.v1')).resolves.toBe(1);
});

test('an archive file not written yet holds no events', async () => {
  await expect(createArchiveFile('/nonexistent/archive.jsonl').eventsOfPurchase('purchase-0001')).resolves.toEqual([]);
});

test('the local EventBridge archive log, which wraps each event with the time it was archived, reads the same', async () => {
  const archive = archiveWith([JSON.stringify({ archivedAt: 1795694400000, event: JSON.parse(envelope('purchase-0001', 'SeatsReserved.v1', '2026-11-26T12:00:02Z')) })]);

  await expect(archive.eventsOfPurchase('purchase-0001')).resolves.toMatchObject([{ detailType: 'SeatsReserved.v1', time: new Date('2026-11-26T12:00:02Z') }]);
});
