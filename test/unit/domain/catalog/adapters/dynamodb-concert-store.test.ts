import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createConcertPriceBandsLookup, createDynamoDbConcertStore } from '#domain/catalog/adapters/dynamodb-concert-store';
import type { Concert } from '#domain/catalog/concert';
import type { Seat, SeatAvailability } from '#domain/catalog/concert';

const dynamo = mockClient(DynamoDBDocumentClient);
const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tables = { concerts: 'concerts', seats: 'seats', seatAvailability: 'availability' };
const store = () => createDynamoDbConcertStore({ client: client(), tables, sleep: () => Promise.resolve() });
const concert: Concert = { concertId: 'rock-night', name: 'Rock Night', venue: 'Arena', startsAt: '2026-12-31T20:00:00Z', currency: 'EUR', seatCount: 2 };

beforeEach(() => dynamo.reset());

test('reads a concert by its key', async () => {
  dynamo.on(GetCommand, { TableName: 'concerts', Key: { concertId: 'rock-night' } }).resolves({ Item: concert });

  expect(await store().getConcert('rock-night')).toEqual(concert);
});

test('returns undefined for an unknown concert', async () => {
  dynamo.on(GetCommand).resolves({});

  expect(await store().getConcert('nope')).toBeUndefined();
});

test('lists concerts across scan pages, soonest first', async () => {
  const later = { ...concert, concertId: 'jazz-night', startsAt: '2027-01-05T20:00:00Z' };
  dynamo
    .on(ScanCommand)
    .resolvesOnce({ Items: [later], LastEvaluatedKey: { concertId: 'jazz-night' } })
    .resolvesOnce({ Items: [concert] });

  const concerts = await store().listConcerts();

  expect(concerts.map((c) => c.concertId)).toEqual(['rock-night', 'jazz-night']);
});

test('reports an existing concert instead of overwriting it', async () => {
  dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

  expect(await store().putConcert(concert, { overwrite: false })).toBe('exists');
});

test('overwrites without a condition when asked to', async () => {
  dynamo.on(PutCommand).resolves({});

  await store().putConcert(concert, { overwrite: true });

  expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.ConditionExpression).toBeUndefined();
});

test('writes seats and availability items to their tables', async () => {
  dynamo.on(BatchWriteCommand).resolves({});
  const seat = { concertId: 'rock-night', seatId: 'A-1', row: 'A', number: 1, price: { amount: 1, currency: 'EUR' }, status: 'AVAILABLE' as const, version: 1 };

  await store().putSeats([seat], [{ concertId: 'rock-night', seatId: 'A-1', row: 'A', price: seat.price, status: 'AVAILABLE', version: 1 }]);

  const requestItems = dynamo.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems;
  expect(Object.keys(requestItems ?? {})).toEqual(['seats', 'availability']);
});

test('deletes every seat and availability item of the concert', async () => {
  dynamo.on(QueryCommand, { TableName: 'seats' }).resolves({ Items: [{ concertId: 'rock-night', seatId: 'A-1' }, { concertId: 'rock-night', seatId: 'A-2' }] });
  dynamo.on(QueryCommand, { TableName: 'availability' }).resolves({ Items: [{ concertId: 'rock-night', seatId: 'A-1' }] });
  dynamo.on(BatchWriteCommand).resolves({});

  const deleted = await store().deleteSeats('rock-night');

  expect(deleted).toBe(3);
  expect(dynamo.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems).toEqual({
    seats: [{ DeleteRequest: { Key: { concertId: 'rock-night', seatId: 'A-1' } } }, { DeleteRequest: { Key: { concertId: 'rock-night', seatId: 'A-2' } } }],
    availability: [{ DeleteRequest: { Key: { concertId: 'rock-night', seatId: 'A-1' } } }],
  });
});

test('lists no concerts when a scan page carries no items', async () => {
  // Arrange: DynamoDB may leave Items out of a page.
  dynamo.on(ScanCommand).resolves({});

  // Act
  const concerts = await store().listConcerts();

  // Assess
  expect(concerts).toEqual([]);
});

test('puts a new concert with a condition on its key', async () => {
  // Arrange
  dynamo.on(PutCommand).resolves({});

  // Act
  const outcome = await store().putConcert(concert, { overwrite: false });

  // Assess: the condition names the key attribute, so a second creation of the same id fails instead of overwriting.
  expect(outcome).toBe('written');
  expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
    TableName: 'concerts',
    Item: concert,
    ConditionExpression: 'attribute_not_exists(#key)',
    ExpressionAttributeNames: { '#key': 'concertId' },
  });
});

