import type { ConsolePorts } from '#tools/console/api';
import type { StateMachinePort } from '#tools/console/state-machine';
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
  ...overrides,
});
