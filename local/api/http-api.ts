import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { JWTVerifyGetKey } from 'jose';
import { FunctionError, type FunctionInvoker, type Service } from '#local/ports';
import { buildHttpApiEvent, readHeaders, readQueryStringParameters, type HttpApiRequest, type JwtAuthorizerContext } from './api-event.ts';
import { gatewayErrorResponse, mapFunctionResult, type HttpResponse } from './api-response.ts';
import { isPreflightRequest, preflightHeaders, withCorsHeaders, type CorsConfiguration } from './cors.ts';
import { createJwtAuthorizer, discoveredKeySet, type JwtAuthorizer, type JwtAuthorizerConfig } from './jwt-authorizer.ts';
import { closeServer, listenOnLoopback, LOOPBACK_HOST } from './listen.ts';
import { RouteTable } from './routes.ts';

/**
 * One route of the template's HTTP API with its Lambda proxy integration
 * (payload format 2.0, the only one the template reader accepts): a route of
 * the template model (LocalHttpRoute), whose optional parts tests may leave out.
 */
export interface HttpApiRoute {
  /** "POST /purchases", "GET /purchases/{purchaseId}", "ANY /{proxy+}" or "$default". */
  readonly routeKey: string;
  /** Name or ARN of the function the integration invokes. */
  readonly functionName: string;
  /** The route's JWT authorizer; none means the route is open, as AuthorizationType NONE. */
  readonly authorizer?: JwtAuthorizerConfig;
  /** The token must carry at least one of these scopes. */
  readonly authorizationScopes?: readonly string[];
  /** The integration's TimeoutInMillis. @default the API's integrationTimeoutMs */
  readonly timeoutMs?: number;
}

export interface HttpApiOptions {
  readonly routes: readonly HttpApiRoute[];
  readonly invoker: FunctionInvoker;
  /** @default 0: any free port */
  readonly port?: number;
  /** Reported as requestContext.apiId. @default 'local' */
  readonly apiId?: string;
  readonly cors?: CorsConfiguration;
  /** API Gateway's payload limit. @default 10 MiB */
  readonly bodyLimitBytes?: number;
  /** The integration timeout of HTTP APIs, for routes that do not set theirs. @default 30_000 */
  readonly integrationTimeoutMs?: number;
  /** The keys that verify an issuer's tokens. @default the JWKS its OpenID configuration names */
  readonly keysFor?: (issuer: string) => JWTVerifyGetKey;
  /** Receives one JSON access log line per request. @default stdout */
  readonly accessLog?: (line: string) => void;
}

export interface LocalHttpApi extends Service {
  /** Base URL of the `$default` stage, e.g. http://127.0.0.1:3000 */
  readonly url: string;
}

export const HTTP_API_SERVICE_NAME = 'HTTP API';
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const STAGE = '$default';
const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;


/** API Gateway request ids look like "Mc7UVioPPHcEKPA=". */
const newRequestId = () => randomBytes(11).toString('base64');

class IntegrationTimeoutError extends Error {
  override readonly name = 'IntegrationTimeoutError';
}