test('passes on errors other than a failed condition when putting a concert', async () => {
  // Arrange
  dynamo.on(PutCommand).rejects(new Error('ThrottlingException'));

  // Act
  const putting = store().putConcert(concert, { overwrite: false });

  // Assess: a throttled write is not an existing concert.
  await expect(putting).rejects.toThrow('ThrottlingException');
});

describe('seat items', () => {
  const price = { amount: 1, currency: 'EUR' };
  const seat: Seat = { concertId: 'rock-night', seatId: 'A-1', row: 'A', number: 1, price, status: 'AVAILABLE', version: 1 };
  const availability: SeatAvailability = { concertId: 'rock-night', seatId: 'A-1', row: 'A', price, status: 'AVAILABLE', version: 1 };

  test('puts each seat and availability item whole', async () => {
    // Arrange
    dynamo.on(BatchWriteCommand).resolves({});

    // Act
    await store().putSeats([seat], [availability]);

    // Assess
    expect(dynamo.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems).toEqual({
      seats: [{ PutRequest: { Item: seat } }],
      availability: [{ PutRequest: { Item: availability } }],
    });
  });

  test('reports the progress of writing seats', async () => {
    // Arrange
    dynamo.on(BatchWriteCommand).resolves({});
    const onProgress = jest.fn();

    // Act
    await store().putSeats([seat], [availability], onProgress);

    // Assess
    expect(onProgress).toHaveBeenCalledWith({ phase: 'writing', done: 2, total: 2 });
  });

  test('waits with the injected sleep before sending unprocessed seats again', async () => {
    // Arrange: the store must hand its sleep to the batch writer, or tests and tools would wait for real.
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { seats: [{ PutRequest: { Item: seat } }] } })
      .resolves({});
    const sleep = jest.fn(() => Promise.resolve());

    // Act
    await createDynamoDbConcertStore({ client: client(), tables, sleep }).putSeats([seat], []);

    // Assess
    expect(sleep).toHaveBeenCalledTimes(1);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(2);
  });

  test('finds the seats to delete by querying the concert partition for the keys only', async () => {
    // Arrange
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(BatchWriteCommand).resolves({});

    // Act
    await store().deleteSeats('rock-night');

    // Assess
    expect(dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual(
      ['seats', 'availability'].map((TableName) => ({
        TableName,
        KeyConditionExpression: '#pk = :concertId',
        ProjectionExpression: '#k0, #k1',
        ExpressionAttributeNames: { '#pk': 'concertId', '#k0': 'concertId', '#k1': 'seatId' },
        ExpressionAttributeValues: { ':concertId': 'rock-night' },
      })),
    );
  });

  test('deletes nothing when a query page carries no items', async () => {
    // Arrange
    dynamo.on(QueryCommand).resolves({});
    dynamo.on(BatchWriteCommand).resolves({});

    // Act
    const deleted = await store().deleteSeats('rock-night');

    // Assess
    expect(deleted).toBe(0);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  test('reports the progress of deleting seats', async () => {
    // Arrange
    dynamo.on(QueryCommand).resolves({ Items: [{ concertId: 'rock-night', seatId: 'A-1' }] });
    dynamo.on(BatchWriteCommand).resolves({});
    const onProgress = jest.fn();

    // Act
    await store().deleteSeats('rock-night', onProgress);

    // Assess
    expect(onProgress).toHaveBeenCalledWith({ phase: 'deleting', done: 2, total: 2 });
  });
});

describe('the price bands lookup', () => {
  const priceBandsOf = (concertId: string) => createConcertPriceBandsLookup({ client: client(), tableName: 'concerts' })(concertId);

  test("reads a concert's key and band names only", async () => {
    // Arrange
    dynamo.on(GetCommand).resolves({ Item: { concertId: 'rock-night', priceBands: ['A-E', 'F-J'] } });

    // Act
    const bands = await priceBandsOf('rock-night');

    // Assess
    expect(bands).toEqual(['A-E', 'F-J']);
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'concerts',
      Key: { concertId: 'rock-night' },
      ProjectionExpression: '#key, #bands',
      ExpressionAttributeNames: { '#key': 'concertId', '#bands': 'priceBands' },
    });
  });

  test('gives no bands for a concert created before bands were kept', async () => {
    // Arrange
    dynamo.on(GetCommand).resolves({ Item: { concertId: 'rock-night' } });

    // Act, Assess
    expect(await priceBandsOf('rock-night')).toEqual([]);
  });

  test('says undefined for a concert that is not there', async () => {
    // Arrange
    dynamo.on(GetCommand).resolves({});

    // Act, Assess
    expect(await priceBandsOf('nope')).toBeUndefined();
  });
});
