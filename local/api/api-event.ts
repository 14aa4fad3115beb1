import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { LOCAL_ACCOUNT } from '#local/ports';

/** The parts of an HTTP request the payload format 2.0 event is built from. */
export interface HttpApiRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Lowercase names; repeated headers joined with commas; no `cookie` (it moves to `cookies`). */
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  /** Repeated parameters joined with commas, as format 2.0 does. */
  readonly queryStringParameters: Record<string, string>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
}

export interface JwtAuthorizerContext {
  readonly claims: Record<string, string>;
  readonly scopes: string[] | null;
}

export interface HttpApiEventInput {
  readonly request: HttpApiRequest;
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
  /** Present when the route has a JWT authorizer; the event then carries `requestContext.authorizer.jwt`. */
  readonly authorizer?: JwtAuthorizerContext;
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly apiId: string;
  readonly stage: string;
}

const appendValue = (target: Record<string, string>, name: string, value: string) => {
  target[name] = target[name] === undefined ? value : `${target[name]},${value}`;
};

/** Node's raw header list (name, value, name, value...) the way format 2.0 presents headers and cookies. */
export const readHeaders = (rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } => {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase();
    const value = rawHeaders[index + 1] ?? '';
    if (name === 'cookie') cookies.push(...value.split(';').map((cookie) => cookie.trim()).filter((cookie) => cookie.length > 0));
    else appendValue(headers, name, value);
  }
  return { headers, cookies };
};

export const readQueryStringParameters = (rawQueryString: string): Record<string, string> => {
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) appendValue(parameters, name, value);
  return parameters;
};

/** Bodies of these types reach the function as text; anything else is base64-encoded, as API Gateway does. */
const isTextContentType = (contentType: string | undefined): boolean => {
  if (!contentType) return false;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    mediaType.startsWith('text/') ||
    /^application\/([a-z0-9.+-]+\+)?(json|xml)$/.test(mediaType) ||
    mediaType === 'application/javascript' ||
    mediaType === 'application/graphql'
  );
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number) => String(value).padStart(2, '0');

/** `requestContext.time`'s format, e.g. "12/Mar/2020:19:03:58 +0000". */
export const formatRequestTime = (date: Date): string =>
  `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()] ?? ''}/${date.getUTCFullYear()}:` +
  `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;

/** The API Gateway HTTP API payload format 2.0 event for one request. */
export const buildHttpApiEvent = (input: HttpApiEventInput): APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer => {
  const { request } = input;
  const hasBody = request.body.length > 0;
  const isText = isTextContentType(request.headers['content-type']);
  const requestContext = {
    accountId: LOCAL_ACCOUNT,
    apiId: input.apiId,
    domainName: request.headers.host ?? '',
    domainPrefix: input.apiId,
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: request.headers['user-agent'] ?? '',
    },
    requestId: input.requestId,
    routeKey: input.routeKey,
    stage: input.stage,
    time: formatRequestTime(input.receivedAt),
    timeEpoch: input.receivedAt.getTime(),
  };
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(request.cookies.length > 0 ? { cookies: [...request.cookies] } : {}),
    headers: { ...request.headers },
    ...(Object.keys(request.queryStringParameters).length > 0 ? { queryStringParameters: { ...request.queryStringParameters } } : {}),
    ...(input.pathParameters ? { pathParameters: { ...input.pathParameters } } : {}),
    requestContext,
    ...(hasBody ? { body: isText ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !isText,
  };
  if (!input.authorizer) return event;
  const authorizer = { jwt: { claims: { ...input.authorizer.claims }, scopes: input.authorizer.scopes } };
  return { ...event, requestContext: { ...requestContext, authorizer } };
};
