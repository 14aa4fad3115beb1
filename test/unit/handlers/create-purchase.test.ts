import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { HttpEvent, HttpResponse } from '#commons/http';
import { purchaseIdFor, requestHashOf } from '#domain/orders/purchase-request';
import { bodyOf, httpEvent, useHandlerEnv } from './fixtures/http-event.ts';

type Handler = (event: HttpEvent) => Promise<HttpResponse>;
type Logger = (typeof import('#commons/powertools'))['logger'];

const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv();
let handler: Handler;
let logger: Logger;
let metrics: (typeof import('#commons/powertools'))['metrics'];
beforeAll(async () => {
  ({ handler } = await import('#handlers/create-purchase'));
  ({ logger, metrics } = await import('#commons/powertools'));
});

const validBody = { concertId: 'rock-night', seatIds: ['A-1', 'A-2'], paymentToken: 'tok_approve' };
const post = (body: unknown, headers: Record<string, string> = {}, buyerId: string | null = 'buyer-1') =>
  httpEvent({ method: 'POST', path: '/purchases', routeKey: 'POST /purchases', body, headers, buyerId });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/** The seats table answers with every seat asked for, except those of row ZZ (no concert has them). */
const seatsExceptRowZZ = () =>
  dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ seatId: string }> }> }) => ({
    Responses: Object.fromEntries(
      Object.entries(input.RequestItems).map(([table, { Keys }]) => [table, Keys.filter((key) => !key.seatId.startsWith('ZZ-'))]),
    ),
  }));

/** The happy path's answers: the concert and its seats exist and every write succeeds. */
const everythingSucceeds = () => {
  dynamo.on(GetCommand, { TableName: 'concerts' }).resolves({ Item: { concertId: 'rock-night', priceBands: ['A-E', 'F-J'] } });
  seatsExceptRowZZ();
  dynamo.on(PutCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
};

const nothingWasSent = () => ({
  puts: dynamo.commandCalls(PutCommand).length,
  messages: sqs.commandCalls(SendMessageCommand).length,
  events: eventBridge.commandCalls(PutEventsCommand).length,
});

beforeEach(() => {
  dynamo.reset();
  sqs.reset();
  eventBridge.reset();
});

describe('accepted purchase', () => {
  test('answers 202 with the purchase id, QUEUED and where to poll', async () => {
    everythingSucceeds();

    const response = await handler(post(validBody, { 'idempotency-key': 'key-1' }));

    const purchaseId = purchaseIdFor('buyer-1', 'key-1');
    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toEqual({ purchaseId, status: 'QUEUED', statusUrl: `/purchases/${purchaseId}` });
    expect(response.headers).toMatchObject({ location: `/purchases/${purchaseId}`, 'content-type': 'application/json; charset=utf-8' });
  });

  test('writes the purchase with a conditional put, status QUEUED, the token and its masked reference', async () => {
    everythingSucceeds();

    await handler(post(validBody, { 'idempotency-key': 'key-1' }));

    const put = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.TableName).toBe('purchases');
    expect(put?.ConditionExpression).toBe('attribute_not_exists(#key)');
    expect(put?.Item).toMatchObject({
      buyerId: 'buyer-1',
      status: 'QUEUED',
      statusRank: 0,
      paymentToken: 'tok_approve',
      paymentRef: 'tok_…rove',
      idempotencyKey: 'key-1',
      requestHash: requestHashOf(validBody),
      correlationId: 'request-1',
    });
  });

  test('queues the saga input without the payment token', async () => {
    everythingSucceeds();

    await handler(post(validBody, { 'idempotency-key': 'key-1' }));

    const message = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(message?.QueueUrl).toBe('https://sqs.us-east-1.amazonaws.com/000000000000/purchases');
    expect(bodyOf({ body: message?.MessageBody })).toEqual({
      purchaseId: purchaseIdFor('buyer-1', 'key-1'),
      buyerId: 'buyer-1',
      concertId: 'rock-night',
      seatIds: ['A-1', 'A-2'],
      correlationId: 'request-1',
    });
  });

  test('publishes PurchaseRequested with the masked reference and never the token', async () => {
    everythingSucceeds();

    await handler(post(validBody));

    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({ EventBusName: 'ticketing-bus', Source: 'ticketing.orders', DetailType: 'PurchaseRequested.v1' });
    expect(entry?.Detail).toContain('tok_…rove');
    expect(entry?.Detail).not.toContain('tok_approve');
  });

  test('keeps the caller correlation id', async () => {
    everythingSucceeds();

    await handler(post(validBody, { 'x-correlation-id': 'checkout-42' }));

    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ correlationId: 'checkout-42' });
  });

  test('gives requests without an idempotency key distinct purchases', async () => {
    everythingSucceeds();

    const first = bodyOf(await handler(post(validBody))) as { purchaseId: string };
    const second = bodyOf(await handler(post(validBody))) as { purchaseId: string };

    expect(first.purchaseId).not.toBe(second.purchaseId);
  });

  test('answers 202 even when PurchaseRequested cannot be published, since the purchase is queued', async () => {
    everythingSucceeds();
    eventBridge.on(PutEventsCommand).rejects(new Error('EventBridge unavailable'));

    const response = await handler(post(validBody));

    expect(response.statusCode).toBe(202);
  });
});

