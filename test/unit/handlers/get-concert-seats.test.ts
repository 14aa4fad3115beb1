import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { HttpEvent, HttpResponse } from '#commons/http';
import { bodyOf, httpEvent, useHandlerEnv } from './fixtures/http-event.ts';

type Handler = (event: HttpEvent) => Promise<HttpResponse>;

const dynamo = mockClient(DynamoDBDocumentClient);

useHandlerEnv();
let handler: Handler;
beforeAll(async () => {
  ({ handler } = await import('#handlers/get-concert-seats'));
});

beforeEach(() => dynamo.reset());

const concert = { concertId: 'rock-night', name: 'Rock Night', venue: 'Arena', startsAt: '2026-12-31T20:00:00Z', currency: 'EUR', seatCount: 3 };
const seat = (seatId: string, status: string, version = 1) => ({
  concertId: 'rock-night',
  seatId,
  row: seatId.split('-')[0],
  price: { amount: 12000, currency: 'EUR' },
  status,
  version,
});
const get = (concertId: string) =>
  httpEvent({ path: `/concerts/${concertId}/seats`, routeKey: 'GET /concerts/{concertId}/seats', pathParameters: { concertId } });

test('answers the concert and its seat map from the availability projection', async () => {
  dynamo.on(GetCommand, { TableName: 'concerts', Key: { concertId: 'rock-night' } }).resolves({ Item: concert });
  dynamo.on(QueryCommand, { TableName: 'seat-availability' }).resolves({ Items: [seat('A-2', 'SOLD', 3), seat('A-1', 'AVAILABLE'), seat('B-1', 'AVAILABLE')] });

  const response = await handler(get('rock-night'));

  expect(response.statusCode).toBe(200);
  expect(bodyOf(response)).toEqual({
    concert,
    counts: { total: 3, available: 2, held: 0, sold: 1 },
    rows: [
      {
        row: 'A',
        seats: [
          { seatId: 'A-1', number: 1, price: { amount: 12000, currency: 'EUR' }, status: 'AVAILABLE' },
          { seatId: 'A-2', number: 2, price: { amount: 12000, currency: 'EUR' }, status: 'SOLD' },
        ],
      },
      { row: 'B', seats: [{ seatId: 'B-1', number: 1, price: { amount: 12000, currency: 'EUR' }, status: 'AVAILABLE' }] },
    ],
  });
});

test('reads every page of the projection', async () => {
  dynamo.on(GetCommand).resolves({ Item: concert });
  dynamo
    .on(QueryCommand)
    .resolvesOnce({ Items: [seat('A-1', 'AVAILABLE')], LastEvaluatedKey: { concertId: 'rock-night', seatId: 'A-1' } })
    .resolvesOnce({ Items: [seat('A-2', 'AVAILABLE')] });

  const response = await handler(get('rock-night'));

  expect(bodyOf(response)).toMatchObject({ counts: { total: 2 } });
});

test('answers 404 for an unknown concert', async () => {
  dynamo.on(GetCommand).resolves({});

  const response = await handler(get('no-such-show'));

  expect(response.statusCode).toBe(404);
  expect(bodyOf(response)).toEqual({ error: 'ConcertNotFound', message: 'There is no concert with this id' });
});

test('answers 404 for a malformed concert id without reading', async () => {
  const response = await handler(get('Not A Concert'));

  expect(response.statusCode).toBe(404);
  expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
});
