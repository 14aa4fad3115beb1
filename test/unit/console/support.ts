import type { ConsolePorts } from '#tools/console/api';
import type { StateMachinePort } from '#tools/console/state-machine';
import type { WaitingRoomsPort } from '#tools/console/waiting-rooms';
import type { GatedConcert } from '#domain/waiting-room/on-sale';
import type { LineReading } from '#domain/waiting-room/ports';
import { emptyRoom } from '#domain/waiting-room/room-state';
import type { HistoryEvent } from '#tools/ops/history';
import type { ArchivedEvent, ExecutionDetails, PurchaseLookup } from '#tools/ops/ports';
import { purchaseSagaDefinition } from '#workflows/purchase-saga';
import { HISTORY_FIXTURES, loadHistory } from '#test/unit/tools/ops/history-fixtures';
import { execution, fakeExecutions, fakePurchases } from '#test/unit/tools/ops/support';

export const DECLINED = HISTORY_FIXTURES.paymentDeclined.purchaseId;
export const CONFIRMED = HISTORY_FIXTURES.happyPath.purchaseId;
export const RETRIED = HISTORY_FIXTURES.transientRetry.purchaseId;
export const STOPPED = HISTORY_FIXTURES.refundGaveUp.purchaseId;
export const NOW = new Date('2026-11-26T12:10:00.000Z');

/** A payment token where a careless step could leak one: an execution input and an error cause. */
export const LEAKED_TOKEN = 'tok_decline';

/** The declined purchase's history, with the token planted in the execution input and in the charge's error cause. */
export const declinedHistoryWithSecrets = (): HistoryEvent[] =>
  loadHistory('paymentDeclined').map((event) => {
    if (event.type === 'ExecutionStarted') {
      return { ...event, executionStartedEventDetails: { input: JSON.stringify({ purchaseId: DECLINED, paymentToken: LEAKED_TOKEN }) } };
    }
    if (event.type === 'TaskFailed') {
      return { ...event, taskFailedEventDetails: { error: 'PaymentDeclined', cause: `card ${LEAKED_TOKEN} was declined` } };
    }
    return event;
  });

export const declinedRecord: PurchaseLookup = {
  record: {
    purchaseId: DECLINED,
    buyerId: 'buyer-1',
    concertId: 'rock-night',
    seatIds: ['A-1', 'A-2'],
    paymentRef: 'tok_…line',
    status: 'FAILED',
    failedStep: 'ChargePayment',
    failureReason: 'PAYMENT_DECLINED',
    createdAt: '2026-11-26T12:03:00.000Z',
  },
  problems: [],
};