describe('repeated request with the same idempotency key', () => {
  const stored = {
    purchaseId: purchaseIdFor('buyer-1', 'key-1'),
    buyerId: 'buyer-1',
    concertId: 'rock-night',
    seatIds: ['A-1', 'A-2'],
    paymentRef: 'tok_…rove',
    requestHash: requestHashOf(validBody),
    correlationId: 'first-request',
    createdAt: '2026-11-26T09:59:00.000Z',
    updatedAt: '2026-11-26T09:59:00.000Z',
    status: 'RESERVED',
    statusRank: 1,
  };

  test('answers the same 202 body', async () => {
    everythingSucceeds();
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand, { TableName: 'purchases' }).resolves({ Item: stored });

    const response = await handler(post(validBody, { 'idempotency-key': 'key-1' }));

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toEqual({ purchaseId: stored.purchaseId, status: 'QUEUED', statusUrl: `/purchases/${stored.purchaseId}` });
  });

  test('sends the message and the event again with the first request data, healing a crash between steps', async () => {
    everythingSucceeds();
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand, { TableName: 'purchases' }).resolves({ Item: stored });

    await handler(post(validBody, { 'idempotency-key': 'key-1' }));

    expect(bodyOf({ body: sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody })).toMatchObject({ correlationId: 'first-request' });
    const detail = bodyOf({ body: eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail });
    expect(detail).toMatchObject({ occurredAt: '2026-11-26T09:59:00.000Z', correlationId: 'first-request' });
  });

  test('answers 409 for a different body and sends nothing', async () => {
    everythingSucceeds();
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand, { TableName: 'purchases' }).resolves({ Item: stored });

    const response = await handler(post({ ...validBody, seatIds: ['B-1'] }, { 'idempotency-key': 'key-1' }));

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toMatchObject({ error: 'IdempotencyKeyReused' });
    expect(nothingWasSent()).toEqual({ puts: 1, messages: 0, events: 0 });
  });
});

describe('refused requests change nothing', () => {
  test('401 without a subject claim', async () => {
    everythingSucceeds();

    const response = await handler(post(validBody, {}, null));

    expect(response.statusCode).toBe(401);
    expect(bodyOf(response)).toMatchObject({ error: 'Unauthorized' });
    expect(nothingWasSent()).toEqual({ puts: 0, messages: 0, events: 0 });
  });

  test('400 naming each bad field', async () => {
    everythingSucceeds();

    const response = await handler(post({ concertId: 'rock-night', seatIds: ['A-1', 'A-1'], paymentToken: 'card' }));

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({
      error: 'ValidationError',
      issues: [
        { field: 'seatIds', message: 'must not repeat a seat: A-1' },
        { field: 'paymentToken', message: expect.stringContaining('must look like "tok_approve"') },
      ],
    });
    expect(nothingWasSent()).toEqual({ puts: 0, messages: 0, events: 0 });
  });

  test('400 naming a malformed idempotency key', async () => {
    everythingSucceeds();

    const response = await handler(post(validBody, { 'idempotency-key': 'has spaces in it' }));

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ issues: [{ field: 'Idempotency-Key' }] });
  });

  test('400 for a body that is not JSON', async () => {
    everythingSucceeds();

    const response = await handler(post('{"concertId": '));

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: 'MalformedJson' });
    expect(nothingWasSent()).toEqual({ puts: 0, messages: 0, events: 0 });
  });

  test('404 for an unknown concert', async () => {
    everythingSucceeds();
    dynamo.on(GetCommand, { TableName: 'concerts' }).resolves({});

    const response = await handler(post({ ...validBody, concertId: 'no-such-show' }));

    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toMatchObject({ error: 'ConcertNotFound' });
    expect(nothingWasSent()).toEqual({ puts: 0, messages: 0, events: 0 });
  });
});

