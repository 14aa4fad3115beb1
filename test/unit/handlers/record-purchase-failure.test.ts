import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import type { StepHandler } from '#commons/step-handler';
import type { RecordPurchaseFailureResult } from '#handlers/record-purchase-failure';
import { useHandlerEnv } from './fixtures/http-event.ts';
import { STEP_TEST_ENV, eventBusAcceptsEverything, idempotencyStoreAcceptsEverything, idempotencyRecordIdsOf, lambdaContext, publishedEvents, sagaContext } from './fixtures/saga-step.ts';

const dynamoDb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv(STEP_TEST_ENV);
let handler: StepHandler<RecordPurchaseFailureResult>;
beforeAll(async () => {
  ({ handler } = await import('#handlers/record-purchase-failure'));
});

/** The whole state of a saga whose payment was declined, as the machine passes it. */
const declinedSaga = {
  ...sagaContext,
  buyerId: 'buyer-1',
  seatIds: ['A-1', 'A-2'],
  reserveSeats: { seats: [{ seatId: 'A-1', price: { amount: 12000, currency: 'EUR' }, version: 2 }], total: { amount: 12000, currency: 'EUR' }, holdExpiresAt: '2026-11-26T10:20:00.000Z' },
  chargePaymentError: { Error: 'PaymentDeclined', Cause: JSON.stringify({ errorType: 'PaymentDeclined', errorMessage: 'The payment was declined', trace: [] }) },
  releaseSeats: { seats: [{ seatId: 'A-1', version: 3 }] },
};
const invoke = (saga: unknown = declinedSaga) => handler({ saga }, lambdaContext('record-purchase-failure'));

beforeEach(() => {
  dynamoDb.reset();
  eventBridge.reset();
  idempotencyStoreAcceptsEverything(dynamoDb);
  eventBusAcceptsEverything(eventBridge);
});

test('returns the reason and the failed step', async () => {
  await expect(invoke()).resolves.toEqual({ reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' });
});

test('publishes PurchaseFailed with the reason, a buyer message and what the compensations did', async () => {
  await invoke();

  expect(publishedEvents(eventBridge)).toEqual([
    expect.objectContaining({
      source: 'ticketing.orders',
      detailType: 'PurchaseFailed.v1',
      detail: expect.objectContaining({
        eventId: 'purchase-0001:PurchaseFailed.v1',
        ...sagaContext,
        reason: 'PAYMENT_DECLINED',
        failedStep: 'ChargePayment',
        message: 'The payment was declined.',
        paymentRefunded: false,
        seatsReleased: true,
      }),
    }),
  ]);
});

test('is idempotent per purchase: the key is the saga\'s purchaseId', async () => {
  await invoke();

  expect(dynamoDb.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.id?.S).toMatch(/^record-purchase-failure#/);
});

test('a state without a purchaseId is rejected', async () => {
  await expect(invoke({ ...declinedSaga, purchaseId: undefined })).rejects.toMatchObject({ name: 'ZodError' });
});

test('keys its idempotency record by the saga\'s purchaseId alone, under its own prefix', async () => {
  // Act: the purchase, a rerun of it with other saga data, and another purchase
  const [first, rerun, other] = await idempotencyRecordIdsOf(dynamoDb, [
    () => invoke(declinedSaga),
    () => invoke({ ...declinedSaga, correlationId: 'corr-2' }),
    () => invoke({ ...declinedSaga, purchaseId: 'purchase-0002' }),
  ]);

  // Assess
  expect(first).toMatch(/^record-purchase-failure#\S+$/);
  expect(rerun).toBe(first);
  expect(other).toMatch(/^record-purchase-failure#\S+$/);
  expect(other).not.toBe(first);
});
