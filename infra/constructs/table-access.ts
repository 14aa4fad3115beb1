import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CONCERT_ATTRIBUTES } from '#domain/catalog/adapters/dynamodb-concert-store';
import { PENDING_START_INDEX } from '#domain/orders/pending-start';
import { STORED_PURCHASE_ATTRIBUTES } from '#domain/orders/purchase';
import { TABLES, type TableId } from '#domain/tables';
import { ADMISSION_KEY_ATTRIBUTE, ON_SALE_ATTRIBUTE, PRICE_BANDS_ATTRIBUTE } from '#domain/waiting-room/on-sale';
import { PRE_QUEUE_INDEX } from '#domain/waiting-room/queue-ticket';

/**
 * The DynamoDB actions the adapters send. TransactWriteItems has no IAM
 * action of its own: DynamoDB authorizes each item of the transaction as the
 * single-item action it is (an `Update` needs UpdateItem), so it is not here.
 */
type ItemAction = 'GetItem' | 'BatchGetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query';

/** Actions that return item attributes to the caller, which a `dynamodb:Attributes` condition can narrow. */
const READ_ACTIONS: ReadonlySet<ItemAction> = new Set(['GetItem', 'BatchGetItem', 'Query']);

interface TableAccess {
  /** What the function's adapters call on the table itself. */
  readonly actions: readonly ItemAction[];
  /**
   * The only top-level attributes its reads may return. DynamoDB can check
   * this only when the read names them in a ProjectionExpression, so the
   * condition also refuses `Select = ALL_ATTRIBUTES` (the IAM User Guide's
   * "Allows access to specific attributes" policy). Key attributes are listed too.
   * @default - the whole item
   */
  readonly readsOnly?: readonly string[];
  /**
   * An index the function queries (never the table itself).
   * @default - none
   */
  readonly queriesIndex?: string;
}

/** Powertools idempotency's DynamoDB persistence layer: get, put, update and delete of its own records. */
const IDEMPOTENCY_RECORDS: TableAccess = { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] };
/** The seat store: one consistent BatchGetItem of the seats, then one transaction of conditional updates. */
const SEAT_TRANSITIONS: TableAccess = { actions: ['BatchGetItem', 'UpdateItem'] };
/** The same, plus the one key-range Query of a band that finds the best available seats, or the seats a purchase by quantity holds. */
const SEAT_TRANSITIONS_BY_BAND: TableAccess = { actions: ['BatchGetItem', 'UpdateItem', 'Query'] };
/** The simulated provider's ledger: conditional updates that return the entry, and a consistent read of it. */
const PAYMENT_LEDGER: TableAccess = { actions: ['GetItem', 'UpdateItem'] };

/** The attribute of a purchase only the charge step may read: it hands the token to the payment provider. */
export const PAYMENT_TOKEN_ATTRIBUTE = 'paymentToken';

/** A concert's gate: its on-sale configuration, without the admission key. */
const ON_SALE_READER: TableAccess = { actions: ['GetItem'], readsOnly: [TABLES.concerts.partitionKey, ON_SALE_ATTRIBUTE] };
/** The token's signer (the ticket poll) and verifier (create-purchase): the only readers of the admission key. */
const ADMISSION_KEY_READER: TableAccess = { actions: ['GetItem'], readsOnly: [TABLES.concerts.partitionKey, ON_SALE_ATTRIBUTE, ADMISSION_KEY_ATTRIBUTE] };

/**
 * Every function's DynamoDB access, by handler name and table: the actions
 * its adapters send, nothing more. No function scans. Read it next to the
 * adapters in domain/<context>/adapters/ when one of them changes.
 */
