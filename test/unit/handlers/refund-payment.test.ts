import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { StepHandler } from '#commons/step-handler';
import type { RefundPaymentResult } from '#handlers/refund-payment';
import { useHandlerEnv } from './fixtures/http-event.ts';
import { STEP_TEST_ENV, eur, eventBusAcceptsEverything, idempotencyStoreAcceptsEverything, idempotencyRecordIdsOf, lambdaContext, publishedEvents, sagaContext } from './fixtures/saga-step.ts';

const documents = mockClient(DynamoDBDocumentClient);
const dynamoDb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv(STEP_TEST_ENV);
let handler: StepHandler<RefundPaymentResult>;
beforeAll(async () => {
  ({ handler } = await import('#handlers/refund-payment'));
});

const invoke = () => handler({ ...sagaContext }, lambdaContext('refund-payment'));
const refundedEntry = { purchaseId: 'purchase-0001', attempts: 1, chargeId: 'ch_purchase-0001', amount: eur(24000), refundId: 're_purchase-0001' };

beforeEach(() => {
  documents.reset();
  dynamoDb.reset();
  eventBridge.reset();
  idempotencyStoreAcceptsEverything(dynamoDb);
  eventBusAcceptsEverything(eventBridge);
});

test('refunds the purchase\'s charge and says so', async () => {
  documents.on(UpdateCommand, { TableName: 'payments' }).resolves({ Attributes: refundedEntry });

  await expect(invoke()).resolves.toEqual({ refunded: true });
});

test('publishes PaymentRefunded with the refund, the charge and the amount', async () => {
  documents.on(UpdateCommand, { TableName: 'payments' }).resolves({ Attributes: refundedEntry });

  await invoke();

  expect(publishedEvents(eventBridge)).toEqual([
    expect.objectContaining({
      source: 'ticketing.billing',
      detailType: 'PaymentRefunded.v1',
      detail: expect.objectContaining({ ...sagaContext, refundId: 're_purchase-0001', chargeId: 'ch_purchase-0001', amount: eur(24000) }),
    }),
  ]);
});

test('nothing charged: not refunded, and no event', async () => {
  documents.on(UpdateCommand, { TableName: 'payments' }).rejects(new ConditionalCheckFailedException({ message: 'no charge', $metadata: {} }));
  documents.on(GetCommand, { TableName: 'payments' }).resolves({});

  await expect(invoke()).resolves.toEqual({ refunded: false });
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
});

test('keys its idempotency record by the purchaseId alone, under its own prefix', async () => {
  // Prepare
  documents.on(UpdateCommand, { TableName: 'payments' }).resolves({ Attributes: refundedEntry });
  const run = (event: object) => handler(event, lambdaContext('refund-payment'));

  // Act: the purchase, a rerun of it with other saga data, and another purchase
  const [first, rerun, other] = await idempotencyRecordIdsOf(dynamoDb, [
    () => run({ ...sagaContext }),
    () => run({ ...{ ...sagaContext }, correlationId: 'corr-2' }),
    () => run({ ...{ ...sagaContext }, purchaseId: 'purchase-0002' }),
  ]);

  // Assess
  expect(first).toMatch(/^refund-payment#\S+$/);
  expect(rerun).toBe(first);
  expect(other).toMatch(/^refund-payment#\S+$/);
  expect(other).not.toBe(first);
});
