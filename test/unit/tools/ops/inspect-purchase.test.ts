import { inspectPurchase } from '#tools/ops/inspect-purchase';
import type { HistoryEvent } from '#tools/ops/history';
import type { ArchivePort, ExecutionDetails, PurchaseLookup } from '#tools/ops/ports';
import { HISTORY_FIXTURES, loadHistory, stoppedHistory, type HistoryFixture } from './history-fixtures.ts';
import { execution, fakeExecutions, fakePurchases } from './support.ts';

const NOW = new Date('2026-11-26T13:00:00.000Z');
const declinedId = HISTORY_FIXTURES.paymentDeclined.purchaseId;
const happyId = HISTORY_FIXTURES.happyPath.purchaseId;
const refundId = HISTORY_FIXTURES.refundGaveUp.purchaseId;

const purchase = (purchaseId: string, overrides: Partial<PurchaseLookup['record']> = {}): PurchaseLookup => ({
  record: { purchaseId, status: 'CONFIRMED', concertId: 'rock-night', seatIds: ['A-1', 'A-2'], createdAt: '2026-11-26T12:02:59.900Z', ...overrides },
  problems: [],
});

/** The details as DescribeExecution gives them: the output of a succeeded execution, the error of a failed one. */
const detailsOf = (fixture: HistoryFixture, overrides: Partial<ExecutionDetails> = {}): ExecutionDetails => {
  const history = loadHistory(fixture);
  const last = history.at(-1);
  const output = last?.executionSucceededEventDetails?.output;
  const error = last?.executionFailedEventDetails?.error;
  return execution(HISTORY_FIXTURES[fixture].purchaseId, {
    status: output === undefined ? 'FAILED' : 'SUCCEEDED',
    ...(output === undefined ? {} : { output }),
    ...(error === undefined ? {} : { error }),
    ...overrides,
  });
};

const portsFor = (fixture: HistoryFixture, lookups: PurchaseLookup[] = [], overrides: Partial<ExecutionDetails> = {}) => {
  const { port } = fakeExecutions([{ details: detailsOf(fixture, overrides), history: loadHistory(fixture) }]);
  return { executions: port, purchases: fakePurchases(lookups) };
};

const portsStoppedIn = (history: HistoryEvent[], details: Partial<ExecutionDetails>) => {
  const purchaseId = 'stopped-0000-0001';
  const { port } = fakeExecutions([{ details: execution(purchaseId, { status: 'FAILED', ...details }), history }]);
  return { purchaseId, ports: { executions: port, purchases: fakePurchases([]) } };
};

test('a confirmed purchase gets a verdict with its duration and invoice', async () => {
  const inspection = await inspectPurchase(portsFor('happyPath', [purchase(happyId, { invoiceId: 'INV-0B6F9C1E' })]), happyId, NOW);

  expect(inspection?.verdict).toBe('CONFIRMED in 1.2 s; invoice INV-0B6F9C1E');
});

test('the invoice of a confirmed purchase comes from the execution output when the read model lacks it', async () => {
  const inspection = await inspectPurchase(portsFor('happyPath'), happyId, NOW);

  expect(inspection?.verdict).toBe('CONFIRMED in 1.2 s; invoice INV-0B6F9C1E');
  expect(inspection?.outcome).toEqual({ outcome: 'CONFIRMED', invoiceId: 'INV-0B6F9C1E' });
});

test('the outcome is read from the history when DescribeExecution leaves the output out', async () => {
  const { output: _output, ...details } = detailsOf('paymentDeclined');
  const { port } = fakeExecutions([{ details, history: loadHistory('paymentDeclined') }]);

  const inspection = await inspectPurchase({ executions: port, purchases: fakePurchases([]) }, declinedId, NOW);

  expect(inspection?.verdict).toBe('FAILED at ChargePayment: PaymentDeclined; seats released 12:03:00');
});

