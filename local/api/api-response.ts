import { z } from 'zod';

/** What the server writes back for one request. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  /** Each becomes one Set-Cookie header. */
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/** The function answered with a statusCode but not in the shape API Gateway understands. */
export class MalformedFunctionResponseError extends Error {
  override readonly name = 'MalformedFunctionResponseError';
}

const structuredResponseSchema = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
  cookies: z.array(z.string()).optional(),
});

const JSON_CONTENT_TYPE = 'application/json';

const jsonResponse = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode,
  headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
  cookies: [],
  body: Buffer.from(JSON.stringify(body)),
});

/** API Gateway's own error answers: `{"message": "..."}`. */
export const gatewayErrorResponse = (statusCode: number, message: string, headers: Record<string, string> = {}): HttpResponse =>
  jsonResponse(statusCode, { message }, headers);

const isStructured = (result: unknown): result is Record<string, unknown> =>
  typeof result === 'object' && result !== null && !Array.isArray(result) && 'statusCode' in result;

/**
 * Maps a function's result to the HTTP response as payload format 2.0 does:
 * an object with `statusCode` gives status, headers, cookies and body (base64
 * decoded when `isBase64Encoded`); anything else is a 200 whose JSON body is
 * the result (a string result is the body itself).
 */
export const mapFunctionResult = (result: unknown): HttpResponse => {
  if (!isStructured(result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return { statusCode: 200, headers: { 'content-type': JSON_CONTENT_TYPE }, cookies: [], body: Buffer.from(body) };
  }
  const parsed = structuredResponseSchema.safeParse(result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedFunctionResponseError(`The function response is not valid: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const { statusCode, headers = {}, body = '', isBase64Encoded = false, cookies = [] } = parsed.data;
  return {
    statusCode,
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)])),
    cookies,
    body: Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8'),
  };
};