describe('seats the concert does not have', () => {
  test('422 naming the unknown seats, read from the seats table', async () => {
    everythingSucceeds();

    const response = await handler(post({ ...validBody, seatIds: ['A-1', 'ZZ-999', 'ZZ-998'] }));

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toEqual({
      error: 'UnknownSeats',
      message: 'Concert "rock-night" has no seat ZZ-999, ZZ-998',
      issues: [{ field: 'seatIds', message: 'names seats the concert does not have: ZZ-999, ZZ-998' }],
    });
    expect(dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems).toEqual({
      seats: {
        Keys: [
          { concertId: 'rock-night', seatId: 'A-1' },
          { concertId: 'rock-night', seatId: 'ZZ-999' },
          { concertId: 'rock-night', seatId: 'ZZ-998' },
        ],
        ProjectionExpression: '#seat',
        ExpressionAttributeNames: { '#seat': 'seatId' },
      },
    });
  });

  test('writes, queues and publishes nothing', async () => {
    everythingSucceeds();

    await handler(post({ ...validBody, seatIds: ['ZZ-999'] }));

    expect(nothingWasSent()).toEqual({ puts: 0, messages: 0, events: 0 });
  });
});

describe('a purchase of the best available seats', () => {
  const byQuantity = { concertId: 'rock-night', quantity: 2, priceBand: 'A-E', paymentToken: 'tok_approve' };

  test('202, and the saga input asks for the quantity in the band', async () => {
    everythingSucceeds();

    const response = await handler(post(byQuantity, { 'idempotency-key': 'key-q' }));

    expect(response.statusCode).toBe(202);
    const message = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '{}') as Record<string, unknown>;
    expect(message).toMatchObject({ bestAvailable: { quantity: 2, priceBand: 'A-E' } });
    expect(message).not.toHaveProperty('seatIds');
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  test('400 naming quantity when seat ids come with it', async () => {
    everythingSucceeds();

    const response = await handler(post({ ...byQuantity, priceBand: undefined, seatIds: ['A-1', 'A-2'] }));

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({
      error: 'ValidationError',
      message: 'Invalid request: quantity must not come with seatIds: name the seats or ask for a quantity, not both',
      issues: [{ field: 'quantity', message: 'must not come with seatIds: name the seats or ask for a quantity, not both' }],
    });
    expect(nothingWasSent()).toEqual({ puts: 0, messages: 0, events: 0 });
  });

  test('400 asking for seat ids or a quantity when the body has neither', async () => {
    everythingSucceeds();

    const response = await handler(post({ concertId: 'rock-night', paymentToken: 'tok_approve' }));

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ issues: [{ field: 'seatIds', message: 'is required, unless quantity asks for the best available seats' }] });
  });

  test('422 naming the bands the concert has when it has no such band, and nothing changes', async () => {
    everythingSucceeds();

    const response = await handler(post({ ...byQuantity, priceBand: 'K-T' }));

    expect(response.statusCode).toBe(422);
    expect(bodyOf(response)).toEqual({
      error: 'UnknownPriceBand',
      message: 'Concert "rock-night" has no price band K-T',
      issues: [{ field: 'priceBand', message: 'is not a price band of the concert; its bands are A-E, F-J' }],
    });
    expect(nothingWasSent()).toEqual({ puts: 0, messages: 0, events: 0 });
  });
});

