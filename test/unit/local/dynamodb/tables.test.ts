import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createTables, TableMismatchError } from '#local/dynamodb/tables';
import type { LocalTable } from '#local/template/local-app';

const dynamoDb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1' });

const seats: LocalTable = {
  logicalId: 'Seats',
  name: 'Seats',
  arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Seats',
  partitionKey: { name: 'concertId', type: 'S' },
  sortKey: { name: 'seatId', type: 'S' },
  globalSecondaryIndexes: [{ name: 'byStatus', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'seatId', type: 'S' }, projection: { type: 'KEYS_ONLY' } }],
  localSecondaryIndexes: [],
};
const idempotency: LocalTable = {
  logicalId: 'Idempotency',
  name: 'Idempotency',
  arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Idempotency',
  partitionKey: { name: 'id', type: 'S' },
  globalSecondaryIndexes: [],
  localSecondaryIndexes: [],
  timeToLiveAttribute: 'expiration',
};

const activeTable = (table: LocalTable) => ({
  Table: {
    TableName: table.name,
    TableStatus: 'ACTIVE' as const,
    KeySchema: [
      { AttributeName: table.partitionKey.name, KeyType: 'HASH' as const },
      ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({ IndexName: index.name })),
  },
});

beforeEach(() => {
  dynamoDb.reset();
  dynamoDb.on(DescribeTableCommand, { TableName: 'Seats' }).resolves(activeTable(seats));
  dynamoDb.on(DescribeTableCommand, { TableName: 'Idempotency' }).resolves(activeTable(idempotency));
});

test('creates each table on demand with its keys, attribute definitions and indexes', async () => {
  // Prepare
  dynamoDb.on(CreateTableCommand).resolves({});

  // Act
  const result = await createTables(client, [seats]);

  // Assess
  expect(result).toEqual({ created: ['Seats'], existing: [] });
  expect(dynamoDb).toHaveReceivedCommandWith(CreateTableCommand, {
    TableName: 'Seats',
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: 'concertId', KeyType: 'HASH' },
      { AttributeName: 'seatId', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'concertId', AttributeType: 'S' },
      { AttributeName: 'seatId', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byStatus',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'seatId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  });
});

test('switches TTL on for a new table that declares it', async () => {
  // Prepare
  dynamoDb.on(CreateTableCommand).resolves({});

  // Act
  await createTables(client, [idempotency]);

  // Assess
  expect(dynamoDb).toHaveReceivedCommandWith(UpdateTimeToLiveCommand, {
    TableName: 'Idempotency',
    TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
  });
});

test('accepts a table that already exists with the same keys, leaving enabled TTL alone', async () => {
  // Prepare
  dynamoDb.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'Table already exists', $metadata: {} }));
  dynamoDb.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiration' } });

  // Act
  const result = await createTables(client, [seats, idempotency]);

  // Assess
  expect(result).toEqual({ created: [], existing: ['Seats', 'Idempotency'] });
  expect(dynamoDb).not.toHaveReceivedCommand(UpdateTimeToLiveCommand);
});

test('refuses an existing table whose keys differ from the template', async () => {
  // Prepare
  dynamoDb.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'Table already exists', $metadata: {} }));
  dynamoDb.on(DescribeTableCommand, { TableName: 'Seats' }).resolves(activeTable({ ...seats, sortKey: undefined }));

  // Act
  const act = createTables(client, [seats]);

  // Assess
  await expect(act).rejects.toThrow(TableMismatchError);
  await expect(act).rejects.toThrow('Table Seats exists with keys concertId:HASH, but the template declares concertId:HASH,seatId:RANGE');
});
