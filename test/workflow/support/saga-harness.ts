import { createHash } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { z } from 'zod';
import { ledgerEntrySchema, type LedgerEntry } from '#domain/billing/adapters/simulated-payment-provider';
import { buildConcertItems } from '#domain/catalog/create-concert';
import { inventorySeatSchema, seatKey, type InventorySeat } from '#domain/inventory/seat';
import { invoiceSchema, type Invoice } from '#domain/invoicing/invoice';
import { purchaseRecordSchema, STATUS_RANK } from '#domain/orders/purchase';
import { sagaInputSchema, type SagaInput } from '#domain/saga-input';
import { startInProcessStepFunctions, type ExecutionRecord, type HistoryEvent, type InProcessStepFunctions } from '#local/index';
import { putItems, useLocalDynamoDb, type LocalDynamoDb } from '#test/support/dynamodb';
import { eventually } from '#test/support/eventually';
import { inProcessInvoker, type InProcessInvoker } from './in-process-invoker.ts';
import { synthesizeSaga } from './synthesized-saga.ts';

/**
 * One test file's saga rig: the synthesized state machine on the local
 * engine, the real handler modules in process against DynamoDB Local, and
 * PutEvents captured by an in-process fake of EventBridge.
 *
 * Retry intervals run at a thousandth of the deployed ones, through the
 * engine's documented local `retryDelayScale` setting; the definition itself
 * is the synthesized one, untouched.
 */
export const RETRY_DELAY_SCALE = 0.001;
const EXECUTION_DEADLINE_MS = 60_000;