test('a declined payment ends SUCCEEDED and reads as FAILED at the failing step, with when the seats were released', async () => {
  const inspection = await inspectPurchase(portsFor('paymentDeclined', [purchase(declinedId, { status: 'FAILED' })]), declinedId, NOW);

  expect(inspection?.execution?.status).toBe('SUCCEEDED');
  expect(inspection?.verdict).toBe('FAILED at ChargePayment: PaymentDeclined; seats released 12:03:00');
  expect(inspection?.outcome).toEqual({ outcome: 'FAILED', reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' });
  expect(inspection?.failure).toMatchObject({ step: 'ChargePayment', error: { errorMessage: 'The payment was declined' } });
  expect(inspection?.personNeeded).toBeUndefined();
});

test('seats taken at ReserveSeats: a rejection with nothing to compensate', async () => {
  const output = JSON.stringify({ outcome: 'FAILED', reason: 'SEATS_UNAVAILABLE', failedStep: 'ReserveSeats' });
  const history = stoppedHistory({ succeeded: [], stoppedIn: 'ReserveSeats', error: 'SeatsUnavailable', attempts: 1 }).slice(0, -1);
  const at = (id: number) => ({ id, timestamp: new Date(Date.parse('2026-11-26T12:03:01Z') + id) });
  const next = history.length + 1;
  history.push(
    { ...at(next), type: 'TaskStateExited', stateExitedEventDetails: { name: 'ReserveSeats' } },
    { ...at(next + 1), type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'RecordPurchaseFailure' } },
    { ...at(next + 2), type: 'TaskStateExited', stateExitedEventDetails: { name: 'RecordPurchaseFailure' } },
    { ...at(next + 3), type: 'SucceedStateEntered', stateEnteredEventDetails: { name: 'PurchaseFailed' } },
    { ...at(next + 4), type: 'SucceedStateExited', stateExitedEventDetails: { name: 'PurchaseFailed', output } },
    { ...at(next + 5), type: 'ExecutionSucceeded', executionSucceededEventDetails: { output } },
  );
  const { ports, purchaseId } = portsStoppedIn(history, { status: 'SUCCEEDED', output });

  const inspection = await inspectPurchase(ports, purchaseId, NOW);

  expect(inspection?.verdict).toBe('FAILED at ReserveSeats: SeatsUnavailable; nothing to compensate');
});

test('an execution that failed in a compensation names the task, what it leaves unsettled and the redrive to run', async () => {
  const inspection = await inspectPurchase(portsFor('refundGaveUp'), refundId, NOW);

  expect(inspection?.verdict).toBe(
    'FAILED in RefundPayment after its retries (DependencyUnavailable): the charge is not refunded yet; ' +
      `went wrong first at ChargePayment (PaymentProviderUnavailable); needs a person — fix the cause, then npm run redrive -- ${refundId}`,
  );
  expect(inspection?.personNeeded).toMatchObject({ stoppedIn: 'RefundPayment', error: 'DependencyUnavailable', afterRetries: true });
  expect(inspection?.compensation).toMatchObject({ ran: true, ended: 'failed', steps: [{ name: 'RefundPayment', outcome: 'failed' }] });
});

test.each([
  ['ConfirmPurchase', ['ReserveSeats', 'ChargePayment', 'CreateInvoice'], 'paid and invoiced, seats not yet sold'],
  ['VoidInvoice', ['ReserveSeats', 'ChargePayment', 'CreateInvoice'], 'the invoice still counts and the charge is not refunded yet'],
  ['ReleaseSeats', ['ReserveSeats'], 'seats held until redrive or hold expiry'],
  ['RecordPurchaseFailure', ['ReserveSeats'], 'compensated but the buyer still sees the old status'],
])('an execution that failed in %s says what that leaves unsettled', async (stoppedIn, succeeded, unsettled) => {
  const { ports, purchaseId } = portsStoppedIn(stoppedHistory({ succeeded, stoppedIn, error: 'Sandbox.Timedout' }), { error: 'Sandbox.Timedout' });

  const inspection = await inspectPurchase(ports, purchaseId, NOW);

  expect(inspection?.verdict).toBe(`FAILED in ${stoppedIn} after its retries (Sandbox.Timedout): ${unsettled}; needs a person — fix the cause, then npm run redrive -- ${purchaseId}`);
});

test('a timed-out execution says how long it ran and where it stopped, and needs a person', async () => {
  const history = stoppedHistory({ succeeded: ['ReserveSeats', 'ChargePayment', 'CreateInvoice'], stoppedIn: 'ConfirmPurchase', error: 'DependencyUnavailable', end: 'ExecutionTimedOut' });
  const { ports, purchaseId } = portsStoppedIn(history, { status: 'TIMED_OUT', stoppedAt: new Date('2026-11-26T15:03:00.100Z') });

  const inspection = await inspectPurchase(ports, purchaseId, NOW);

  expect(inspection?.verdict).toBe(`TIMED_OUT after 3 h 0 min in ConfirmPurchase: paid and invoiced, seats not yet sold; needs a person — fix the cause, then npm run redrive -- ${purchaseId}`);
});

test('an error a redrive would repeat is not sent to redrive', async () => {
  const history = stoppedHistory({ succeeded: ['ReserveSeats'], stoppedIn: 'ChargePayment', error: 'States.Runtime', attempts: 1 });
  const { ports, purchaseId } = portsStoppedIn(history, { error: 'States.Runtime' });

  const inspection = await inspectPurchase(ports, purchaseId, NOW);

  expect(inspection?.verdict).toMatch(/; needs a person — a redrive fails the same way \(States\.Runtime\): settle it by hand$/);
});

test('a definition that ends a path in a Fail state is settled by hand: a redrive would only re-run that state', async () => {
  const history = stoppedHistory({ succeeded: ['ReserveSeats'], stoppedIn: 'ReleaseSeats', error: 'DependencyUnavailable' }).slice(0, -1);
  const last = history.length;
  history.push(
    { id: last + 1, timestamp: new Date('2026-11-26T12:03:05Z'), type: 'TaskStateExited', stateExitedEventDetails: { name: 'ReleaseSeats' } },
    { id: last + 2, timestamp: new Date('2026-11-26T12:03:05Z'), type: 'FailStateEntered', stateEnteredEventDetails: { name: 'SeatReleaseFailed' } },
    { id: last + 3, timestamp: new Date('2026-11-26T12:03:05Z'), type: 'ExecutionFailed', executionFailedEventDetails: { error: 'CompensationFailed' } },
  );
  const { ports, purchaseId } = portsStoppedIn(history, { error: 'CompensationFailed' });

  const inspection = await inspectPurchase(ports, purchaseId, NOW);

  expect(inspection?.verdict).toBe(
    'FAILED in SeatReleaseFailed (CompensationFailed): went wrong first at ReleaseSeats (DependencyUnavailable); ' +
      'needs a person — it ended in the Fail state SeatReleaseFailed, which is all a redrive re-runs: settle it by hand',
  );
});

test('the compensation report says ReleaseSeats ran and succeeded', async () => {
  const inspection = await inspectPurchase(portsFor('paymentDeclined'), declinedId, NOW);

  expect(inspection?.compensation).toMatchObject({ ran: true, ended: 'completed', steps: [{ name: 'ReleaseSeats', outcome: 'succeeded' }] });
});

test('the compensation report says whether VoidInvoice found an invoice to void', async () => {
  const history = stoppedHistory({ succeeded: ['ReserveSeats', 'ChargePayment', 'VoidInvoice'], stoppedIn: 'RefundPayment', error: 'DependencyUnavailable' }).map((event) =>
    event.stateExitedEventDetails?.name === 'VoidInvoice' ? { ...event, stateExitedEventDetails: { name: 'VoidInvoice', output: JSON.stringify({ voidInvoice: { voided: false } }) } } : event,
  );
  const { ports, purchaseId } = portsStoppedIn(history, { error: 'DependencyUnavailable' });

  const inspection = await inspectPurchase(ports, purchaseId, NOW);

  expect(inspection?.compensation.steps).toEqual([
    expect.objectContaining({ name: 'VoidInvoice', outcome: 'succeeded', voided: false }),
    expect.objectContaining({ name: 'RefundPayment', outcome: 'failed' }),
  ]);
  expect(inspection?.events.items.map((event) => event.detailType)).not.toContain('InvoiceVoided.v1');
});

test('without a readable archive the events are inferred from the steps that succeeded', async () => {
  const inspection = await inspectPurchase(portsFor('paymentDeclined', [purchase(declinedId)]), declinedId, NOW);

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

  const inspection = await inspectPurchase({ ...portsFor('happyPath'), archive }, happyId, NOW);

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
