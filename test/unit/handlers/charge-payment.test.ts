import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { StepHandler } from '#commons/step-handler';
import type { ChargePaymentResult } from '#handlers/charge-payment';
import { useHandlerEnv } from './fixtures/http-event.ts';
import { STEP_TEST_ENV, eur, eventBusAcceptsEverything, idempotencyStoreAcceptsEverything, idempotencyRecordIdsOf, lambdaContext, publishedEvents, sagaContext } from './fixtures/saga-step.ts';

const documents = mockClient(DynamoDBDocumentClient);
const dynamoDb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv(STEP_TEST_ENV);
let handler: StepHandler<ChargePaymentResult>;
beforeAll(async () => {
  ({ handler } = await import('#handlers/charge-payment'));
});

/** Two hours of hold left: well past the margin a purchase needs to be confirmed. */
const payload = { ...sagaContext, amount: eur(24000), holdExpiresAt: new Date(Date.now() + 7_200_000).toISOString() };
const invoke = (event: object = payload) => handler(event, lambdaContext('charge-payment'));

/** The purchase record holds the token; the ledger has seen `attempts` attempts and records the charge. */
const purchaseWithToken = (token: string, attempts = 1) => {
  documents.on(GetCommand, { TableName: 'purchases' }).resolves({ Item: { paymentToken: token, paymentRef: 'tok_…rove' } });
  documents.on(UpdateCommand, { TableName: 'payments' }).callsFake((input: { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> }) =>
    input.UpdateExpression.startsWith('ADD')
      ? { Attributes: { purchaseId: sagaContext.purchaseId, attempts } }
      : { Attributes: { purchaseId: sagaContext.purchaseId, attempts, chargeId: input.ExpressionAttributeValues[':chargeId'], amount: input.ExpressionAttributeValues[':amount'] } },
  );
};

beforeEach(() => {
  documents.reset();
  dynamoDb.reset();
  eventBridge.reset();
  idempotencyStoreAcceptsEverything(dynamoDb);
  eventBusAcceptsEverything(eventBridge);
});

test('charges the amount and returns the charge id and amount', async () => {
  purchaseWithToken('tok_approve');

  await expect(invoke()).resolves.toEqual({ chargeId: 'ch_purchase-0001', amount: eur(24000) });
});

test('publishes PaymentCharged with the masked payment reference', async () => {
  purchaseWithToken('tok_approve');

  await invoke();

  expect(publishedEvents(eventBridge)).toEqual([
    expect.objectContaining({
      source: 'ticketing.billing',
      detailType: 'PaymentCharged.v1',
      detail: expect.objectContaining({ ...sagaContext, chargeId: 'ch_purchase-0001', amount: eur(24000), paymentRef: 'tok_…rove' }),
    }),
  ]);
});

test('the token appears in no event, result or idempotency record', async () => {
  purchaseWithToken('tok_approve');

  const result = await invoke();

  const written = [...eventBridge.calls(), ...dynamoDb.calls()].map((call) => JSON.stringify(call.args[0].input));
  expect([JSON.stringify(result), ...written].join('\n')).not.toContain('tok_approve');
});

test.each([
  ['tok_decline', 'PaymentDeclined'],
  ['tok_insufficient_funds', 'InsufficientFunds'],
  ['tok_unavailable', 'PaymentProviderUnavailable'],
])('%s fails with %s and publishes nothing', async (token, errorName) => {
  purchaseWithToken(token);

  await expect(invoke()).rejects.toMatchObject({ name: errorName });
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
});

test('a hold that runs out within the charge margin is HoldExpired, before the provider is asked', async () => {
  purchaseWithToken('tok_approve');

  await expect(invoke({ ...payload, holdExpiresAt: new Date(Date.now() + 60_000).toISOString() })).rejects.toMatchObject({ name: 'HoldExpired' });
  expect(documents.commandCalls(UpdateCommand, { TableName: 'payments' })).toHaveLength(0);
});

test('a purchase with no payment method recorded is a saga state error', async () => {
  documents.on(GetCommand, { TableName: 'purchases' }).resolves({});

  await expect(invoke()).rejects.toMatchObject({ name: 'SagaStateError' });
});

test('a throttled payments table is DependencyUnavailable', async () => {
  documents.on(GetCommand, { TableName: 'purchases' }).resolves({ Item: { paymentToken: 'tok_approve', paymentRef: 'tok_…rove' } });
  documents.on(UpdateCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }));

  await expect(invoke()).rejects.toMatchObject({ name: 'DependencyUnavailable' });
});

test('keys its idempotency record by the purchaseId alone, under its own prefix', async () => {
  // Prepare
  purchaseWithToken('tok_approve');
  const run = (event: object) => handler(event, lambdaContext('charge-payment'));

  // Act: the purchase, a rerun of it with other saga data, and another purchase
  const [first, rerun, other] = await idempotencyRecordIdsOf(dynamoDb, [
    () => run(payload),
    () => run({ ...payload, correlationId: 'corr-2' }),
    () => run({ ...payload, purchaseId: 'purchase-0002' }),
  ]);

  // Assess
  expect(first).toMatch(/^charge-payment#\S+$/);
  expect(rerun).toBe(first);
  expect(other).toMatch(/^charge-payment#\S+$/);
  expect(other).not.toBe(first);
});
