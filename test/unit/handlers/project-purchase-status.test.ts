import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { delivery, paymentCharged, purchaseFailed, seatsReserved } from './fixtures/domain-events.ts';
import { useHandlerEnv } from './fixtures/http-event.ts';

type Handler = (event: unknown) => Promise<void>;

const dynamo = mockClient(DynamoDBDocumentClient);

useHandlerEnv();
let handler: Handler;
beforeAll(async () => {
  ({ handler } = await import('#handlers/project-purchase-status'));
});

beforeEach(() => dynamo.reset());

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

test('moves the purchase to RESERVED with its total, only above the stored rank', async () => {
  dynamo.on(UpdateCommand).resolves({});

  await handler(seatsReserved('purchase-0001', [{ seatId: 'A-1', version: 2 }]));

  const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
  expect(input).toMatchObject({
    TableName: 'purchases',
    Key: { purchaseId: 'purchase-0001' },
    ConditionExpression: 'attribute_not_exists(#statusRank) OR #statusRank < :newRank',
    ExpressionAttributeValues: { ':status': 'RESERVED', ':statusRank': 1, ':total': { amount: 12000, currency: 'EUR' } },
  });
});

test('records the reason, message and step of a failure', async () => {
  dynamo.on(UpdateCommand).resolves({});

  await handler(purchaseFailed('purchase-0001'));

  expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({
    ':status': 'FAILED',
    ':failureReason': 'PAYMENT_DECLINED',
    ':failureMessage': 'The payment was declined',
    ':failedStep': 'ChargePayment',
  });
});

test('treats a late or repeated status as already applied, not as an error', async () => {
  dynamo.on(UpdateCommand).rejects(conditionFailed());

  await expect(handler(paymentCharged('purchase-0001', 12000))).resolves.toBeUndefined();
});

test('ignores a detail-type it does not know, without failing the delivery', async () => {
  await handler(delivery('ConcertAnnounced.v1', 'ticketing.catalog', { concertId: 'rock-night' }));

  expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
});

test('fails on a malformed detail, so EventBridge retries it and then dead-letters it', async () => {
  await expect(handler(delivery('SeatsReserved.v1', 'ticketing.inventory', { purchaseId: 'purchase-0001' }))).rejects.toThrow();
  expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
});

test('fails when the table cannot be written, so EventBridge retries', async () => {
  dynamo.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceededException'));

  await expect(handler(paymentCharged('purchase-0001', 12000))).rejects.toThrow('ProvisionedThroughputExceededException');
});
