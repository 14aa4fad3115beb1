import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { StepHandler } from '#commons/step-handler';
import type { VoidInvoiceResult } from '#handlers/void-invoice';
import { useHandlerEnv } from './fixtures/http-event.ts';
import { STEP_TEST_ENV, eur, eventBusAcceptsEverything, idempotencyStoreAcceptsEverything, idempotencyRecordIdsOf, lambdaContext, publishedEvents, sagaContext } from './fixtures/saga-step.ts';

const documents = mockClient(DynamoDBDocumentClient);
const dynamoDb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv(STEP_TEST_ENV);
let handler: StepHandler<VoidInvoiceResult>;
beforeAll(async () => {
  ({ handler } = await import('#handlers/void-invoice'));
});

const invoke = () => handler({ ...sagaContext }, lambdaContext('void-invoice'));
const VOIDED_AT = '2027-01-01T20:00:00.000Z';
const voidedInvoice = {
  invoiceId: 'INV-purchase-0001',
  purchaseId: 'purchase-0001',
  buyerId: 'buyer-1',
  concertId: sagaContext.concertId,
  lines: [{ seatId: 'A-1', description: 'Seat A-1', price: eur(24000) }],
  subtotal: eur(20000),
  tax: eur(4000),
  total: eur(24000),
  vatRateBasisPoints: 2000,
  issuedAt: VOIDED_AT,
  voidedAt: VOIDED_AT,
};

beforeEach(() => {
  documents.reset();
  dynamoDb.reset();
  eventBridge.reset();
  idempotencyStoreAcceptsEverything(dynamoDb);
  eventBusAcceptsEverything(eventBridge);
});

test('voids the invoice with a write that keeps the first void and creates a mark when there is no invoice', async () => {
  documents.on(UpdateCommand, { TableName: 'invoices' }).resolves({ Attributes: voidedInvoice });

  await expect(invoke()).resolves.toEqual({ voided: true });
  expect(documents.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
    Key: { purchaseId: 'purchase-0001' },
    UpdateExpression: 'SET #voidedAt = if_not_exists(#voidedAt, :at)',
  });
});

test('publishes InvoiceVoided with the invoice and its total', async () => {
  documents.on(UpdateCommand, { TableName: 'invoices' }).resolves({ Attributes: voidedInvoice });

  await invoke();

  expect(publishedEvents(eventBridge)).toEqual([
    expect.objectContaining({
      source: 'ticketing.invoicing',
      detailType: 'InvoiceVoided.v1',
      detail: expect.objectContaining({ ...sagaContext, invoiceId: 'INV-purchase-0001', total: eur(24000) }),
    }),
  ]);
});

test('with no invoice yet it leaves only the mark, says nothing was voided and publishes nothing', async () => {
  documents.on(UpdateCommand, { TableName: 'invoices' }).resolves({ Attributes: { purchaseId: 'purchase-0001', voidedAt: VOIDED_AT } });

  await expect(invoke()).resolves.toEqual({ voided: false });
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
});

test('a throttled invoices table is DependencyUnavailable', async () => {
  documents.on(UpdateCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));

  await expect(invoke()).rejects.toMatchObject({ name: 'DependencyUnavailable' });
});

test('keys its idempotency record by the purchaseId alone, under its own prefix', async () => {
  // Prepare
  documents.on(UpdateCommand, { TableName: 'invoices' }).resolves({ Attributes: voidedInvoice });
  const run = (event: object) => handler(event, lambdaContext('void-invoice'));

  // Act: the purchase, a rerun of it with other saga data, and another purchase
  const [first, rerun, other] = await idempotencyRecordIdsOf(dynamoDb, [
    () => run({ ...sagaContext }),
    () => run({ ...{ ...sagaContext }, correlationId: 'corr-2' }),
    () => run({ ...{ ...sagaContext }, purchaseId: 'purchase-0002' }),
  ]);

  // Assess
  expect(first).toMatch(/^void-invoice#\S+$/);
  expect(rerun).toBe(first);
  expect(other).toMatch(/^void-invoice#\S+$/);
  expect(other).not.toBe(first);
});
