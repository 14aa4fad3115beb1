import { z } from 'zod';
import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';
import type { BuyerRequest } from './buyer-plan.ts';

/** Sending purchase requests to the API the way a careful client does: bounded in flight, retried safely. */

export interface ApiRequest {
  /** The bearer token; none sends no Authorization header. */
  readonly token?: string;
  readonly idempotencyKey?: string;
  /** The waiting room's admission, for a gated concert. */
  readonly admissionToken?: string;
  /** The raw body, so a request can carry JSON that does not parse. */
  readonly body: string;
}

export interface ApiAnswer {
  readonly status: number;
  /** The parsed JSON body; undefined when the body is not JSON. */
  readonly json: unknown;
  readonly contentType: string;
}

export interface RetryPolicy {
  /** How long one request may keep retrying, from its first attempt. */
  readonly budgetMs: number;
}

/** Three quick attempts: enough for a blip, not for a runtime being restarted. */
const DEFAULT_RETRY_POLICY: RetryPolicy = { budgetMs: 5_000 };

const MAX_BACKOFF_MS = 2_000;
const HTTP_TOO_MANY_REQUESTS = 429;
const HTTP_SERVER_ERROR = 500;

/** Answers that say "not now", not "no": the same request may succeed later. */
const isTransient = (status: number) => status === HTTP_TOO_MANY_REQUESTS || status >= HTTP_SERVER_ERROR;

const pause = (ms: number) => new Promise<void>((resolvePause) => setTimeout(resolvePause, ms));

export interface ApiCall {
  readonly method: 'GET' | 'POST';
  /** From the API's root, e.g. `/purchases`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * One call of the API, sent again with a growing pause on a network error,
 * a 5xx or a 429 until the policy's budget is spent; the last answer (or
 * error) stands. Only for calls that are safe to repeat: reads, and writes
 * made idempotent by a key or by the buyer (a join finds the same ticket).
 */
export const sendWithRetry = async (apiUrl: string, call: ApiCall, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<ApiAnswer> => {
  const deadline = Date.now() + policy.budgetMs;
  for (let attempt = 1; ; attempt++) {
    const backoff = Math.min(MAX_BACKOFF_MS, 200 * 2 ** (attempt - 1));
    try {
      const response = await fetch(`${apiUrl}${call.path}`, { method: call.method, headers: call.headers, ...(call.body !== undefined && { body: call.body }) });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const answer = { status: response.status, json, contentType: response.headers.get('content-type') ?? '' };
      if (!isTransient(answer.status) || Date.now() + backoff > deadline) return answer;
    } catch (error) {
      if (Date.now() + backoff > deadline) {
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
        throw new Error(`${call.method} ${apiUrl}${call.path} failed ${attempt} time(s)${cause}`, { cause: error });
      }
    }
    await pause(backoff);
  }
};

/**
 * POST /purchases. A request that failed on the network or got a 5xx or 429
 * may or may not have been accepted: the Idempotency-Key makes sending it
 * again safe, which is what a real client should do.
 */
export const postPurchase = async (apiUrl: string, request: ApiRequest, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<ApiAnswer> => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
  if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
  if (request.admissionToken !== undefined) headers['x-admission-token'] = request.admissionToken;
  return sendWithRetry(apiUrl, { method: 'POST', path: '/purchases', headers, body: request.body }, policy);
};

const acceptedSchema = z.object({ purchaseId: z.string() });

export interface SubmitOptions {
  readonly concurrency: number;
  readonly retry?: RetryPolicy;
  /** Called after each answer with how many requests have been answered. */
  readonly onAnswered?: (answered: number) => void;
}

export interface SubmitResult {
  /** purchaseIds of the 202s, in the order the buyers were planned. */
  readonly accepted: string[];
  /** How many requests got each other status. */
  readonly rejected: Map<number, number>;
}

/** Every buyer's purchase request, with a token minted for each buyer. */
export const submitBuyers = async (
  apiUrl: string,
  mintToken: (buyerId: string) => Promise<string>,
  concertId: string,
  buyers: readonly BuyerRequest[],
  options: SubmitOptions,
): Promise<SubmitResult> => {
  const acceptedByIndex = new Map<number, string>();
  const rejected = new Map<number, number>();
  const tokens = new Map<string, string>();
  for (const buyer of buyers) tokens.set(buyer.buyerId, await mintToken(buyer.buyerId));
  let answered = 0;
  await mapWithConcurrency(buyers, options.concurrency, async (buyer, index) => {
    const answer = await postPurchase(
      apiUrl,
      {
        token: tokens.get(buyer.buyerId) ?? '',
        idempotencyKey: buyer.idempotencyKey,
        body: JSON.stringify({ concertId, seatIds: buyer.seatIds, paymentToken: buyer.paymentToken }),
      },
      options.retry,
    );
    if (answer.status === 202) acceptedByIndex.set(index, acceptedSchema.parse(answer.json).purchaseId);
    else rejected.set(answer.status, (rejected.get(answer.status) ?? 0) + 1);
    options.onAnswered?.(++answered);
  });
  const accepted = [...acceptedByIndex].sort(([a], [b]) => a - b).map(([, purchaseId]) => purchaseId);
  return { accepted, rejected };
};
