import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Concert } from '#domain/catalog/concert';
import { createConcertExistsCheck, createDynamoDbConcertStore } from '#domain/catalog/dynamodb-concert-store';

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

test('puts a new concert only if it does not exist', async () => {
  dynamo.on(PutCommand).resolves({});

  await store().putConcert(concert, { overwrite: false });

  expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({ ConditionExpression: 'attribute_not_exists(#key)' });
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

test('checks that a concert exists by reading its key only', async () => {
  dynamo.on(GetCommand).resolves({ Item: { concertId: 'rock-night' } });

  const exists = await createConcertExistsCheck({ client: client(), tableName: 'concerts' })('rock-night');

  expect(exists).toBe(true);
  expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ ProjectionExpression: '#key', ExpressionAttributeNames: { '#key': 'concertId' } });
});