describe('queue unavailable', () => {
  test('answers 202 for a recorded purchase whose message was not sent: it carries the marker the sweeper reads', async () => {
    everythingSucceeds();
    sqs.on(SendMessageCommand).rejects(new Error('SQS unavailable'));

    const response = await handler(post(validBody, { 'idempotency-key': 'key-1' }));

    expect(response.statusCode).toBe(202);
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      status: 'QUEUED',
      pendingShard: expect.stringMatching(/^pending-\d+$/),
      pendingSince: expect.any(String),
    });
  });
});

describe('internal failures', () => {
  test('500 with a generic body that leaks nothing', async () => {
    everythingSucceeds();
    dynamo.on(PutCommand).rejects(new Error('AccessDeniedException: User arn:aws:iam::123:role/x is not authorized'));

    const response = await handler(post(validBody));

    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual({ error: 'InternalError', message: 'The request could not be completed. Please try again later.' });
  });

  test('logs the cause of a 500 for the team', async () => {
    everythingSucceeds();
    const cause = new Error('ProvisionedThroughputExceededException');
    dynamo.on(PutCommand).rejects(cause);
    const logError = jest.spyOn(logger, 'error');

    await handler(post(validBody));

    expect(logError).toHaveBeenCalledWith('Request failed', expect.objectContaining({ error: cause }));
    logError.mockRestore();
  });
});

describe('what the answers say', () => {
  test('404 names the concert that does not exist', async () => {
    // Prepare
    everythingSucceeds();
    dynamo.on(GetCommand, { TableName: 'concerts' }).resolves({});

    // Act
    const response = await handler(post({ ...validBody, concertId: 'no-such-show' }));

    // Assess
    expect(bodyOf(response)).toEqual({ error: 'ConcertNotFound', message: 'There is no concert "no-such-show"' });
  });

  test('409 tells the client to send a new Idempotency-Key for a new purchase', async () => {
    // Prepare
    everythingSucceeds();
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand, { TableName: 'purchases' }).resolves({
      Item: {
        purchaseId: purchaseIdFor('buyer-1', 'key-1'),
        buyerId: 'buyer-1',
        concertId: 'rock-night',
        seatIds: ['A-1'],
        paymentRef: 'tok_…rove',
        requestHash: 'another request',
        correlationId: 'first-request',
        createdAt: '2026-11-26T09:59:00.000Z',
        updatedAt: '2026-11-26T09:59:00.000Z',
        status: 'QUEUED',
        statusRank: 0,
      },
    });

    // Act
    const response = await handler(post(validBody, { 'idempotency-key': 'key-1' }));

    // Assess
    expect(bodyOf(response)).toEqual({
      error: 'IdempotencyKeyReused',
      message: 'This Idempotency-Key was already used for a different request: send a new key for a new purchase',
    });
  });
});

describe('the metrics an accepted purchase records', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a purchase that went through counts as accepted and nothing else', async () => {
    // Prepare
    everythingSucceeds();
    const addMetric = jest.spyOn(metrics, 'addMetric');

    // Act
    await handler(post(validBody));

    // Assess
    expect(addMetric.mock.calls.map(([name, , value]) => [name, value])).toEqual([['PurchaseAccepted', 1]]);
  });

  test('a purchase whose message was not sent is counted, for the alarm that watches the sweeper', async () => {
    // Prepare
    everythingSucceeds();
    sqs.on(SendMessageCommand).rejects(new Error('SQS unavailable'));
    const addMetric = jest.spyOn(metrics, 'addMetric');
    const logError = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act
    await handler(post(validBody));

    // Assess
    expect(addMetric.mock.calls.map(([name, , value]) => [name, value])).toEqual([
      ['PurchaseNotQueued', 1],
      ['PurchaseAccepted', 1],
    ]);
    expect(logError).toHaveBeenCalledWith(expect.stringContaining('not sent'), { error: expect.any(Error) });
  });

  test('a purchase whose PurchaseRequested was not published is counted', async () => {
    // Prepare
    everythingSucceeds();
    eventBridge.on(PutEventsCommand).rejects(new Error('EventBridge unavailable'));
    const addMetric = jest.spyOn(metrics, 'addMetric');
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act
    await handler(post(validBody));

    // Assess
    expect(addMetric.mock.calls.map(([name, , value]) => [name, value])).toEqual([
      ['PurchaseRequestedNotPublished', 1],
      ['PurchaseAccepted', 1],
    ]);
  });
});
