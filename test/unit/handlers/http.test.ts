import { z } from 'zod';
import { buyerIdFrom, fieldIssuesOf, headerOf, readJsonBody, validationError } from '#commons/http';
import { bodyOf, httpEvent } from './fixtures/http-event.ts';

test('takes the buyer from the JWT subject claim', () => {
  expect(buyerIdFrom(httpEvent({ buyerId: 'buyer-7' }))).toBe('buyer-7');
});

test('finds no buyer when the claims have no subject', () => {
  expect(buyerIdFrom(httpEvent({ buyerId: null }))).toBeUndefined();
});

test('reads headers by their lowercase name', () => {
  expect(headerOf(httpEvent({ headers: { 'idempotency-key': 'k1' } }), 'Idempotency-Key')).toBe('k1');
});

test('decodes a base64 body', () => {
  const event = { ...httpEvent(), body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true };

  expect(readJsonBody(event)).toEqual({ ok: true, value: { a: 1 } });
});

test('answers a missing body with a 400 naming the body', () => {
  const result = readJsonBody(httpEvent());

  expect(result.ok ? undefined : bodyOf(result.response)).toMatchObject({ error: 'ValidationError', issues: [{ field: 'body' }] });
});

test('names the top-level field and puts the rest of the path in the message', () => {
  const error = z.object({ seatIds: z.array(z.string().min(2, 'too short')) }).safeParse({ seatIds: ['ok', 'x'] }).error;

  expect(error && fieldIssuesOf(error)).toEqual([{ field: 'seatIds', message: '[1] too short' }]);
});

test('builds a 400 whose message lists every issue', () => {
  const response = validationError([
    { field: 'seatIds', message: 'is required' },
    { field: 'paymentToken', message: 'is required' },
  ]);

  expect(response.statusCode).toBe(400);
  expect(bodyOf(response)).toMatchObject({ message: 'Invalid request: seatIds is required; paymentToken is required' });
});
