import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { StepHandler } from '#commons/step-handler';
import type { CreateInvoiceResult } from '#handlers/create-invoice';
import { useHandlerEnv } from './fixtures/http-event.ts';
import { STEP_TEST_ENV, eur, eventBusAcceptsEverything, idempotencyStoreAcceptsEverything, idempotencyRecordIdsOf, lambdaContext, publishedEvents, sagaContext } from './fixtures/saga-step.ts';

const documents = mockClient(DynamoDBDocumentClient);
const dynamoDb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv(STEP_TEST_ENV);
let handler: StepHandler<CreateInvoiceResult>;
beforeAll(async () => {
  ({ handler } = await import('#handlers/create-invoice'));
});

const payload = {
  ...sagaContext,
  buyerId: 'buyer-1',
  seats: [
    { seatId: 'A-1', price: eur(12000), version: 2 },
    { seatId: 'A-2', price: eur(12000), version: 2 },
  ],
  total: eur(24000),
};
const invoke = (event: unknown = payload) => handler(event, lambdaContext('create-invoice'));

beforeEach(() => {
  documents.reset();
  dynamoDb.reset();
  eventBridge.reset();
  idempotencyStoreAcceptsEverything(dynamoDb);
  eventBusAcceptsEverything(eventBridge);
  documents.on(PutCommand, { TableName: 'invoices' }).resolves({});
});

test('returns the invoice id and the total', async () => {
  await expect(invoke()).resolves.toEqual({ invoiceId: 'INV-purchase-0001', total: eur(24000) });
});

test('stores the invoice with a line per seat in the invoices table, only if the purchase has none', async () => {
  await invoke();

  const put = documents.commandCalls(PutCommand)[0]?.args[0].input;
  expect(put?.ConditionExpression).toBe('attribute_not_exists(#key)');
  expect(put?.Item).toMatchObject({ purchaseId: 'purchase-0001', buyerId: 'buyer-1', lines: [{ seatId: 'A-1' }, { seatId: 'A-2' }] });
});

test('publishes InvoiceCreated with lines, subtotal, tax and total', async () => {
  await invoke();

  expect(publishedEvents(eventBridge)).toEqual([
    expect.objectContaining({
      source: 'ticketing.invoicing',
      detailType: 'InvoiceCreated.v1',
      detail: expect.objectContaining({ invoiceId: 'INV-purchase-0001', subtotal: eur(20000), tax: eur(4000), total: eur(24000) }),
    }),
  ]);
});

test('a purchase invoiced before gets its first invoice back and publishes it again', async () => {
  const first = { ...payload, invoiceId: 'INV-purchase-0001', lines: [{ seatId: 'A-1', description: 'Seat A-1', price: eur(24000) }], subtotal: eur(20000), tax: eur(4000), total: eur(24000), vatRateBasisPoints: 2000, issuedAt: '2026-11-26T10:00:00.000Z' };
  documents.on(PutCommand, { TableName: 'invoices' }).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
  documents.on(GetCommand, { TableName: 'invoices' }).resolves({ Item: first });

  await invoke();

  expect(publishedEvents(eventBridge)[0]?.detail).toMatchObject({ lines: first.lines });
});

test('seat prices that do not add up to the charged total are a saga state error', async () => {
  await expect(invoke({ ...payload, total: eur(1) })).rejects.toMatchObject({ name: 'SagaStateError' });
  expect(documents.commandCalls(PutCommand)).toHaveLength(0);
});

test('keys its idempotency record by the purchaseId alone, under its own prefix', async () => {
  // Prepare
  const run = (event: object) => handler(event, lambdaContext('create-invoice'));

  // Act: the purchase, a rerun of it with other saga data, and another purchase
  const [first, rerun, other] = await idempotencyRecordIdsOf(dynamoDb, [
    () => run(payload),
    () => run({ ...payload, correlationId: 'corr-2' }),
    () => run({ ...payload, purchaseId: 'purchase-0002' }),
  ]);

  // Assess
  expect(first).toMatch(/^create-invoice#\S+$/);
  expect(rerun).toBe(first);
  expect(other).toMatch(/^create-invoice#\S+$/);
  expect(other).not.toBe(first);
});
