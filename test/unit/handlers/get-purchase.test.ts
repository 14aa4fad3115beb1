import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { HttpEvent, HttpResponse } from '#commons/http';
import { bodyOf, httpEvent, useHandlerEnv } from './fixtures/http-event.ts';

type Handler = (event: HttpEvent) => Promise<HttpResponse>;

const dynamo = mockClient(DynamoDBDocumentClient);

useHandlerEnv();
let handler: Handler;
beforeAll(async () => {
  ({ handler } = await import('#handlers/get-purchase'));
});

beforeEach(() => dynamo.reset());

const item = {
  purchaseId: 'purchase-0001',
  buyerId: 'buyer-1',
  concertId: 'rock-night',
  seatIds: ['A-1', 'A-2'],
  paymentToken: 'tok_approve',
  paymentRef: 'tok_…rove',
  requestHash: 'hash',
  correlationId: 'corr-1',
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:04.000Z',
  status: 'FAILED',
  statusRank: 3,
  total: { amount: 24000, currency: 'EUR' },
  failureReason: 'PAYMENT_DECLINED',
  failureMessage: 'The payment was declined',
  failedStep: 'ChargePayment',
  seatsReleased: true,
};
const get = (purchaseId: string, buyerId: string | null = 'buyer-1') =>
  httpEvent({ path: `/purchases/${purchaseId}`, routeKey: 'GET /purchases/{purchaseId}', pathParameters: { purchaseId }, buyerId });

test('shows the buyer the status, seats, total and failure', async () => {
  dynamo.on(GetCommand, { TableName: 'purchases', Key: { purchaseId: 'purchase-0001' } }).resolves({ Item: item });

  const response = await handler(get('purchase-0001'));

  expect(response.statusCode).toBe(200);
  expect(bodyOf(response)).toEqual({
    purchaseId: 'purchase-0001',
    status: 'FAILED',
    concertId: 'rock-night',
    seatIds: ['A-1', 'A-2'],
    total: { amount: 24000, currency: 'EUR' },
    paymentRef: 'tok_…rove',
    failure: { reason: 'PAYMENT_DECLINED', message: 'The payment was declined', failedStep: 'ChargePayment', paymentRefunded: false },
    createdAt: '2026-11-26T10:00:00.000Z',
    updatedAt: '2026-11-26T10:00:04.000Z',
  });
});

test('never returns the payment token', async () => {
  dynamo.on(GetCommand).resolves({ Item: item });

  const response = await handler(get('purchase-0001'));

  expect(response.body).not.toContain('tok_approve');
});

test('reads with strong consistency, so a poll right after the 202 finds the purchase', async () => {
  dynamo.on(GetCommand).resolves({ Item: item });

  await handler(get('purchase-0001'));

  expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
});

test('answers another buyer with the same 404 as an unknown purchase', async () => {
  dynamo.on(GetCommand, { Key: { purchaseId: 'purchase-0001' } }).resolves({ Item: item });
  dynamo.on(GetCommand, { Key: { purchaseId: 'purchase-9999' } }).resolves({});

  const stranger = await handler(get('purchase-0001', 'buyer-2'));
  const unknown = await handler(get('purchase-9999'));

  expect([stranger.statusCode, unknown.statusCode]).toEqual([404, 404]);
  expect(stranger.body).toBe(unknown.body);
});

test('answers a malformed id with the same 404 without reading', async () => {
  const response = await handler(get('../../etc'));

  expect(response.statusCode).toBe(404);
  expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
});

test('answers 401 without a subject claim', async () => {
  const response = await handler(get('purchase-0001', null));

  expect(response.statusCode).toBe(401);
});

test('answers 500 without details when the table cannot be read', async () => {
  dynamo.on(GetCommand).rejects(new Error('ResourceNotFoundException: table purchases-xyz'));

  const response = await handler(get('purchase-0001'));

  expect(response.statusCode).toBe(500);
  expect(response.body).not.toContain('purchases-xyz');
});

test('says in its 404 that no purchase with this id was found for the buyer, whatever the reason', async () => {
  // Prepare
  dynamo.on(GetCommand).resolves({});

  // Act
  const response = await handler(get('purchase-0404'));

  // Assess
  expect(bodyOf(response)).toEqual({ error: 'PurchaseNotFound', message: 'No purchase with this id was found for you' });
});