export interface PublishedEvent {
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

export interface SagaRun {
  readonly execution: ExecutionRecord;
  readonly history: readonly HistoryEvent[];
  /** The states in the order the execution entered them. */
  readonly states: string[];
}

export interface SagaRig {
  readonly invoker: InProcessInvoker;
  /** Writes the purchase as POST /purchases does (status QUEUED, the payment token) and runs its saga to the end. */
  /** A purchase of named seats, or of the best available (`bestAvailable` instead of `seatIds`). */
  runPurchase(
    purchase: { purchaseId: string; paymentToken: string } & ({ seatIds: string[] } | { bestAvailable: { quantity: number; priceBand?: string } }),
  ): Promise<SagaRun>;
  /** Redrives the purchase's closed execution (as `npm run redrive` does) and waits for it to close again. */
  redrive(purchaseId: string): Promise<SagaRun>;
  /**
   * Leaves the Powertools record a crashed invocation of the step leaves
   * behind: INPROGRESS until `inProgressForMs` from now, as Lambda's
   * remaining time was when the invocation started.
   */
  leaveInProgressRecord(handlerName: string, purchaseId: string, inProgressForMs: number): Promise<void>;
  /** The purchase's invoices item as stored: an invoice, voided or not, or only a void mark. */
  invoiceItem(purchaseId: string): Promise<Record<string, unknown> | undefined>;
  seat(seatId: string): Promise<InventorySeat>;
  putSeat(seat: InventorySeat): Promise<void>;
  ledger(purchaseId: string): Promise<LedgerEntry | undefined>;
  invoice(purchaseId: string): Promise<Invoice | undefined>;
  /** The domain events the steps published for one purchase, in publishing order. */
  eventsOf(purchaseId: string): PublishedEvent[];
  /** Every domain event the steps published since the current test (or, before the first test, the file) began, in publishing order. */
  publishedEvents(): PublishedEvent[];
  /** DynamoDB Local and its tables, for checks that scan what the sagas left behind. */
  readonly db: LocalDynamoDb;
}

export const CONCERT_ID = 'saga-night';

const detailSchema = z.object({ purchaseId: z.string() }).loose();

const stateNames = (history: readonly HistoryEvent[]): string[] =>
  history.flatMap((event) => {
    const name = event.type.endsWith('StateEntered') ? event.stateEnteredEventDetails?.['name'] : undefined;
    return typeof name === 'string' ? [name] : [];
  });

/** Registers the hooks of a test file and returns the rig (usable in tests and later hooks). */
export const useSagaRig = (): (() => SagaRig) => {
  const db = useLocalDynamoDb({ env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_TRACE_ENABLED: 'false', POWERTOOLS_METRICS_DISABLED: 'true' } });
  const eventBridge = mockClient(EventBridgeClient);
  let rig: SagaRig | undefined;
  let stepFunctions: InProcessStepFunctions | undefined;
  const answerPutEvents = () =>
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map((_, index) => ({ EventId: `event-${index}` })),
    }));

  beforeAll(async () => {
    // Also answered here, so a file's own beforeAll can run sagas before the first test.
    answerPutEvents();
    const { stateMachine, functions } = synthesizeSaga();
    const { documentClient, tables } = db();
    const invoker = inProcessInvoker(functions);
    stepFunctions = startInProcessStepFunctions({ stateMachine, invoker, retryDelayScale: RETRY_DELAY_SCALE });
    const sfn = stepFunctions;

    const { seats } = buildConcertItems({
      concertId: CONCERT_ID,
      name: 'Saga Night',
      venue: 'Test Hall',
      startsAt: '2027-01-01T20:00:00Z',
      currency: 'EUR',
      rows: 2,
      seatsPerRow: 10,
      priceBands: [{ fromRow: 'A', toRow: 'B', amount: 5_000 }],
    });
    await putItems(documentClient, tables.seats, seats);

    const getItem = async (tableName: string, key: Record<string, string>) =>
      (await documentClient.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

    const runOf = async (executionArn: string, what: string): Promise<SagaRun> => {
      await eventually(() => sfn.describeExecution({ executionArn }).status, (status) => status !== 'RUNNING', {
        what: `${what} to close`,
        timeoutMs: EXECUTION_DEADLINE_MS,
        intervalMs: 10,
      });
      const execution = await sfn.waitForExecution(executionArn);
      const { items: history } = await sfn.getExecutionHistory({ executionArn, maxResults: 1000 });
      return { execution, history, states: stateNames(history) };
    };
    const executionArnOf = (purchaseId: string) => sfn.executionArnOf(purchaseId);
    const published = (): PublishedEvent[] =>
      eventBridge
        .commandCalls(PutEventsCommand)
        .flatMap((call) => call.args[0].input.Entries ?? [])
        .map((entry) => ({ detailType: entry.DetailType ?? '', detail: detailSchema.parse(JSON.parse(entry.Detail ?? '{}')) }));

    rig = {
      invoker,
      redrive: async (purchaseId) => {
        await sfn.redriveExecution({ executionArn: executionArnOf(purchaseId) });
        return runOf(executionArnOf(purchaseId), `the redriven saga of ${purchaseId}`);
      },
      leaveInProgressRecord: async (handlerName, purchaseId, inProgressForMs) => {
        // Powertools' key: `<keyPrefix>#<md5 of the JSON of the key value>`; the prefix is the handler's name.
        const id = `${handlerName}#${createHash('md5').update(JSON.stringify(purchaseId)).digest('base64')}`;
        const now = Date.now();
        await documentClient.send(
          new PutCommand({
            TableName: tables.idempotency,
            Item: { id, status: 'INPROGRESS', expiration: Math.round(now / 1000) + 3_600, in_progress_expiration: now + inProgressForMs },
          }),
        );
      },
      invoiceItem: async (purchaseId) => getItem(tables.invoices, { purchaseId }),
      runPurchase: async ({ purchaseId, paymentToken, ...asked }) => {
        const now = new Date().toISOString();
        const input: SagaInput = sagaInputSchema.parse({ purchaseId, buyerId: 'buyer-1', concertId: CONCERT_ID, ...asked, correlationId: `corr-${purchaseId}` });
        const record = purchaseRecordSchema.parse({
          ...input,
          paymentToken,
          paymentRef: `tok_…${paymentToken.slice(-4)}`,
          requestHash: `hash-${purchaseId}`,
          createdAt: now,
          updatedAt: now,
          status: 'QUEUED',
          statusRank: STATUS_RANK.QUEUED,
        });
        await documentClient.send(new PutCommand({ TableName: tables.purchases, Item: record }));
        const { executionArn } = await sfn.startExecution({ stateMachineArn: stateMachine.arn, name: purchaseId, input: JSON.stringify(input) });
        return runOf(executionArn, `the saga of ${purchaseId}`);
      },
      seat: async (seatId) => inventorySeatSchema.parse(await getItem(tables.seats, seatKey(CONCERT_ID, seatId))),
      putSeat: async (seat) => {
        await documentClient.send(new PutCommand({ TableName: tables.seats, Item: inventorySeatSchema.parse(seat) }));
      },
      ledger: async (purchaseId) => {
        const item = await getItem(tables.payments, { purchaseId });
        return item ? ledgerEntrySchema.parse(item) : undefined;
      },
      invoice: async (purchaseId) => {
        const item = await getItem(tables.invoices, { purchaseId });
        return item ? invoiceSchema.parse(item) : undefined;
      },
      eventsOf: (purchaseId) => published().filter((event) => event.detail.purchaseId === purchaseId),
      publishedEvents: () => published(),
      db: db(),
    };
  });

  beforeEach(() => {
    eventBridge.reset();
    answerPutEvents();
    rig?.invoker.injectFaults({});
  });

  afterAll(async () => {
    await stepFunctions?.close();
    eventBridge.restore();
  });

  return () => {
    if (!rig) throw new Error('The saga rig is not ready: use it inside a test or a hook after beforeAll');
    return rig;
  };
};
