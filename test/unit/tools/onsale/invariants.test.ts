import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { checkInvariants, type BadRequestRecord, type ExecutionRecord, type InvariantInput, type ReplaySnapshots } from '#tools/onsale/invariants';
import settledRun from './fixtures/settled-run.json';

/**
 * Each check of the on-sale invariants, fed the data of a settled run that
 * keeps every invariant, with exactly one thing broken.
 */

type Row = Record<string, unknown>;
interface DataSet {
  readonly tables: { readonly purchases: Row[]; readonly seats: Row[]; readonly invoices: Row[]; readonly payments: Row[] };
  executions: ExecutionRecord[];
  readonly badRequests: BadRequestRecord[];
  replay: ReplaySnapshots;
  readonly archivedEvents: Array<{ 'detail-type': string; detail: Row }>;
  readonly purchaseIds: string[];
}

const TABLES = { purchases: 'purchases', seats: 'seats', invoices: 'invoices', payments: 'payments' } as const;
const documents = mockClient(DynamoDBDocumentClient);

const settled = (): DataSet => structuredClone(settledRun) as DataSet;

const check = async (data: DataSet) => {
  for (const [key, tableName] of Object.entries(TABLES)) {
    documents.on(ScanCommand, { TableName: tableName }).resolves({ Items: data.tables[key as keyof typeof TABLES] });
  }
  const input: InvariantInput = {
    documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    tables: TABLES,
    archivedEvents: data.archivedEvents,
    purchaseIds: data.purchaseIds,
    executions: data.executions,
    badRequests: data.badRequests,
    replay: data.replay,
  };
  const results = await checkInvariants(input);
  return { results, failed: results.filter((result) => !result.ok).map((result) => result.name) };
};

beforeEach(() => documents.reset());

test('a settled run keeps every invariant, each checked', async () => {
  // Act
  const { results, failed } = await check(settled());

  // Assess
  expect(failed).toEqual([]);
  expect(results.map((result) => result.invariant)).toEqual([1, 2, 3, 4, 5, 5, 6, 7, 8]);
});

test.each(['FAILED', 'TIMED_OUT', 'ABORTED'])('an execution of an accepted purchase that ended %s breaks invariant 8 alone', async (status) => {
  // Prepare
  const data = settled();
  data.executions[1] = { name: 'p-declined', status };

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['no execution needs a person']);
  expect(results.find((result) => !result.ok)?.detail).toContain(`p-declined ended ${status}`);
});

test('an execution still RUNNING under a terminal purchase breaks invariant 6 alone', async () => {
  // Prepare
  const data = settled();
  data.executions[0] = { name: 'p-confirmed', status: 'RUNNING' };

  // Act
  const { failed } = await check(data);

  // Assess
  expect(failed).toEqual(['every accepted purchase is terminal']);
});

test('an accepted purchase with no execution at all breaks invariant 6 alone', async () => {
  // Prepare
  const data = settled();
  data.executions = data.executions.filter((execution) => execution.name !== 'p-declined');

  // Act
  const { failed } = await check(data);

  // Assess
  expect(failed).toEqual(['every accepted purchase is terminal']);
});

test('bad input answered with something other than a 4xx breaks invariant 7 alone', async () => {
  // Prepare
  const data = settled();
  data.badRequests[0] = { ...data.badRequests[0]!, status: 500, json: { error: 'InternalError', message: 'Something went wrong' } };

  // Act
  const { failed } = await check(data);

  // Assess
  expect(failed).toEqual(['bad input refused and changes nothing']);
});

test('bad input refused without a JSON error body breaks invariant 7 alone', async () => {
  // Prepare
  const data = settled();
  data.badRequests[0] = { ...data.badRequests[0]!, json: undefined };

  // Act
  const { failed } = await check(data);

  // Assess
  expect(failed).toEqual(['bad input refused and changes nothing']);
});

test('bad input that created a purchase breaks invariant 7 alone', async () => {
  // Prepare
  const data = settled();
  data.tables.purchases.push({ purchaseId: 'p-bad-1', concertId: 'rock-night', seatIds: ['A-2'], status: 'QUEUED', buyerId: 'bad-buyer-1', idempotencyKey: 'bad-1' });

  // Act
  const { failed } = await check(data);

  // Assess
  expect(failed).toEqual(['bad input refused and changes nothing']);
});

test('bad input that started an execution breaks invariant 7 alone', async () => {
  // Prepare
  const data = settled();
  data.executions.push({ name: 'p-bad-1', status: 'SUCCEEDED' });

  // Act
  const { failed } = await check(data);

  // Assess
  expect(failed).toEqual(['bad input refused and changes nothing']);
});

