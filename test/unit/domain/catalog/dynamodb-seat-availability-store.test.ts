import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbSeatAvailabilityStore } from '#domain/catalog/dynamodb-seat-availability-store';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = () => createDynamoDbSeatAvailabilityStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 'availability' });
const eur = (amount: number) => ({ amount, currency: 'EUR' });

beforeEach(() => dynamo.reset());

test('lists every seat of a concert across query pages', async () => {
  const item = (seatId: string) => ({ concertId: 'rock-night', seatId, row: 'A', price: eur(100), status: 'AVAILABLE', version: 1 });
  dynamo
    .on(QueryCommand)
    .resolvesOnce({ Items: [item('A-1')], LastEvaluatedKey: { concertId: 'rock-night', seatId: 'A-1' } })
    .resolvesOnce({ Items: [item('A-2')] });

  const seats = await store().listSeats('rock-night');

  expect(seats.map((seat) => seat.seatId)).toEqual(['A-1', 'A-2']);
  expect(dynamo.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({ concertId: 'rock-night', seatId: 'A-1' });
});

test('holds a seat only when the event version is newer than the stored one', async () => {
  dynamo.on(UpdateCommand).resolves({});

  const outcome = await store().applyChange({
    concertId: 'rock-night',
    seatId: 'A-1',
    version: 2,
    status: 'HELD',
    purchaseId: 'purchase-0001',
    holdExpiresAt: '2026-11-26T10:20:00.000Z',
    price: eur(100),
  });

  const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
  expect(outcome).toBe('applied');
  expect(input).toMatchObject({
    Key: { concertId: 'rock-night', seatId: 'A-1' },
    ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
    ExpressionAttributeValues: { ':status': 'HELD', ':version': 2, ':purchaseId': 'purchase-0001', ':holdExpiresAt': '2026-11-26T10:20:00.000Z' },
  });
});

test('removes the holder and the hold expiry when a seat becomes available', async () => {
  dynamo.on(UpdateCommand).resolves({});

  await store().applyChange({ concertId: 'rock-night', seatId: 'A-1', version: 3, status: 'AVAILABLE' });

  expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.UpdateExpression).toMatch(/ REMOVE #purchaseId, #holdExpiresAt$/);
});

test('reports an older or repeated change as stale, not as an error', async () => {
  dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'stale', $metadata: {} }));

  expect(await store().applyChange({ concertId: 'rock-night', seatId: 'A-1', version: 2, status: 'SOLD', purchaseId: 'p1' })).toBe('stale');
});

test('passes on other errors', async () => {
  dynamo.on(UpdateCommand).rejects(new Error('ThrottlingException'));

  await expect(store().applyChange({ concertId: 'rock-night', seatId: 'A-1', version: 2, status: 'SOLD', purchaseId: 'p1' })).rejects.toThrow('ThrottlingException');
});
