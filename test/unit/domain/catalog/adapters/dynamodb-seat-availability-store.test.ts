import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbSeatAvailabilityStore } from '#domain/catalog/adapters/dynamodb-seat-availability-store';

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

test('queries only the partition of the concert asked for', async () => {
  // Arrange
  dynamo.on(QueryCommand).resolves({ Items: [] });

  // Act
  await store().listSeats('rock-night');

  // Assess
  expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
    TableName: 'availability',
    KeyConditionExpression: '#pk = :concertId',
    ExpressionAttributeNames: { '#pk': 'concertId' },
    ExpressionAttributeValues: { ':concertId': 'rock-night' },
  });
});

test('lists no seats for a concert whose query page carries no items', async () => {
  // Arrange: DynamoDB may leave Items out of a page.
  dynamo.on(QueryCommand).resolves({});

  // Act
  const seats = await store().listSeats('rock-night');

  // Assess
  expect(seats).toEqual([]);
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

describe('the update each change sends', () => {
  const condition = 'attribute_not_exists(#version) OR #version < :version';
  const sentUpdate = () => dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;

  beforeEach(() => dynamo.on(UpdateCommand).resolves({}));

  test('a hold sets the holder, the expiry, and the row and price only where the item has none', async () => {
    // Arrange: the first change a seat the concert tool never seeded may receive carries its price.
    const held = { concertId: 'rock-night', seatId: 'AB-12', version: 2, status: 'HELD' as const, purchaseId: 'purchase-0001', holdExpiresAt: '2026-11-26T10:20:00.000Z', price: eur(100) };

    // Act
    await store().applyChange(held);

    // Assess: every attribute of the item moves to the event's version in one update, guarded by that version.
    expect(sentUpdate()).toEqual({
      TableName: 'availability',
      Key: { concertId: 'rock-night', seatId: 'AB-12' },
      UpdateExpression:
        'SET #status = :status, #version = :version, #row = if_not_exists(#row, :row), #purchaseId = :purchaseId, #holdExpiresAt = :holdExpiresAt, #price = if_not_exists(#price, :price)',
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#status': 'status', '#version': 'version', '#row': 'row', '#purchaseId': 'purchaseId', '#holdExpiresAt': 'holdExpiresAt', '#price': 'price' },
      ExpressionAttributeValues: { ':status': 'HELD', ':version': 2, ':row': 'AB', ':purchaseId': 'purchase-0001', ':holdExpiresAt': '2026-11-26T10:20:00.000Z', ':price': eur(100) },
    });
  });

  test('a sale keeps the buyer, drops the hold expiry and leaves the stored price alone', async () => {
    // Arrange: PurchaseConfirmed carries no price and no hold expiry.
    const sold = { concertId: 'rock-night', seatId: 'A-1', version: 3, status: 'SOLD' as const, purchaseId: 'purchase-0001' };

    // Act
    await store().applyChange(sold);

    // Assess
    expect(sentUpdate()).toEqual({
      TableName: 'availability',
      Key: { concertId: 'rock-night', seatId: 'A-1' },
      UpdateExpression: 'SET #status = :status, #version = :version, #row = if_not_exists(#row, :row), #purchaseId = :purchaseId REMOVE #holdExpiresAt',
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#status': 'status', '#version': 'version', '#row': 'row', '#purchaseId': 'purchaseId', '#holdExpiresAt': 'holdExpiresAt' },
      ExpressionAttributeValues: { ':status': 'SOLD', ':version': 3, ':row': 'A', ':purchaseId': 'purchase-0001' },
    });
  });

  test('a release removes the holder and the hold expiry, naming no value for them', async () => {
    // Arrange
    const released = { concertId: 'rock-night', seatId: 'A-1', version: 4, status: 'AVAILABLE' as const };

    // Act
    await store().applyChange(released);

    // Assess
    expect(sentUpdate()).toEqual({
      TableName: 'availability',
      Key: { concertId: 'rock-night', seatId: 'A-1' },
      UpdateExpression: 'SET #status = :status, #version = :version, #row = if_not_exists(#row, :row) REMOVE #purchaseId, #holdExpiresAt',
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#status': 'status', '#version': 'version', '#row': 'row', '#purchaseId': 'purchaseId', '#holdExpiresAt': 'holdExpiresAt' },
      ExpressionAttributeValues: { ':status': 'AVAILABLE', ':version': 4, ':row': 'A' },
    });
  });
});
