import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { HttpEvent, HttpResponse } from '#commons/http';
import { ticketIdFor } from '#domain/waiting-room/queue-ticket';
import { bodyOf, httpEvent, useHandlerEnv } from './fixtures/http-event.ts';

type Handler = (event: HttpEvent) => Promise<HttpResponse>;

const dynamo = mockClient(DynamoDBDocumentClient);

useHandlerEnv({ WAITING_ROOM_TABLE_NAME: 'waiting-room' });
let handler: Handler;
beforeAll(async () => {
  ({ handler } = await import('#handlers/join-queue'));
});

const onSaleStarting = (offsetMs: number) => ({
  startsAt: new Date(Date.now() + offsetMs).toISOString(),
  admissionsPerMinute: 100,
  maxActiveBuyers: 500,
  admissionTtlSeconds: 600,
});
const join = (concertId = 'rock-night') =>
  httpEvent({ method: 'POST', path: `/concerts/${concertId}/queue`, routeKey: 'POST /concerts/{concertId}/queue', pathParameters: { concertId } });

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand, { TableName: 'waiting-room' }).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({ Attributes: { count: 4 } });
  dynamo.on(BatchGetCommand).resolves({ Responses: { 'waiting-room': [] } });
});

test('puts an arrival before the start in the pre-queue with a random shuffle key, and no position yet', async () => {
  dynamo.on(GetCommand, { TableName: 'concerts' }).resolves({ Item: { concertId: 'rock-night', onSale: onSaleStarting(60_000) } });

  const response = await handler(join());

  expect(response.statusCode).toBe(201);
  expect(bodyOf(response)).toMatchObject({ ticketId: ticketIdFor('rock-night', 'buyer-1'), status: 'WAITING', position: null, peopleAhead: null });
  const ticket = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
  expect(ticket).toMatchObject({ preQueueBucket: expect.stringMatching(/^rock-night#\d$/), shuffleKey: expect.any(Number) });
  expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
});

test('gives an arrival after the start a number from one counter shard', async () => {
  dynamo.on(GetCommand, { TableName: 'concerts' }).resolves({ Item: { concertId: 'rock-night', onSale: onSaleStarting(-60_000) } });

  const response = await handler(join());

  expect(response.statusCode).toBe(201);
  expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({ UpdateExpression: 'ADD #count :one' });
  expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ lineNumber: 4, lineShard: expect.any(Number) });
});

test('answers 404 NoWaitingRoom for a concert without an on-sale', async () => {
  dynamo.on(GetCommand, { TableName: 'concerts' }).resolves({ Item: { concertId: 'rock-night' } });

  const response = await handler(join());

  expect(response.statusCode).toBe(404);
  expect(bodyOf(response)).toMatchObject({ error: 'NoWaitingRoom' });
});

test('never reads the admission key', async () => {
  dynamo.on(GetCommand, { TableName: 'concerts' }).resolves({ Item: { concertId: 'rock-night', onSale: onSaleStarting(60_000) } });

  await handler(join());

  const read = dynamo.commandCalls(GetCommand, { TableName: 'concerts' })[0]?.args[0].input;
  expect(Object.values(read?.ExpressionAttributeNames ?? {})).toEqual(['concertId', 'onSale']);
});