export const declinedEvents: ArchivedEvent[] = [
  {
    id: 'event-1',
    detailType: 'PurchaseFailed.v1',
    source: 'ticketing.orders',
    time: new Date('2026-11-26T12:03:01.000Z'),
    detail: { purchaseId: DECLINED, reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment', paymentToken: LEAKED_TOKEN },
  },
];

export const sagaStateMachine = (): StateMachinePort & { readonly calls: string[] } => {
  const calls: string[] = [];
  const text = JSON.stringify(purchaseSagaDefinition);
  return {
    calls,
    definition: async () => {
      calls.push('definition');
      return text;
    },
    definitionForExecution: async (name) => {
      calls.push(`definitionForExecution:${name}`);
      return text;
    },
  };
};

/** A succeeded execution's output, as DescribeExecution returns it: the outcome of the Succeed state it ended in. */
const outputOf = (history: readonly HistoryEvent[]) => history.at(-1)?.executionSucceededEventDetails?.output;

const EXECUTIONS: ReadonlyArray<{ details: ExecutionDetails; history: HistoryEvent[] }> = [
  { details: execution(DECLINED, { startedAt: new Date('2026-11-26T12:03:00.100Z'), output: outputOf(loadHistory('paymentDeclined')) }), history: declinedHistoryWithSecrets() },
  { details: execution(CONFIRMED, { startedAt: new Date('2026-11-26T12:02:00.100Z'), output: outputOf(loadHistory('happyPath')) }), history: loadHistory('happyPath') },
  { details: execution(RETRIED, { startedAt: new Date('2026-11-26T12:01:00.100Z'), output: outputOf(loadHistory('transientRetry')) }), history: loadHistory('transientRetry') },
  {
    details: execution(STOPPED, { status: 'FAILED', error: 'DependencyUnavailable', startedAt: new Date('2026-11-26T12:00:00.100Z'), stoppedAt: new Date('2026-11-26T12:09:30.692Z') }),
    history: loadHistory('refundGaveUp'),
  },
];

/** A gated concert after its draw, and one whose pre-queue waits for it. */
export const DRAWN_ROOM = 'rock-night';
export const UNDRAWN_ROOM = 'jazz-night';
/** The HMAC key a gated concert's item carries: it must never reach the page. */
export const ADMISSION_KEY = 'bmV2ZXItc2hvdy10aGlzLWtleS10by1zdXBwb3J0ISE=';
const MINUTE_MS = 60_000;

const gatedConcerts: Record<string, GatedConcert> = {
  [DRAWN_ROOM]: {
    concertId: DRAWN_ROOM,
    onSale: { startsAt: '2026-11-26T12:00:00.000Z', admissionsPerMinute: 100, maxActiveBuyers: 400, admissionTtlSeconds: 600 },
    admissionKey: ADMISSION_KEY,
  },
  [UNDRAWN_ROOM]: {
    concertId: UNDRAWN_ROOM,
    onSale: { startsAt: '2026-11-27T18:00:00.000Z', admissionsPerMinute: 50, maxActiveBuyers: 200, admissionTtlSeconds: 300 },
    admissionKey: ADMISSION_KEY,
  },
};

/**
 * rock-night: 120 drawn from the pre-queue, then 30 joins on each of the 8
 * shards (positions 121..360); 100 admitted a minute for the last three
 * runs, so 300 are in and 60 wait. jazz-night: 42 in the pre-queue.
 */
export const ROOM_LINES: Record<string, LineReading> = {
  [DRAWN_ROOM]: {
    room: {
      concertId: DRAWN_ROOM,
      version: 7,
      preQueueSize: 120,
      drawnAt: '2026-11-26T12:00:15.000Z',
      admittedThrough: 300,
      admissions: [
        { at: NOW.getTime() - 4 * MINUTE_MS, through: 100, count: 100 },
        { at: NOW.getTime() - 3 * MINUTE_MS, through: 200, count: 100 },
        { at: NOW.getTime() - 2 * MINUTE_MS, through: 300, count: 100 },
      ],
    },
    shardCounts: Array.from({ length: 8 }, () => 30),
  },
  [UNDRAWN_ROOM]: { room: emptyRoom(UNDRAWN_ROOM), shardCounts: Array.from({ length: 8 }, () => 0) },
};

/** The rooms registry, the concerts, the lines and the dead-letter queue, in memory; `deadLetters` pauses every room. */
export const fakeWaitingRooms = ({ lines = ROOM_LINES, deadLetters = 0 }: { lines?: Record<string, LineReading>; deadLetters?: number } = {}): WaitingRoomsPort => ({
  listRooms: async () => Object.keys(lines).sort(),
  findConcert: async (concertId) => gatedConcerts[concertId],
  readLine: async (concertId) => lines[concertId] ?? { room: emptyRoom(concertId), shardCounts: Array.from({ length: 8 }, () => 0) },
  countPreQueue: async (concertId) => (concertId === UNDRAWN_ROOM ? 42 : 0),
  sagaHealth: async () => (deadLetters > 0 ? { healthy: false, reason: `the purchase dead-letter queue holds ${deadLetters} message(s)` } : { healthy: true }),
});

/**
 * In-memory ports over the history fixtures: one declined purchase (rejected
 * and compensated, SUCCEEDED), one confirmed, one confirmed after a retry,
 * and one that failed in RefundPayment and needs a person.
 */
export const fakeConsolePorts = (overrides: Partial<ConsolePorts> = {}): ConsolePorts => ({
  executions: fakeExecutions(EXECUTIONS).port,
  purchases: fakePurchases([declinedRecord]),
  archive: { location: '/tmp/archive.jsonl', eventsOfPurchase: async (id) => (id === DECLINED ? declinedEvents : []), countBetween: async () => 0 },
  stateMachine: sagaStateMachine(),
  contextMapPage: async () => undefined,
  waitingRooms: fakeWaitingRooms(),
  ...overrides,
});
