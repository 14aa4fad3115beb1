import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { KeyAttribute, LocalTable, LocalTableIndex } from '#local/template/local-app';

/**
 * Creates the template's tables on a DynamoDB endpoint (DynamoDB Local at
 * startup). Idempotent: a table that already exists, as after a restart on
 * a kept data folder, is accepted when its keys match the template; TTL is
 * switched on either way.
 */

export interface CreateTablesResult {
  readonly created: readonly string[];
  readonly existing: readonly string[];
}

/** The stored table contradicts the template: serving it would fail in confusing ways later. */
export class TableMismatchError extends Error {
  override readonly name = 'TableMismatchError';
}

const TABLE_WAIT_SECONDS = 30;

const keySchema = (partitionKey: KeyAttribute, sortKey: KeyAttribute | undefined): KeySchemaElement[] => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
];

const projection = (index: LocalTableIndex) => ({
  ProjectionType: index.projection.type,
  ...(index.projection.nonKeyAttributes ? { NonKeyAttributes: [...index.projection.nonKeyAttributes] } : {}),
});

/** Every key attribute of the table and its indexes, once each, as CreateTable wants them. */
const attributeDefinitions = (table: LocalTable): AttributeDefinition[] => {
  const keys = [table.partitionKey, table.sortKey, ...[...table.globalSecondaryIndexes, ...table.localSecondaryIndexes].flatMap((index) => [index.partitionKey, index.sortKey])];
  const types = new Map<string, KeyAttribute['type']>();
  for (const key of keys) {
    if (!key) continue;
    const known = types.get(key.name);
    if (known && known !== key.type) throw new TableMismatchError(`Table ${table.name}: key attribute ${key.name} is declared as both ${known} and ${key.type}`);
    types.set(key.name, key.type);
  }
  return [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
};

const createTableCommand = (table: LocalTable) => {
  const globalIndexes: GlobalSecondaryIndex[] = table.globalSecondaryIndexes.map((index) => ({
    IndexName: index.name,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: projection(index),
  }));
  const localIndexes: LocalSecondaryIndex[] = table.localSecondaryIndexes.map((index) => ({
    IndexName: index.name,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: projection(index),
  }));
  return new CreateTableCommand({
    TableName: table.name,
    // Capacity has no meaning locally; on-demand needs no numbers.
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    AttributeDefinitions: attributeDefinitions(table),
    ...(globalIndexes.length > 0 ? { GlobalSecondaryIndexes: globalIndexes } : {}),
    ...(localIndexes.length > 0 ? { LocalSecondaryIndexes: localIndexes } : {}),
  });
};

const describeKeys = (elements: readonly KeySchemaElement[] | undefined) =>
  (elements ?? []).map((element) => `${element.AttributeName ?? ''}:${element.KeyType ?? ''}`).join(',');

/** An existing table must have the template's keys and indexes; a kept data folder from an older template may not. */
const checkExistingTable = (table: LocalTable, description: TableDescription | undefined): void => {
  const expected = describeKeys(keySchema(table.partitionKey, table.sortKey));
  const actual = describeKeys(description?.KeySchema);
  const fresh = 'start with --fresh to recreate the local data';
  if (expected !== actual) throw new TableMismatchError(`Table ${table.name} exists with keys ${actual}, but the template declares ${expected}: ${fresh}`);
  const existingIndexes = new Set((description?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const missing = table.globalSecondaryIndexes.map((index) => index.name).filter((name) => !existingIndexes.has(name));
  if (missing.length > 0) throw new TableMismatchError(`Table ${table.name} exists without the index(es) ${missing.join(', ')} the template declares: ${fresh}`);
};

const enableTimeToLive = async (client: DynamoDBClient, table: LocalTable, isNew: boolean): Promise<void> => {
  const attribute = table.timeToLiveAttribute;
  if (!attribute) return;
  if (!isNew) {
    const { TimeToLiveDescription: current } = await client.send(new DescribeTimeToLiveCommand({ TableName: table.name }));
    const enabled = current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING';
    if (enabled && current?.AttributeName === attribute) return;
  }
  await client.send(new UpdateTimeToLiveCommand({ TableName: table.name, TimeToLiveSpecification: { AttributeName: attribute, Enabled: true } }));
};

const createTable = async (client: DynamoDBClient, table: LocalTable): Promise<'created' | 'existing'> => {
  let outcome: 'created' | 'existing' = 'created';
  try {
    await client.send(createTableCommand(table));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    outcome = 'existing';
  }
  await waitUntilTableExists({ client, maxWaitTime: TABLE_WAIT_SECONDS }, { TableName: table.name });
  if (outcome === 'existing') {
    const { Table: description } = await client.send(new DescribeTableCommand({ TableName: table.name }));
    checkExistingTable(table, description);
  }
  await enableTimeToLive(client, table, outcome === 'created');
  return outcome;
};

/** Creates every table (in parallel), accepting the ones that already exist with the same keys. */
export const createTables = async (client: DynamoDBClient, tables: readonly LocalTable[]): Promise<CreateTablesResult> => {
  const outcomes = await Promise.all(tables.map(async (table) => ({ name: table.name, outcome: await createTable(client, table) })));
  return {
    created: outcomes.filter((entry) => entry.outcome === 'created').map((entry) => entry.name),
    existing: outcomes.filter((entry) => entry.outcome === 'existing').map((entry) => entry.name),
  };
};
