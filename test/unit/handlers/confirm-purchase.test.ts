import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { StepHandler } from '#commons/step-handler';
import type { ConfirmPurchaseResult } from '#handlers/confirm-purchase';
import { useHandlerEnv } from './fixtures/http-event.ts';
import { STEP_TEST_ENV, eur, eventBusAcceptsEverything, idempotencyStoreAcceptsEverything, idempotencyRecordIdsOf, lambdaContext, publishedEvents, sagaContext } from './fixtures/saga-step.ts';

const documents = mockClient(DynamoDBDocumentClient);
const dynamoDb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv(STEP_TEST_ENV);
let handler: StepHandler<ConfirmPurchaseResult>;
beforeAll(async () => {
  ({ handler } = await import('#handlers/confirm-purchase'));
});

const payload = { ...sagaContext, seatIds: ['A-1', 'A-2'], invoiceId: 'INV-purchase-0001', total: eur(24000) };
const seatHeldBy = (seatId: string, purchaseId: string) => ({
  concertId: 'rock-night',
  seatId,
  row: 'A',
  number: Number(seatId.slice(2)),
  price: eur(12000),
  status: 'HELD',
  holderPurchaseId: purchaseId,
  holdExpiresAt: 1_900_000_000,
  version: 2,
});
const invoke = () => handler(payload, lambdaContext('confirm-purchase'));

beforeEach(() => {
  documents.reset();
  dynamoDb.reset();
  eventBridge.reset();
  idempotencyStoreAcceptsEverything(dynamoDb);
  eventBusAcceptsEverything(eventBridge);
  documents.on(BatchGetCommand).resolves({ Responses: { seats: [seatHeldBy('A-1', 'purchase-0001'), seatHeldBy('A-2', 'purchase-0001')] } });
  documents.on(TransactWriteCommand).resolves({});
});

test('sells the held seats in one transaction and returns their new versions', async () => {
  await expect(invoke()).resolves.toEqual({ seats: [{ seatId: 'A-1', version: 3 }, { seatId: 'A-2', version: 3 }], invoiceId: 'INV-purchase-0001' });
  expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
});

test('publishes PurchaseConfirmed with the seats, the invoice id and the total', async () => {
  await invoke();

  expect(publishedEvents(eventBridge)).toEqual([
    expect.objectContaining({
      source: 'ticketing.orders',
      detailType: 'PurchaseConfirmed.v1',
      detail: expect.objectContaining({ ...sagaContext, seats: [{ seatId: 'A-1', version: 3 }, { seatId: 'A-2', version: 3 }], invoiceId: 'INV-purchase-0001', total: eur(24000) }),
    }),
  ]);
});

test('a seat another purchase holds now is SeatsNoLongerHeld and nothing is published', async () => {
  documents.on(BatchGetCommand).resolves({ Responses: { seats: [seatHeldBy('A-1', 'purchase-0001'), seatHeldBy('A-2', 'purchase-0002')] } });

  await expect(invoke()).rejects.toMatchObject({ name: 'SeatsNoLongerHeld' });
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
});

test('keys its idempotency record by the purchaseId alone, under its own prefix', async () => {
  // Prepare
  const run = (event: object) => handler(event, lambdaContext('confirm-purchase'));

  // Act: the purchase, a rerun of it with other saga data, and another purchase
  const [first, rerun, other] = await idempotencyRecordIdsOf(dynamoDb, [
    () => run(payload),
    () => run({ ...payload, correlationId: 'corr-2' }),
    () => run({ ...payload, purchaseId: 'purchase-0002' }),
  ]);

  // Assess
  expect(first).toMatch(/^confirm-purchase#\S+$/);
  expect(rerun).toBe(first);
  expect(other).toMatch(/^confirm-purchase#\S+$/);
  expect(other).not.toBe(first);
});
