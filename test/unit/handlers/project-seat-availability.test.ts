import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { delivery, paymentCharged, purchaseConfirmed, seatsReleased, seatsReserved } from './fixtures/domain-events.ts';
import { useHandlerEnv } from './fixtures/http-event.ts';

type Handler = (event: unknown) => Promise<void>;

const dynamo = mockClient(DynamoDBDocumentClient);

useHandlerEnv();
let handler: Handler;
let logger: (typeof import('#commons/powertools'))['logger'];
beforeAll(async () => {
  ({ handler } = await import('#handlers/project-seat-availability'));
  ({ logger } = await import('#commons/powertools'));
});

beforeEach(() => dynamo.reset());

const updates = () => dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);

test('holds every reserved seat, each conditional on its version', async () => {
  dynamo.on(UpdateCommand).resolves({});

  await handler(seatsReserved('purchase-0001', [{ seatId: 'A-1', version: 2 }, { seatId: 'A-2', version: 5 }]));

  expect(updates().map((input) => [input.TableName, input.Key, input.ExpressionAttributeValues?.[':status'], input.ExpressionAttributeValues?.[':version']])).toEqual([
    ['seat-availability', { concertId: 'rock-night', seatId: 'A-1' }, 'HELD', 2],
    ['seat-availability', { concertId: 'rock-night', seatId: 'A-2' }, 'HELD', 5],
  ]);
  expect(updates().every((input) => input.ConditionExpression === 'attribute_not_exists(#version) OR #version < :version')).toBe(true);
});

test('makes released seats AVAILABLE', async () => {
  dynamo.on(UpdateCommand).resolves({});

  await handler(seatsReleased('purchase-0001', [{ seatId: 'A-1', version: 3 }]));

  expect(updates()[0]?.ExpressionAttributeValues).toMatchObject({ ':status': 'AVAILABLE', ':version': 3 });
});

test('marks confirmed seats SOLD', async () => {
  dynamo.on(UpdateCommand).resolves({});

  await handler(purchaseConfirmed('purchase-0001', [{ seatId: 'A-1', version: 3 }]));

  expect(updates()[0]?.ExpressionAttributeValues).toMatchObject({ ':status': 'SOLD', ':purchaseId': 'purchase-0001' });
});

test('treats a seat already at that version or newer as applied, not as an error', async () => {
  dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'stale', $metadata: {} }));

  await expect(handler(seatsReleased('purchase-0001', [{ seatId: 'A-1', version: 3 }]))).resolves.toBeUndefined();
});

test('writes nothing for an event that does not change seats', async () => {
  await handler(paymentCharged('purchase-0001', 12000));

  expect(updates()).toHaveLength(0);
});

test('ignores a detail-type it does not know', async () => {
  await expect(handler(delivery('SeatsRenamed.v1', 'ticketing.inventory', {}))).resolves.toBeUndefined();
});

test('fails when the table cannot be written, so EventBridge retries', async () => {
  dynamo.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));

  await expect(handler(seatsReleased('purchase-0001', [{ seatId: 'A-1', version: 3 }]))).rejects.toThrow('ProvisionedThroughputExceededException');
});

test('logs how many seat changes it applied and how many were stale, for replays to be told apart from news', async () => {
  // Prepare: the first seat is newer than the read model, the other two are not
  dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'stale', $metadata: {} }));
  dynamo.on(UpdateCommand, { Key: { concertId: 'rock-night', seatId: 'A-1' } }).resolves({});
  const info = jest.spyOn(logger, 'info');

  try {
    // Act
    await handler(seatsReleased('purchase-0001', [{ seatId: 'A-1', version: 3 }, { seatId: 'A-2', version: 3 }, { seatId: 'A-3', version: 3 }]));

    // Assess
    expect(info).toHaveBeenCalledWith('Seat availability projected', { purchaseId: 'purchase-0001', detailType: 'SeatsReleased.v1', applied: 1, stale: 2 });
  } finally {
    info.mockRestore();
  }
});
