import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { logger, metrics } from './powertools.ts';

/** An HTTP API (API Gateway v2) request that passed the JWT authorizer. */
export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export const HTTP_STATUS = {
  ok: 200,
  created: 201,
  accepted: 202,
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  unprocessableContent: 422,
  internalError: 500,
} as const;

/** One invalid part of a request: a body field, or a header by its name. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** Every error a client receives has this shape; `error` is a stable code to switch on. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly issues?: readonly FieldIssue[];
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  // Statuses change while a buyer polls: no cache in between may keep an old one.
  'cache-control': 'no-store',
};

export const jsonResponse = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify(body),
});

export const errorResponse = (statusCode: number, error: string, message: string, issues?: readonly FieldIssue[]): HttpResponse =>
  jsonResponse(statusCode, { error, message, ...(issues ? { issues } : {}) } satisfies ErrorBody);

export const unauthorized = (): HttpResponse =>
  errorResponse(HTTP_STATUS.unauthorized, 'Unauthorized', 'A valid bearer token with a subject (sub) claim is required');

export const notFound = (error: string, message: string): HttpResponse => errorResponse(HTTP_STATUS.notFound, error, message);

/** What a client sees when we fail: no stack, no cause, nothing about our internals. */
export const internalError = (): HttpResponse =>
  errorResponse(HTTP_STATUS.internalError, 'InternalError', 'The request could not be completed. Please try again later.');

export const validationError = (issues: readonly FieldIssue[]): HttpResponse =>
  errorResponse(
    HTTP_STATUS.badRequest,
    'ValidationError',
    `Invalid request: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}`,
    issues,
  );

/**
 * Zod issues as field issues. The field is the top-level name a client sent
 * (`seatIds`), and a deeper path goes in front of the message (`[2] must look
 * like "A-12"`), so clients can match on the field they know.
 */
export const fieldIssuesOf = (error: z.ZodError, rootField = 'body'): FieldIssue[] =>
  error.issues.map((issue) => {
    const [first, ...rest] = issue.path;
    const field = first === undefined ? rootField : String(first);
    const where = rest.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('');
    return { field, message: where ? `${where} ${issue.message}` : issue.message };
  });

const claimsSchema = z.object({ sub: z.string().min(1) });

/** The buyer is the token's subject. Undefined when the authorizer passed no usable claims. */
export const buyerIdFrom = (event: HttpEvent): string | undefined => {
  const parsed = claimsSchema.safeParse(event.requestContext?.authorizer?.jwt?.claims);
  return parsed.success ? parsed.data.sub : undefined;
};

/** API Gateway v2 lowercases header names. */
export const headerOf = (event: HttpEvent, name: string): string | undefined => event.headers?.[name.toLowerCase()];

export type JsonBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly response: HttpResponse };

/** The request body as JSON, or the 400 to answer when there is none or it is not JSON. */
export const readJsonBody = (event: HttpEvent): JsonBody => {
  if (event.body === undefined || event.body === '') {
    return { ok: false, response: validationError([{ field: 'body', message: 'is required (a JSON object)' }]) };
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value };
  } catch {
    return { ok: false, response: errorResponse(HTTP_STATUS.badRequest, 'MalformedJson', 'The request body is not valid JSON') };
  }
};

/**
 * Wraps a route: adds the Lambda context to every log line, turns any
 * unexpected error into a logged 500 with no detail for the client, and
 * flushes the metrics the route recorded.
 */
export const httpHandler =
  (route: (event: HttpEvent) => Promise<HttpResponse>) =>
  async (event: HttpEvent, context?: Context): Promise<HttpResponse> => {
    if (context) logger.addContext(context);
    try {
      return await route(event);
    } catch (error) {
      logger.error('Request failed', { error, routeKey: event.routeKey });
      return internalError();
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