const TABLE_ACCESS = {
  'create-purchase': {
    // Records the purchase (conditional put); on a retried request, reads it back.
    // DynamoDbPurchaseStore.find names the attributes it parses, which leaves the token out.
    purchases: { actions: ['PutItem', 'GetItem'], readsOnly: STORED_PURCHASE_ATTRIBUTES },
    // One read of the concert: whether it exists, the waiting room's gate (the admission token is checked against its key), its price bands.
    concerts: { actions: ['GetItem'], readsOnly: [...(ADMISSION_KEY_READER.readsOnly ?? []), PRICE_BANDS_ATTRIBUTE] },
    // Only whether the requested seats exist: one BatchGetItem of keys.
    seats: { actions: ['BatchGetItem'] },
  },
  'get-purchase': { purchases: { actions: ['GetItem'], readsOnly: STORED_PURCHASE_ATTRIBUTES } },
  'get-concert-seats': { concerts: { actions: ['GetItem'], readsOnly: CONCERT_ATTRIBUTES }, seatAvailability: { actions: ['Query'] } },
  // A ticket is one conditional put; a join after the start takes a number from one counter shard (UpdateItem); the line is one BatchGetItem.
  'join-queue': { concerts: ON_SALE_READER, waitingRoom: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'BatchGetItem'] } },
  'get-queue-ticket': { concerts: ADMISSION_KEY_READER, waitingRoom: { actions: ['GetItem', 'BatchGetItem'] } },
  // The room's only writer: the draw (the pre-queue index, then one UpdateItem per ticket), counter floors, the room state.
  'admit-buyers': {
    concerts: ON_SALE_READER,
    waitingRoom: { actions: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'], queriesIndex: PRE_QUEUE_INDEX.name },
  },
  // The claim is one conditional UpdateItem; when it fails, a read of the key and the refusal mark says why.
  'start-purchase': { purchases: { actions: ['UpdateItem', 'GetItem'], readsOnly: [TABLES.purchases.partitionKey, 'startRefusedAt'] } },
  'sweep-purchases': { purchases: { actions: ['GetItem', 'UpdateItem'], readsOnly: STORED_PURCHASE_ATTRIBUTES, queriesIndex: PENDING_START_INDEX.name } },
  'reserve-seats': { seats: SEAT_TRANSITIONS_BY_BAND, idempotency: IDEMPOTENCY_RECORDS },
  'charge-payment': {
    payments: PAYMENT_LEDGER,
    // The token is read from the purchase record, never carried in the execution.
    purchases: { actions: ['GetItem'], readsOnly: [TABLES.purchases.partitionKey, PAYMENT_TOKEN_ATTRIBUTE, 'paymentRef'] },
    idempotency: IDEMPOTENCY_RECORDS,
  },
  'create-invoice': { invoices: { actions: ['PutItem', 'GetItem'] }, idempotency: IDEMPOTENCY_RECORDS },
  'confirm-purchase': { seats: SEAT_TRANSITIONS, idempotency: IDEMPOTENCY_RECORDS },
  'void-invoice': { invoices: { actions: ['UpdateItem'] }, idempotency: IDEMPOTENCY_RECORDS },
  'refund-payment': { payments: PAYMENT_LEDGER, idempotency: IDEMPOTENCY_RECORDS },
  'release-seats': { seats: SEAT_TRANSITIONS_BY_BAND, idempotency: IDEMPOTENCY_RECORDS },
  'record-purchase-failure': { idempotency: IDEMPOTENCY_RECORDS },
  'project-purchase-status': { purchases: { actions: ['UpdateItem'] } },
  'project-seat-availability': { seatAvailability: { actions: ['UpdateItem'] } },
} as const satisfies Readonly<Record<string, Partial<Record<TableId, TableAccess>>>>;

export type TableAccessHandler = keyof typeof TABLE_ACCESS;

/** The tables a function uses: the ones its configuration must name. */
export const tablesUsedBy = (handler: TableAccessHandler): TableId[] => Object.keys(TABLE_ACCESS[handler]) as TableId[];

const dynamodbActions = (actions: readonly ItemAction[]) => actions.map((action) => `dynamodb:${action}`);

/**
 * Grants a function exactly its row of TABLE_ACCESS: statements on the
 * tables' ARNs (never `<table>/index/*`), a queried index by name, and the
 * attribute condition on reads where the row narrows them.
 */
export const grantTableAccess = (
  grantee: iam.IGrantable,
  handler: TableAccessHandler,
  tables: Readonly<Partial<Record<TableId, dynamodb.ITable>>>,
): void => {
  for (const [tableId, access] of Object.entries(TABLE_ACCESS[handler]) as Array<[TableId, TableAccess]>) {
    const table = tables[tableId];
    if (table === undefined) throw new Error(`${handler} uses the ${tableId} table, which was not given`);
    const reads = access.actions.filter((action) => READ_ACTIONS.has(action));
    const others = access.actions.filter((action) => !READ_ACTIONS.has(action));
    const statements = [
      reads.length > 0 && access.readsOnly !== undefined
        ? new iam.PolicyStatement({
          actions: dynamodbActions(reads),
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...access.readsOnly] },
            // A read that names no attributes asks for them all (Select ALL_ATTRIBUTES), and is refused.
            StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
          },
        })
        : undefined,
      new iam.PolicyStatement({
        actions: dynamodbActions(access.readsOnly === undefined ? access.actions : others),
        resources: [table.tableArn],
      }),
      access.queriesIndex === undefined
        ? undefined
        : new iam.PolicyStatement({ actions: dynamodbActions(['Query']), resources: [`${table.tableArn}/index/${access.queriesIndex}`] }),
    ];
    for (const statement of statements) {
      if (statement !== undefined && statement.actions.length > 0) grantee.grantPrincipal.addToPrincipalPolicy(statement);
    }
  }
};