const withTimeout = <T>(work: Promise<T>, timeoutMs: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntegrationTimeoutError(`The integration did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
};

type BodyResult = { readonly tooLarge: false; readonly body: Buffer } | { readonly tooLarge: true };

/** Reads the whole body, but keeps none of it past the limit. */
const readBody = (request: IncomingMessage, limit: number): Promise<BodyResult> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.once('end', () => resolveBody(size > limit ? { tooLarge: true } : { tooLarge: false, body: Buffer.concat(chunks) }));
    request.once('error', reject);
  });

const toHttpApiRequest = (request: IncomingMessage, body: Buffer): HttpApiRequest => {
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const { headers, cookies } = readHeaders(request.rawHeaders);
  return {
    method: request.method ?? 'GET',
    rawPath,
    rawQueryString,
    headers,
    cookies,
    queryStringParameters: readQueryStringParameters(rawQueryString),
    body,
    sourceIp: (request.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
    protocol: `HTTP/${request.httpVersion}`,
  };
};

const writeResponse = (response: ServerResponse, result: HttpResponse) => {
  for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  if (result.cookies.length > 0) response.setHeader('set-cookie', [...result.cookies]);
  response.setHeader('content-length', result.body.length);
  response.statusCode = result.statusCode;
  response.end(result.body);
};

const describeIntegrationError = (error: unknown): string =>
  error instanceof FunctionError ? `${error.errorType}: ${error.errorMessage}` : error instanceof Error ? error.message : String(error);

interface RequestOutcome {
  readonly response: HttpResponse;
  readonly routeKey: string;
  readonly integrationLatencyMs?: number;
  readonly error?: string;
}

/**
 * The template's HTTP API on 127.0.0.1: API Gateway's route matching, JWT
 * authorizer, payload format 2.0 event, response mapping, CORS and error
 * answers, with the routes' functions run through the FunctionInvoker.
 */
export const startHttpApi = async (options: HttpApiOptions): Promise<LocalHttpApi> => {
  const routes = new RouteTable(options.routes);
  const keysFor = options.keysFor ?? discoveredKeySet;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const integrationTimeoutMs = options.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
  const apiId = options.apiId ?? 'local';
  const accessLog = options.accessLog ?? ((line: string) => process.stdout.write(`${line}\n`));

  const authorizers = new Map<HttpApiRoute, JwtAuthorizer>();
  const keySets = new Map<string, JWTVerifyGetKey>();
  for (const route of options.routes) {
    if (!route.authorizer) continue;
    const { issuer } = route.authorizer;
    const keys = keySets.get(issuer) ?? keysFor(issuer);
    keySets.set(issuer, keys);
    authorizers.set(route, createJwtAuthorizer(route.authorizer, keys));
  }

  const answer = async (request: HttpApiRequest, requestId: string, receivedAt: Date): Promise<RequestOutcome> => {
    if (options.cors && isPreflightRequest(request.method, request.headers)) {
      return { routeKey: '-', response: { statusCode: 204, headers: preflightHeaders(options.cors, request.headers), cookies: [], body: Buffer.alloc(0) } };
    }
    const match = routes.match(request.method, request.rawPath);
    if (!match) return { routeKey: '-', response: gatewayErrorResponse(404, 'Not Found') };

    let authorizer: JwtAuthorizerContext | undefined;
    const jwtAuthorizer = authorizers.get(match.route);
    if (jwtAuthorizer) {
      const result = await jwtAuthorizer.authorize(request, match.route.authorizationScopes);
      if (!result.allowed) {
        const challenge = `Bearer scope="${(match.route.authorizationScopes ?? []).join(' ')}" error="${result.statusCode === 403 ? 'insufficient_scope' : 'invalid_token'}" error_description="${result.reason}"`;
        return {
          routeKey: match.routeKey,
          error: result.reason,
          response: gatewayErrorResponse(result.statusCode, result.statusCode === 403 ? 'Forbidden' : 'Unauthorized', { 'www-authenticate': challenge }),
        };
      }
      authorizer = { claims: result.claims, scopes: result.scopes };
    }

    const event = buildHttpApiEvent({ request, routeKey: match.routeKey, pathParameters: match.pathParameters, authorizer, requestId, receivedAt, apiId, stage: STAGE });
    const invokedAt = Date.now();
    try {
      const result = await withTimeout(options.invoker.invoke(match.route.functionName, event), match.route.timeoutMs ?? integrationTimeoutMs);
      return { routeKey: match.routeKey, integrationLatencyMs: Date.now() - invokedAt, response: mapFunctionResult(result) };
    } catch (error) {
      // An integration timeout is 503 on HTTP APIs; a function error or an unreadable response is 500.
      const response = error instanceof IntegrationTimeoutError ? gatewayErrorResponse(503, 'Service Unavailable') : gatewayErrorResponse(500, 'Internal Server Error');
      return { routeKey: match.routeKey, integrationLatencyMs: Date.now() - invokedAt, error: describeIntegrationError(error), response };
    }
  };

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const receivedAt = new Date();
    const requestId = newRequestId();
    let outcome: RequestOutcome;
    const declaredLength = Number(incoming.headers['content-length'] ?? 0);
    const body = declaredLength > bodyLimit ? ({ tooLarge: true } as const) : await readBody(incoming, bodyLimit);
    const request = toHttpApiRequest(incoming, body.tooLarge ? Buffer.alloc(0) : body.body);
    if (body.tooLarge) {
      // The rest of an oversized body is not read; closing the connection discards it.
      outgoing.setHeader('connection', 'close');
      outcome = { routeKey: '-', response: gatewayErrorResponse(413, 'Request Entity Too Large') };
    } else {
      try {
        outcome = await answer(request, requestId, receivedAt);
      } catch (error) {
        outcome = { routeKey: '-', error: describeIntegrationError(error), response: gatewayErrorResponse(500, 'Internal Server Error') };
      }
    }
    const headers = options.cors && !isPreflightRequest(request.method, request.headers)
      ? withCorsHeaders(options.cors, request.headers.origin, outcome.response.headers)
      : outcome.response.headers;
    writeResponse(outgoing, { ...outcome.response, headers: { ...headers, 'apigw-requestid': requestId } });
    accessLog(JSON.stringify({
      requestId,
      ip: request.sourceIp,
      requestTime: receivedAt.toISOString(),
      httpMethod: request.method,
      path: request.rawPath,
      routeKey: outcome.routeKey,
      status: outcome.response.statusCode,
      protocol: request.protocol,
      responseLength: outcome.response.body.length,
      integrationLatency: outcome.integrationLatencyMs ?? null,
      ...(outcome.error ? { error: outcome.error } : {}),
    }));
  };

  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) writeResponse(outgoing, gatewayErrorResponse(500, 'Internal Server Error'));
      accessLog(JSON.stringify({ path: incoming.url, status: 500, error: describeIntegrationError(error) }));
    });
  });
  // Outlive clients' idle keep-alive sockets (Node's fetch keeps them 4 s), so a client never reuses a socket we just closed.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  const port = await listenOnLoopback(server, options.port ?? 0, HTTP_API_SERVICE_NAME);
  const url = `http://${LOOPBACK_HOST}:${port}`;
  return { name: HTTP_API_SERVICE_NAME, endpoint: url, url, stop: () => closeServer(server) };
};
