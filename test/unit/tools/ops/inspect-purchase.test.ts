import { inspectPurchase } from '#tools/ops/inspect-purchase';
import type { ArchivePort, PurchaseLookup } from '#tools/ops/ports';
import { HISTORY_FIXTURES, loadHistory, type HistoryFixture } from './history-fixtures.ts';
import { execution, fakeExecutions, fakePurchases } from './support.ts';

const NOW = new Date('2026-11-26T13:00:00.000Z');
const declinedId = HISTORY_FIXTURES.paymentDeclined.purchaseId;
const happyId = HISTORY_FIXTURES.happyPath.purchaseId;

const purchase = (purchaseId: string, overrides: Partial<PurchaseLookup['record']> = {}): PurchaseLookup => ({
  record: { purchaseId, status: 'CONFIRMED', concertId: 'rock-night', seatIds: ['A-1', 'A-2'], createdAt: '2026-11-26T12:02:59.900Z', ...overrides },
  problems: [],
});

const portsFor = (fixture: HistoryFixture, status: 'SUCCEEDED' | 'FAILED', lookups: PurchaseLookup[] = []) => {
  const { purchaseId } = HISTORY_FIXTURES[fixture];
  const { port } = fakeExecutions([
    { details: execution(purchaseId, { status, ...(status === 'FAILED' ? { error: 'PurchaseFailed' } : {}) }), history: loadHistory(fixture) },
  ]);
  return { executions: port, purchases: fakePurchases(lookups) };
};

test('a confirmed purchase gets a verdict with its duration and invoice', async () => {
  const inspection = await inspectPurchase(portsFor('happyPath', 'SUCCEEDED', [purchase(happyId, { invoiceId: 'INV-0B6F9C1E' })]), happyId, NOW);

  expect(inspection?.verdict).toBe('CONFIRMED in 1.2 s; invoice INV-0B6F9C1E');
});

test('the invoice of a confirmed purchase comes from the execution output when the read model lacks it', async () => {
  const inspection = await inspectPurchase(portsFor('happyPath', 'SUCCEEDED'), happyId, NOW);

  expect(inspection?.verdict).toBe('CONFIRMED in 1.2 s; invoice INV-0B6F9C1E');
});

test('a declined payment names the failing step, its error and when the seats were released', async () => {
  const inspection = await inspectPurchase(portsFor('paymentDeclined', 'FAILED', [purchase(declinedId, { status: 'FAILED' })]), declinedId, NOW);

  expect(inspection?.verdict).toBe('FAILED at ChargePayment: PaymentDeclined; seats released 12:03:00');
  expect(inspection?.failure).toMatchObject({ step: 'ChargePayment', error: { errorMessage: 'The payment was declined' } });
});

test('the compensation report says ReleaseSeats ran and succeeded', async () => {
  const inspection = await inspectPurchase(portsFor('paymentDeclined', 'FAILED'), declinedId, NOW);

  expect(inspection?.compensation).toMatchObject({ ran: true, ended: 'completed', steps: [{ name: 'ReleaseSeats', outcome: 'succeeded' }] });
});

test('without a readable archive the events are inferred from the steps that succeeded', async () => {
  const inspection = await inspectPurchase(portsFor('paymentDeclined', 'FAILED', [purchase(declinedId)]), declinedId, NOW);

  expect(inspection?.events.source).toBe('execution-history');
  expect(inspection?.events.items.map((event) => event.detailType)).toEqual([
    'PurchaseRequested.v1',
    'SeatsReserved.v1',
    'SeatsReleased.v1',
    'PurchaseFailed.v1',
  ]);
});

test('with a readable archive the events are the archived ones', async () => {
  const archive: ArchivePort = {
    location: '/tmp/archive.jsonl',
    eventsOfPurchase: async (purchaseId) => [
      { id: 'e1', detailType: 'PaymentCharged.v1', source: 'ticketing.billing', time: NOW, detail: { purchaseId, amount: { amount: 12000, currency: 'EUR' } } },
    ],
    countBetween: async () => 1,
  };

  const inspection = await inspectPurchase({ ...portsFor('happyPath', 'SUCCEEDED'), archive }, happyId, NOW);

  expect(inspection?.events).toMatchObject({ source: 'archive', location: '/tmp/archive.jsonl', items: [{ detailType: 'PaymentCharged.v1', summary: '120.00 EUR' }] });
});

test('a queued purchase without an execution says where to look next', async () => {
  const queued = 'a1b2c3d4-0000-4000-8000-000000000001';
  const ports = { executions: fakeExecutions([]).port, purchases: fakePurchases([purchase(queued, { status: 'QUEUED', createdAt: '2026-11-26T12:00:00.000Z' })]) };

  const inspection = await inspectPurchase(ports, queued, NOW);

  expect(inspection?.verdict).toBe('QUEUED since 12:00:00: no execution yet; if it stays queued, look in the dead-letter queue (npm run dlq -- list)');
});

test('an id with neither a purchase record nor an execution is unknown', async () => {
  const ports = { executions: fakeExecutions([]).port, purchases: fakePurchases([]) };

  await expect(inspectPurchase(ports, 'ffffffff-0000-4000-8000-000000000000', NOW)).resolves.toBeUndefined();
});
