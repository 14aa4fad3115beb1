import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES, type TableId } from '#domain/tables';
import { ENV, type EnvKey } from '#commons/config';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/index';

/**
 * DynamoDB Local for a test file: one Java process per file, every table of
 * domain/tables.ts under a unique name, and the environment the handlers read
 * (table names, endpoint, region, dummy credentials), so the real handler
 * modules run against it unchanged.
 *
 * Handlers read their configuration at module scope: import them after
 * `start` (e.g. `await import(...)` in beforeAll), or use `useLocalDynamoDb`.
 */

export const TEST_REGION = 'us-east-1';
export const TEST_EVENT_BUS_NAME = 'ticketing-test-bus';
const TABLE_WAIT_SECONDS = 30;
/** BatchWriteItem takes at most 25 requests. */
const BATCH_WRITE_LIMIT = 25;
const BATCH_WRITE_ROUNDS = 10;
const SOCKET_WARNING_MS = 120_000;

export type TableNames = Record<TableId, string>;

/** The ENV key (handlers/commons/config.ts) that carries each table's name. */
export const TABLE_ENV_KEYS: Record<TableId, EnvKey> = {
  purchases: 'purchasesTable',
  seats: 'seatsTable',
  seatAvailability: 'seatAvailabilityTable',
  concerts: 'concertsTable',
  invoices: 'invoicesTable',
  payments: 'paymentsTable',
  idempotency: 'idempotencyTable',
  waitingRoom: 'waitingRoomTable',
};

export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  readonly tables: TableNames;
  /** The variables set on process.env while this instance runs. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface LocalDynamoDbOptions {
  /** Extra or overriding environment, e.g. another EVENT_BUS_NAME. */
  readonly env?: Readonly<Record<string, string>>;
}

export const createDynamoDbClients = (endpoint: string) => {
  const client = new DynamoDBClient({
    endpoint,
    region: TEST_REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    // Tests fire hundreds of requests at once on purpose: queueing for a socket is expected, not worth a warning.
    requestHandler: { socketAcquisitionWarningTimeout: SOCKET_WARNING_MS },
  });
  const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, documentClient };
};

const keyDefinition = (table: (typeof TABLES)[TableId]) => {
  const keySchema: KeySchemaElement[] = [{ AttributeName: table.partitionKey, KeyType: 'HASH' }];
  const attributes: AttributeDefinition[] = [{ AttributeName: table.partitionKey, AttributeType: 'S' }];
  if ('sortKey' in table) {
    keySchema.push({ AttributeName: table.sortKey, KeyType: 'RANGE' });
    attributes.push({ AttributeName: table.sortKey, AttributeType: 'S' });
  }
  return { keySchema, attributes };
};

/** Creates every table of domain/tables.ts, named `<prefix>-<tableId>`, and waits until each is ACTIVE. */
export const createTables = async (client: DynamoDBClient, prefix = `test-${randomUUID().slice(0, 8)}`): Promise<TableNames> => {
  const ids = Object.keys(TABLES) as TableId[];
  const names = Object.fromEntries(ids.map((id) => [id, `${prefix}-${id}`])) as TableNames;
  await Promise.all(
    ids.map(async (id) => {
      const table = TABLES[id];
      const { keySchema, attributes } = keyDefinition(table);
      await client.send(
        new CreateTableCommand({ TableName: names[id], KeySchema: keySchema, AttributeDefinitions: attributes, BillingMode: 'PAY_PER_REQUEST' }),
      );
      await waitUntilTableExists({ client, maxWaitTime: TABLE_WAIT_SECONDS }, { TableName: names[id] });
      if ('timeToLiveAttribute' in table) {
        await client.send(
          new UpdateTimeToLiveCommand({ TableName: names[id], TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true } }),
        );
      }
    }),
  );
  return names;
};

/** Writes test fixtures 25 at a time, writing again whatever DynamoDB left unprocessed. */
export const putItems = async (documentClient: DynamoDBDocumentClient, tableName: string, items: readonly object[]): Promise<void> => {
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
    let requests = items.slice(start, start + BATCH_WRITE_LIMIT).map((item) => ({ PutRequest: { Item: { ...item } } }));
    for (let round = 1; requests.length > 0; round++) {
      if (round > BATCH_WRITE_ROUNDS) throw new Error(`DynamoDB Local left ${requests.length} fixture items unwritten in ${tableName}`);
      const response = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (response.UnprocessedItems?.[tableName] ?? []).flatMap((request) => (request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : []));
    }
  }
};

/** The environment a handler needs to run against these tables at this endpoint. */
export const handlerEnv = (endpoint: string, tables: TableNames): Record<string, string> => ({
  ...Object.fromEntries((Object.keys(tables) as TableId[]).map((id) => [ENV[TABLE_ENV_KEYS[id]], tables[id]])),
  [ENV.eventBusName]: TEST_EVENT_BUS_NAME,
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  AWS_REGION: TEST_REGION,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
});

const applyEnv = (env: Readonly<Record<string, string>>): (() => void) => {
  const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
};

/** Starts DynamoDB Local in memory, creates the tables and sets process.env. `stop()` undoes all three. */
export const startLocalDynamoDb = async (options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> => {
  const server: DynamoDbLocal = await startDynamoDbLocal();
  try {
    const { client, documentClient } = createDynamoDbClients(server.endpoint);
    const tables = await createTables(client);
    const env = { ...handlerEnv(server.endpoint, tables), ...options.env };
    const restoreEnv = applyEnv(env);
    return {
      endpoint: server.endpoint,
      client,
      documentClient,
      tables,
      env,
      stop: async () => {
        restoreEnv();
        client.destroy();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
};

/**
 * Registers beforeAll/afterAll for the calling test file and returns a getter
 * for the running instance (valid inside tests and later hooks).
 */
export const useLocalDynamoDb = (options: LocalDynamoDbOptions = {}): (() => LocalDynamoDb) => {
  let instance: LocalDynamoDb | undefined;
  beforeAll(async () => {
    instance = await startLocalDynamoDb(options);
  });
  afterAll(async () => {
    await instance?.stop();
    instance = undefined;
  });
  return () => {
    if (!instance) throw new Error('DynamoDB Local is not running: call the getter inside a test or a hook after beforeAll');
    return instance;
  };
};