test('a reused idempotency key that changed the seats of the purchase owning it breaks invariant 7 alone', async () => {
  // Prepare
  const data = settled();
  data.tables.purchases[1] = { ...data.tables.purchases[1], seatIds: ['A-3'] };

  // Act
  const { failed } = await check(data);

  // Assess
  expect(failed).toEqual(['bad input refused and changes nothing']);
});

test('a replay that changed a projection item breaks the replay half of invariant 5 alone', async () => {
  // Prepare
  const data = settled();
  data.replay = { ...data.replay, afterReplays: [data.replay.before, { ...data.replay.before, 'purchases/p-confirmed': '{"status":"PAID"}' }] };

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['replaying the archive twice leaves every projection unchanged']);
  expect(results.find((result) => !result.ok)?.detail).toContain('after replay 2, purchases/p-confirmed changed: status "CONFIRMED" -> "PAID"');
});

test('a replay that applied an event its rule had dead-lettered repairs the projection and keeps invariant 5', async () => {
  // Prepare
  const data = settled();
  const repairedItem = { ...data.replay.before, 'purchases/p-confirmed': '{"status":"CONFIRMED","version":4}' };
  data.replay = { ...data.replay, afterReplays: [repairedItem, repairedItem], repairable: new Set(['purchases/p-confirmed']) };

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual([]);
  expect(results.find((result) => result.name === 'replaying the archive twice leaves every projection unchanged')?.detail).toContain(
    '1 repaired by the replay, each named by an event its rule had dead-lettered (purchases/p-confirmed)',
  );
});

test('a dead-lettered event excuses only the items it names', async () => {
  // Prepare
  const data = settled();
  data.replay = {
    ...data.replay,
    afterReplays: [{ ...data.replay.before, 'purchases/p-confirmed': '{"status":"PAID"}' }],
    repairable: new Set(['purchases/p-other', 'seatAvailability/A-1']),
  };

  // Act
  const { failed } = await check(data);

  // Assess
  expect(failed).toEqual(['replaying the archive twice leaves every projection unchanged']);
});

test('a refunded charge whose invoice still stands breaks invariant 3 alone', async () => {
  // Prepare
  const data = settled();
  data.tables.purchases[0] = { ...data.tables.purchases[0], status: 'FAILED', failureReason: 'SEATS_UNAVAILABLE' };
  data.tables.payments[0] = { ...data.tables.payments[0], status: 'REFUNDED', refundId: 're-1' };
  data.tables.seats[0] = { ...data.tables.seats[0], status: 'AVAILABLE', holderPurchaseId: undefined };

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['every charge settled']);
  expect(results.find((result) => !result.ok)?.detail).toContain('p-confirmed: REFUNDED, invoice yes');
});

test('the same refund with the invoice voided keeps invariant 3', async () => {
  // Prepare
  const data = settled();
  data.tables.purchases[0] = { ...data.tables.purchases[0], status: 'FAILED', failureReason: 'SEATS_UNAVAILABLE' };
  data.tables.payments[0] = { ...data.tables.payments[0], status: 'REFUNDED', refundId: 're-1' };
  data.tables.seats[0] = { ...data.tables.seats[0], status: 'AVAILABLE', holderPurchaseId: undefined };
  data.tables.invoices[0] = { ...data.tables.invoices[0], voidedAt: '2027-01-01T20:00:00.000Z' };

  // Act
  const { results } = await check(data);

  // Assess
  expect(results.find((result) => result.invariant === 3)?.ok).toBe(true);
});

test('an invoice issued for a purchase that was never charged breaks invariant 3 alone', async () => {
  // Prepare
  const data = settled();
  data.tables.invoices.push({ purchaseId: 'p-declined', invoiceId: 'INV-p-declined' });

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['every charge settled']);
  expect(results.find((result) => !result.ok)?.detail).toContain('p-declined: an invoice stands without a charge');
});

test('a void mark left before any invoice was issued is no invoice', async () => {
  // Prepare
  const data = settled();
  data.tables.invoices.push({ purchaseId: 'p-declined', voidedAt: '2027-01-01T20:00:00.000Z' });

  // Act
  const { failed } = await check(data);

  // Assess
  expect(failed).toEqual([]);
});

