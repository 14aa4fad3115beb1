import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchWriteIncompleteError, createBatchWriter, type TableWrite } from '#domain/catalog/adapters/dynamodb-batch-writer';

const dynamo = mockClient(DynamoDBDocumentClient);
const noSleep = () => Promise.resolve();
const writer = (maxAttempts?: number) =>
  createBatchWriter({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), sleep: noSleep, ...(maxAttempts ? { maxAttempts } : {}) });
const put = (n: number, tableName = 'seats'): TableWrite => ({ tableName, request: { PutRequest: { Item: { concertId: 'rock-night', seatId: `A-${n}` } } } });

beforeEach(() => dynamo.reset());

test('sends at most 25 writes per call', async () => {
  dynamo.on(BatchWriteCommand).resolves({});

  await writer()(Array.from({ length: 60 }, (_, n) => put(n + 1)));

  const sizes = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems?.seats?.length);
  expect(sizes).toEqual([25, 25, 10]);
});

test('groups the writes of one call by table', async () => {
  dynamo.on(BatchWriteCommand).resolves({});

  await writer()([put(1, 'seats'), put(1, 'availability'), put(2, 'seats')]);

  const requestItems = dynamo.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems ?? {};
  expect(Object.fromEntries(Object.entries(requestItems).map(([table, requests]) => [table, requests.length]))).toEqual({ seats: 2, availability: 1 });
});

test('sends unprocessed writes again until none are left', async () => {
  const leftOver = { seats: [put(2).request] };
  dynamo.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: leftOver }).resolves({ UnprocessedItems: {} });

  await writer()([put(1), put(2)]);

  const calls = dynamo.commandCalls(BatchWriteCommand);
  expect(calls).toHaveLength(2);
  expect(calls[1]?.args[0].input.RequestItems).toEqual(leftOver);
});

test('gives up loudly when writes stay unprocessed', async () => {
  dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: { seats: [put(1).request] } });

  await expect(writer(3)([put(1)])).rejects.toThrow(BatchWriteIncompleteError);
  expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(3);
});

test('says how many writes across all tables were lost when it gives up', async () => {
  // Arrange: two writes of two tables stay unprocessed.
  dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: { seats: [put(1).request], availability: [put(1, 'availability').request] } });

  // Act
  const writing = writer(2)([put(1), put(1, 'availability')]);

  // Assess: the operator learns how much of the concert is missing.
  await expect(writing).rejects.toMatchObject({
    name: 'BatchWriteIncompleteError',
    unprocessed: 2,
    message: 'DynamoDB left 2 write(s) unprocessed after 2 attempts',
  });
});

test('waits twice as long before each retry, up to two seconds', async () => {
  // Arrange
  dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: { seats: [put(1).request] } });
  const delays: number[] = [];
  const recordingSleep = (ms: number) => {
    delays.push(ms);
    return Promise.resolve();
  };
  const write = createBatchWriter({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), sleep: recordingSleep, maxAttempts: 8 });

  // Act
  await expect(write([put(1)])).rejects.toThrow(BatchWriteIncompleteError);

  // Assess: no wait after the last attempt, which gives up instead.
  expect(delays).toEqual([50, 100, 200, 400, 800, 1600, 2000]);
});

describe('without an injected sleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('really waits before sending unprocessed writes again', async () => {
    // Arrange
    dynamo.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: { seats: [put(1).request] } }).resolves({});
    const write = createBatchWriter({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})) });

    // Act
    const writing = write([put(1)]);
    await jest.advanceTimersByTimeAsync(49);
    const callsBeforeTheDelay = dynamo.commandCalls(BatchWriteCommand).length;
    await jest.advanceTimersByTimeAsync(1);
    await writing;

    // Assess
    expect(callsBeforeTheDelay).toBe(1);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(2);
  });
});

test('sends nothing when there is nothing to write', async () => {
  // Arrange
  dynamo.on(BatchWriteCommand).resolves({});
  const onProgress = jest.fn();

  // Act
  await writer()([], onProgress);

  // Assess: an empty BatchWriteItem call is a ValidationException in DynamoDB.
  expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
  expect(onProgress).not.toHaveBeenCalled();
});

test('sends exactly one call for a full batch', async () => {
  // Arrange
  dynamo.on(BatchWriteCommand).resolves({});

  // Act
  await writer()(Array.from({ length: 25 }, (_, n) => put(n + 1)));

  // Assess
  expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(1);
});

test('reports progress after each call', async () => {
  dynamo.on(BatchWriteCommand).resolves({});
  const progress: Array<[number, number]> = [];

  await writer()(Array.from({ length: 30 }, (_, n) => put(n + 1)), (done, total) => progress.push([done, total]));

  expect(progress).toEqual([
    [25, 30],
    [30, 30],
  ]);
});
