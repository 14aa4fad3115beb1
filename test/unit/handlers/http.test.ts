import { z } from 'zod';
import {
  buyerIdFrom,
  errorResponse,
  fieldIssuesOf,
  headerOf,
  httpHandler,
  internalError,
  jsonResponse,
  notFound,
  readJsonBody,
  unauthorized,
  validationError,
  type HttpEvent,
} from '#commons/http';
import { logger, metrics } from '#commons/powertools';
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

describe('every response', () => {
  test('is JSON that no cache keeps, with the headers a route adds', () => {
    // Act
    const response = jsonResponse(202, { purchaseId: 'p-1' }, { location: '/purchases/p-1' });

    // Assess
    expect(response).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', location: '/purchases/p-1' },
      body: '{"purchaseId":"p-1"}',
    });
  });

  test('an error names its code and says what is wrong, with no issues unless given', () => {
    // Assess
    expect(bodyOf(errorResponse(409, 'Conflict', 'already used'))).toEqual({ error: 'Conflict', message: 'already used' });
    expect(bodyOf(notFound('ConcertNotFound', 'no such concert'))).toEqual({ error: 'ConcertNotFound', message: 'no such concert' });
    expect(notFound('ConcertNotFound', 'no such concert').statusCode).toBe(404);
  });

  test('401 says a token with a subject is needed', () => {
    // Act
    const response = unauthorized();

    // Assess
    expect(response.statusCode).toBe(401);
    expect(bodyOf(response)).toEqual({ error: 'Unauthorized', message: 'A valid bearer token with a subject (sub) claim is required' });
  });

  test('500 asks the client to try again and says nothing else', () => {
    // Act
    const response = internalError();

    // Assess
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual({ error: 'InternalError', message: 'The request could not be completed. Please try again later.' });
  });
});

describe('reading a request', () => {
  test('an empty body is a 400 saying a JSON object is required', () => {
    // Act
    const result = readJsonBody({ ...httpEvent(), body: '' });

    // Assess
    expect(result.ok ? undefined : result.response.statusCode).toBe(400);
    expect(result.ok ? undefined : bodyOf(result.response)).toEqual({
      error: 'ValidationError',
      message: 'Invalid request: body is required (a JSON object)',
      issues: [{ field: 'body', message: 'is required (a JSON object)' }],
    });
  });

  test('a body that is not JSON is a 400 MalformedJson', () => {
    // Act
    const result = readJsonBody(httpEvent({ body: '{"seatIds": [' }));

    // Assess
    expect(result.ok ? undefined : result.response.statusCode).toBe(400);
    expect(result.ok ? undefined : bodyOf(result.response)).toEqual({ error: 'MalformedJson', message: 'The request body is not valid JSON' });
  });

  test('a problem with the whole body is put on the field "body", or on the name given', () => {
    // Prepare
    const error = z.object({ seatIds: z.array(z.string()) }).safeParse('not an object').error;

    // Assess
    expect(error && fieldIssuesOf(error).map((issue) => issue.field)).toEqual(['body']);
    expect(error && fieldIssuesOf(error, 'Idempotency-Key').map((issue) => issue.field)).toEqual(['Idempotency-Key']);
  });

  test('a nested field is named after its top-level field, with the path to it in the message', () => {
    // Prepare
    const error = z.object({ seats: z.array(z.object({ price: z.number() })) }).safeParse({ seats: [{ price: 1 }, { price: 'x' }] }).error;

    // Act
    const issues = error ? fieldIssuesOf(error) : [];

    // Assess
    expect(issues).toEqual([{ field: 'seats', message: expect.stringMatching(/^\[1\]\.price \S/) }]);
  });

  test('a top-level field problem has the bare message', () => {
    // Prepare
    const error = z.object({ seatIds: z.array(z.string(), 'must be a list') }).safeParse({ seatIds: 'A-1' }).error;

    // Assess
    expect(error && fieldIssuesOf(error)).toEqual([{ field: 'seatIds', message: 'must be a list' }]);
  });

  test.each([
    ['no authorizer', { authorizer: undefined }],
    ['an authorizer without a JWT', { authorizer: {} }],
  ])('finds no buyer, rather than failing, when the request has %s', (_case, change) => {
    // Prepare
    const base = httpEvent();
    const event = { ...base, requestContext: { ...base.requestContext, ...change } } as unknown as HttpEvent;

    // Assess
    expect(buyerIdFrom(event)).toBeUndefined();
  });

  test('finds no buyer when the request has no context at all', () => {
    // Prepare
    const event = { ...httpEvent(), requestContext: undefined } as unknown as HttpEvent;

    // Assess
    expect(buyerIdFrom(event)).toBeUndefined();
  });

  test('finds no header on a request that has none', () => {
    // Prepare
    const event = { ...httpEvent(), headers: undefined } as unknown as HttpEvent;

    // Assess
    expect(headerOf(event, 'Idempotency-Key')).toBeUndefined();
  });
});

describe('a route wrapped by httpHandler', () => {
  afterEach(() => jest.restoreAllMocks());

  test('answers an unexpected error with the generic 500 and logs it with the route', async () => {
    // Prepare
    const logError = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const failure = new Error('table missing');
    const handler = httpHandler(async () => {
      throw failure;
    });

    // Act
    const response = await handler(httpEvent({ routeKey: 'GET /boom' }));

    // Assess
    expect(response).toEqual(internalError());
    expect(logError).toHaveBeenCalledWith('Request failed', { error: failure, routeKey: 'GET /boom' });
  });

  test('flushes the metrics the route recorded', async () => {
    // Prepare
    jest.spyOn(metrics, 'hasStoredMetrics').mockReturnValue(true);
    const publish = jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);

    // Act
    await httpHandler(async () => jsonResponse(200, {}))(httpEvent());

    // Assess
    expect(publish).toHaveBeenCalledTimes(1);
  });

  test('publishes no empty metrics document when the route recorded none', async () => {
    // Prepare
    jest.spyOn(metrics, 'hasStoredMetrics').mockReturnValue(false);
    const publish = jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);

    // Act
    await httpHandler(async () => jsonResponse(200, {}))(httpEvent());

    // Assess
    expect(publish).not.toHaveBeenCalled();
  });

  test("drops the request's log keys afterwards, so the next request on a warm function does not inherit them", async () => {
    // Prepare
    jest.spyOn(metrics, 'hasStoredMetrics').mockReturnValue(false);
    const reset = jest.spyOn(logger, 'resetKeys');

    // Act
    await httpHandler(async () => jsonResponse(200, {}))(httpEvent());

    // Assess
    expect(reset).toHaveBeenCalledTimes(1);
  });
});
