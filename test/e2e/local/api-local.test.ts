import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { z } from 'zod';
import { startHttpApi, type HttpApiRoute, type LocalHttpApi } from '#local/api/http-api';
import { startLocalAuth, type LocalAuth } from '#local/auth/local-auth';
import { FunctionError, type FunctionInvoker } from '#local/ports';

const AUDIENCE = 'ticketing-api';
const BODY_LIMIT_BYTES = 1_024;
const WEB_ORIGIN = 'http://localhost:5173';
const accessLogLineSchema = z.looseObject({ requestId: z.string() });

/** Stands in for the deployed functions: GetPurchase echoes what the event told it, CreatePurchase fails, GetConcertSeats hangs. */
const fakeFunctions = (invoked: string[], hanging: Promise<void> = Promise.resolve()): FunctionInvoker => ({
  invoke: async (functionName, payload) => {
    invoked.push(functionName);
    if (functionName === 'CreatePurchaseFunction') throw new FunctionError('Error', 'the table is not there');
    if (functionName === 'GetConcertSeatsFunction') await hanging;
    const event = payload as APIGatewayProxyEventV2WithJWTAuthorizer;
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ purchaseId: event.pathParameters?.purchaseId, buyerId: event.requestContext.authorizer.jwt.claims.sub }),
    };
  },
});

describe('local HTTP API with its JWT authorizer and the local issuer', () => {
  let auth: LocalAuth;
  let api: LocalHttpApi;
  const invoked: string[] = [];
  const accessLog: string[] = [];
  let releaseHangingFunction: () => void = () => undefined;
  const hanging = new Promise<void>((resolveHanging) => (releaseHangingFunction = resolveHanging));

  beforeAll(async () => {
    auth = await startLocalAuth({ audience: [AUDIENCE] });
    const authorizer = { issuer: auth.issuer, audience: [AUDIENCE], identitySource: ['$request.header.Authorization'] };
    const routes: HttpApiRoute[] = [
      { routeKey: 'POST /purchases', functionName: 'CreatePurchaseFunction', authorizer },
      { routeKey: 'GET /purchases/{purchaseId}', functionName: 'GetPurchaseFunction', authorizer },
      { routeKey: 'GET /concerts/{concertId}/seats', functionName: 'GetConcertSeatsFunction', timeoutMs: 100 },
    ];
    // The authorizer finds the issuer's keys over HTTP, through its OpenID configuration, as API Gateway does.
    api = await startHttpApi({
      routes,
      invoker: fakeFunctions(invoked, hanging),
      accessLog: (line) => accessLog.push(line),
      bodyLimitBytes: BODY_LIMIT_BYTES,
      cors: { allowOrigins: [WEB_ORIGIN], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization', 'content-type'] },
    });
  });

  beforeEach(() => {
    invoked.length = 0;
  });

  afterAll(async () => {
    releaseHangingFunction();
    await api?.stop();
    await auth?.stop();
  });

  const bearer = async (buyerId: string) => ({ authorization: `Bearer ${await auth.mintToken({ sub: buyerId })}` });

  it('answers 401 without a token and does not invoke the function', async () => {
    // Act
    const response = await fetch(`${api.url}/purchases/p-42`);

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
    expect(invoked).toEqual([]);
  });

  it('passes the path parameters and the buyer of the token to the function and returns its answer', async () => {
    // Act
    const response = await fetch(`${api.url}/purchases/p-42`, { headers: await bearer('buyer-7') });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ purchaseId: 'p-42', buyerId: 'buyer-7' });
  });

  it('answers 404 to a route the API does not have', async () => {
    // Act
    const response = await fetch(`${api.url}/refunds`, { headers: await bearer('buyer-7') });

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('answers 500 without internals when the function fails', async () => {
    // Act
    const response = await fetch(`${api.url}/purchases`, { method: 'POST', headers: { ...(await bearer('buyer-7')), 'content-type': 'application/json' }, body: '{}' });

    // Assess
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 503 when the function does not answer within the integration timeout', async () => {
    // Act
    const response = await fetch(`${api.url}/concerts/c-1/seats`);

    // Assess
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers 413 to a body over the limit without invoking the function', async () => {
    // Act
    const response = await fetch(`${api.url}/purchases`, { method: 'POST', headers: await bearer('buyer-7'), body: 'x'.repeat(BODY_LIMIT_BYTES + 1) });

    // Assess
    expect(response.status).toBe(413);
    expect(invoked).toEqual([]);
  });

  it('answers a CORS preflight itself, without a token or an OPTIONS route', async () => {
    // Act
    const response = await fetch(`${api.url}/purchases`, {
      method: 'OPTIONS',
      headers: { origin: WEB_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });

    // Assess
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
  });

  it('writes one access log line per request, with its request id, route and status', async () => {
    // Act
    const response = await fetch(`${api.url}/purchases/p-1`, { headers: await bearer('buyer-7') });

    // Assess
    const requestId = response.headers.get('apigw-requestid');
    const line = accessLog.map((entry) => accessLogLineSchema.parse(JSON.parse(entry))).find((entry) => entry.requestId === requestId);
    expect(line).toMatchObject({ httpMethod: 'GET', path: '/purchases/p-1', routeKey: 'GET /purchases/{purchaseId}', status: 200 });
  });

  it('fails to start naming the service and the port when the port is taken', async () => {
    // Prepare
    const taken = Number(new URL(api.url).port);

    // Act
    const starting = startHttpApi({ routes: [], invoker: fakeFunctions([]), port: taken });

    // Assess
    await expect(starting).rejects.toThrow(`HTTP API cannot listen on 127.0.0.1:${taken}: the port is already in use`);
  });
});