test('a seat confirmed to two purchases breaks invariant 1 alone', async () => {
  // Prepare: a second buyer confirmed, charged and invoiced for A-1, which is SOLD to the first.
  const data = settled();
  data.purchaseIds.push('p-twice');
  data.tables.purchases.push({ purchaseId: 'p-twice', concertId: 'rock-night', seatIds: ['A-1'], status: 'CONFIRMED', buyerId: 'buyer-3', idempotencyKey: 'run-3' });
  data.tables.payments.push({ purchaseId: 'p-twice', attempts: 1, charges: 1, status: 'CHARGED', chargeId: 'ch-3' });
  data.tables.invoices.push({ purchaseId: 'p-twice', invoiceId: 'INV-p-twice' });
  data.archivedEvents.push({ 'detail-type': 'PurchaseConfirmed.v1', detail: { purchaseId: 'p-twice', eventId: 'ev-confirmed-twice' } });
  data.executions.push({ name: 'p-twice', status: 'SUCCEEDED' });

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['no oversell']);
  expect(results.find((result) => !result.ok)?.detail).toContain('A-1 confirmed to both p-confirmed and p-twice');
});

test('a seat SOLD to a purchase that failed breaks invariant 1 alone', async () => {
  // Prepare
  const data = settled();
  data.tables.seats[1] = { ...data.tables.seats[1], status: 'SOLD', holderPurchaseId: 'p-declined' };

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['no oversell']);
  expect(results.find((result) => !result.ok)?.detail).toContain('A-2 is SOLD to p-declined (FAILED)');
});

test('a second successful charge recorded in the ledger breaks invariant 2 alone', async () => {
  // Prepare
  const data = settled();
  data.tables.payments[0] = { ...data.tables.payments[0], attempts: 2, charges: 2 };

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['no double charge']);
  expect(results.find((result) => !result.ok)?.detail).toContain('p-confirmed was charged 2 times');
});

test('a charge with neither an invoice nor a refund breaks invariant 3 alone', async () => {
  // Prepare: the declined purchase's key holds a charge that nothing settled.
  const data = settled();
  data.tables.payments[1] = { ...data.tables.payments[1], charges: 1, status: 'CHARGED', chargeId: 'ch-2' };

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['every charge settled']);
  expect(results.find((result) => !result.ok)?.detail).toContain('p-declined: CHARGED, invoice no, purchase FAILED');
});

test('a seat still HELD once the run drained breaks invariant 4 alone', async () => {
  // Prepare
  const data = settled();
  data.tables.seats[1] = { ...data.tables.seats[1], status: 'HELD', holderPurchaseId: 'p-declined' };

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['no leaked holds']);
  expect(results.find((result) => !result.ok)?.detail).toContain('A-2 still HELD by p-declined');
});

test('two terminal events with different ids for one purchase break invariant 5 alone', async () => {
  // Prepare
  const data = settled();
  data.archivedEvents.push({ 'detail-type': 'PurchaseFailed.v1', detail: { purchaseId: 'p-confirmed', eventId: 'ev-failed-late' } });

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['one terminal event per purchase']);
  expect(results.find((result) => !result.ok)?.detail).toContain('p-confirmed has 2 terminal events');
});

test('the same terminal event delivered twice is one event', async () => {
  // Prepare: a step that ran twice publishes the same eventId twice.
  const data = settled();
  data.archivedEvents.push({ 'detail-type': 'PurchaseConfirmed.v1', detail: { purchaseId: 'p-confirmed', eventId: 'ev-confirmed' } });

  // Act
  const { failed } = await check(data);

  // Assess
  expect(failed).toEqual([]);
});

test('an accepted purchase with no terminal event breaks invariant 5 alone', async () => {
  // Prepare
  const data = settled();
  const events = data.archivedEvents.filter((event) => event.detail.purchaseId !== 'p-declined');
  data.archivedEvents.splice(0, data.archivedEvents.length, ...events);

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['one terminal event per purchase']);
  expect(results.find((result) => !result.ok)?.detail).toContain('p-declined has 0 terminal events');
});

test.each(['QUEUED', 'RESERVED', 'PAID'])('an accepted purchase left %s breaks invariant 6 alone', async (status) => {
  // Prepare
  const data = settled();
  data.tables.purchases[1] = { ...data.tables.purchases[1], status, failureReason: undefined };

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['every accepted purchase is terminal']);
  expect(results.find((result) => !result.ok)?.detail).toContain(`p-declined is ${status}`);
});

test('an accepted purchase missing from the purchases table breaks invariant 6 alone', async () => {
  // Prepare
  const data = settled();
  data.tables.purchases.splice(1, 1);
  data.badRequests.splice(1, 1);

  // Act
  const { failed, results } = await check(data);

  // Assess
  expect(failed).toEqual(['every accepted purchase is terminal']);
  expect(results.find((result) => !result.ok)?.detail).toContain('p-declined is missing');
});
