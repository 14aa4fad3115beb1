import { randomBytes } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { HttpEvent, HttpResponse } from '#commons/http';
import { signAdmissionToken } from '#domain/waiting-room/admission-token';
import { bodyOf, httpEvent, useHandlerEnv } from './fixtures/http-event.ts';

/** POST /purchases for a concert behind a waiting room: the admission step before the purchase is placed. */
type Handler = (event: HttpEvent) => Promise<HttpResponse>;

const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv();
let handler: Handler;
beforeAll(async () => {
  ({ handler } = await import('#handlers/create-purchase'));
});

const KEY = randomBytes(32).toString('base64');
const ON_SALE = { startsAt: '2027-06-28T18:00:00Z', admissionsPerMinute: 100, maxActiveBuyers: 500, admissionTtlSeconds: 600 };
const inSeconds = (seconds: number) => Math.floor(Date.now() / 1_000) + seconds;
const tokenFor = (buyerId: string, expiresAt = inSeconds(600), concertId = 'rock-night') => signAdmissionToken(KEY, { concertId, buyerId, expiresAt });
const body = { concertId: 'rock-night', seatIds: ['A-1'], paymentToken: 'tok_approve' };
const post = (headers: Record<string, string> = {}) => httpEvent({ method: 'POST', path: '/purchases', routeKey: 'POST /purchases', body, headers, buyerId: 'buyer-1' });

beforeEach(() => {
  dynamo.reset();
  sqs.reset();
  eventBridge.reset();
  dynamo.on(GetCommand, { TableName: 'concerts' }).resolves({ Item: { concertId: 'rock-night', onSale: ON_SALE, admissionKey: KEY } });
  dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: unknown[] }> }) => ({
    Responses: Object.fromEntries(Object.entries(input.RequestItems).map(([table, { Keys }]) => [table, Keys])),
  }));
  dynamo.on(PutCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
});

describe('a purchase of a gated concert', () => {
  test('proceeds with an admission token of this buyer for this concert', async () => {
    const response = await handler(post({ 'x-admission-token': tokenFor('buyer-1') }));

    expect(response.statusCode).toBe(202);
  });

  test('reads the concert once, naming the attributes it reads', async () => {
    await handler(post({ 'x-admission-token': tokenFor('buyer-1') }));

    const reads = dynamo.commandCalls(GetCommand, { TableName: 'concerts' });
    expect(reads).toHaveLength(1);
    expect(Object.values(reads[0]?.args[0].input.ExpressionAttributeNames ?? {})).toEqual(['concertId', 'onSale', 'admissionKey', 'priceBands']);
  });

  test.each([
    ['no token', {}, 'AdmissionRequired'],
    ["another buyer's token", { 'x-admission-token': tokenFor('buyer-2') }, 'AdmissionInvalid'],
    ["another concert's token", { 'x-admission-token': tokenFor('buyer-1', inSeconds(600), 'jazz-night') }, 'AdmissionInvalid'],
    ['an expired admission', { 'x-admission-token': tokenFor('buyer-1', inSeconds(-1)) }, 'AdmissionExpired'],
  ])('is refused with 403 for %s, naming the waiting room, and writes nothing', async (_, headers, error) => {
    const response = await handler(post(headers));

    expect(response.statusCode).toBe(403);
    expect(bodyOf(response)).toMatchObject({ error, message: expect.stringContaining('waiting room') });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});

test('a concert without an on-sale is not gated', async () => {
  dynamo.on(GetCommand, { TableName: 'concerts' }).resolves({ Item: { concertId: 'rock-night' } });

  const response = await handler(post());

  expect(response.statusCode).toBe(202);
});
