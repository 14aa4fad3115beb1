import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { MAX_DEVELOPMENT_TOKEN_HOURS } from './development-token.ts';

/**
 * The issuer's minting endpoint, served only by an in-memory runtime (whose
 * key exists nowhere else) and only to a caller holding the secret of its
 * registration (in-memory-registry.ts): `POST /development-tokens` with
 * `Authorization: Bearer <secret>` and `{"sub": "<buyerId>", "expiresInSeconds": N}`
 * answers `{"token": "<jwt>"}`.
 */

export const DEVELOPMENT_TOKENS_PATH = '/development-tokens';
const SECONDS_PER_HOUR = 3_600;
/** A buyer id and a number: anything longer is not a request of ours. */
const MAX_BODY_BYTES = 4_096;

const developmentTokenRequestSchema = z.strictObject({
  sub: z.string().trim().min(1).max(256),
  expiresInSeconds: z
    .number()
    .int()
    .positive()
    .max(MAX_DEVELOPMENT_TOKEN_HOURS * SECONDS_PER_HOUR),
});
export type TokenEndpointRequest = z.infer<typeof developmentTokenRequestSchema>;

export const developmentTokenResponseSchema = z.object({ token: z.string().min(1) });

/** Hashing first gives both sides one length, so the comparison takes the same time whatever was sent. */
export const secretMatches = (expected: string, given: string): boolean =>
  timingSafeEqual(createHash('sha256').update(expected).digest(), createHash('sha256').update(given).digest());

const sendJson = (response: ServerResponse, statusCode: number, body: unknown) => {
  const payload = JSON.stringify(body);
  response.writeHead(statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'cache-control': 'no-store' });
  response.end(payload);
};

class RequestTooLargeError extends Error {
  override readonly name = 'RequestTooLargeError';
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new RequestTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const BEARER = /^Bearer (.+)$/;

export interface DevelopmentTokenEndpoint {
  readonly secret: string;
  mint(request: TokenEndpointRequest): Promise<string>;
}

/** Answers a request already routed to DEVELOPMENT_TOKENS_PATH; every refusal is a 4xx with a JSON message. */
export const serveDevelopmentTokens = async (endpoint: DevelopmentTokenEndpoint, request: IncomingMessage, response: ServerResponse): Promise<void> => {
  if (request.method !== 'POST') return sendJson(response, 405, { message: 'Method Not Allowed: POST a token request' });
  const given = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (given === undefined || !secretMatches(endpoint.secret, given)) {
    request.resume();
    return sendJson(response, 401, { message: 'Unauthorized: send the secret of the runtime registration as a Bearer token' });
  }
  let body: string;
  try {
    body = await readBody(request);
  } catch (error) {
    if (error instanceof RequestTooLargeError) return sendJson(response, 413, { message: `Payload Too Large: at most ${MAX_BODY_BYTES} bytes` });
    throw error;
  }
  const parsed = developmentTokenRequestSchema.safeParse(parseJson(body));
  if (!parsed.success) return sendJson(response, 400, { message: 'Bad Request: expected {"sub": "<buyerId>", "expiresInSeconds": <seconds>}' });
  return sendJson(response, 200, { token: await endpoint.mint(parsed.data) });
};
