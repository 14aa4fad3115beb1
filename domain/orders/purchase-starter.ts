import * as z from 'zod';
import { sagaInputSchema, type SagaInput } from '#domain/saga-input';
import { mapWithConcurrency } from './bounded-concurrency.ts';
import type { EnqueuePurchase, IsTransientError, PendingStartStore, StartPurchaseExecution } from './ports.ts';

/** StartExecution calls in flight per batch: well under the account's StartExecution rate with a few pollers. */
const DEFAULT_START_CONCURRENCY = 5;

/**
 * Retries inside one invocation: full jitter over an exponential ceiling
 * (AWS's "exponential backoff and jitter"), so throttled starters spread out
 * instead of retrying in step.
 */
export const START_BACKOFF = { baseMs: 100, capMs: 3_000 } as const;

/** Time kept back from the invocation's deadline to send a deferred message and answer SQS. */
export const RESERVED_TIME_MS = 3_000;

/**
 * A message still failing transiently when the invocation's time is spent
 * is sent again with a delay in this range (seconds, jittered) and the
 * received copy is acknowledged: it comes back with a fresh receive count,
 * so throttling never dead-letters it however long it lasts. The upper
 * bound stays far below the sweeper's window, so each claim keeps the
 * purchase fresh for the sweeper while it is deferred.
 */
export const DEFER_DELAY_SECONDS = { min: 5, max: 30 } as const;

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  /** How often SQS has handed out this message, this time included. @default 1 */
  readonly receiveCount?: number;
}

export interface StartPurchasesDependencies {
  readonly claims: Pick<PendingStartStore, 'claimStart' | 'markDeadLettered'>;
  /** The queue's maxReceiveCount: a message failed on this receive goes to the DLQ. */
  readonly maxReceiveCount: number;
  readonly start: StartPurchaseExecution;
  /** Sends a message again to the purchase queue (deferral). */
  readonly enqueue: EnqueuePurchase;
  /** Which failures of `claims` and `start` are retried, then deferred, instead of failing the message. */
  readonly isTransient: IsTransientError;
  readonly now: () => Date;
  /** Milliseconds left before the invocation times out. */
  readonly remainingTimeMs: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1), for jitter. */
  readonly random: () => number;
  /** @default DEFAULT_START_CONCURRENCY */
  readonly concurrency?: number;
}

export type StartResult =
  | { readonly messageId: string; readonly outcome: 'started' | 'alreadyStarted'; readonly purchaseId: string; readonly attempts: number }
  /** The sweeper failed this purchase for the buyer: starting it now would sell what the buyer was told had failed. */
  | { readonly messageId: string; readonly outcome: 'refused'; readonly purchaseId: string }
  /** The purchase's status moved past QUEUED: its execution exists or it ended. */
  | { readonly messageId: string; readonly outcome: 'progressed'; readonly purchaseId: string }
  /** Still throttled (or otherwise transiently failing) at the end of the budget: sent again with a delay. */
  | { readonly messageId: string; readonly outcome: 'deferred'; readonly purchaseId: string; readonly delaySeconds: number; readonly error: unknown }
  /** The body is not a saga input: retrying cannot help, so it goes to the DLQ for a person to look at. */
  | { readonly messageId: string; readonly outcome: 'invalid'; readonly issues: string }
  /** No purchase record, a failure retries cannot fix, or a deferral that could not be sent: the message comes back, then goes to the DLQ. */
  | {
      readonly messageId: string;
      readonly outcome: 'failed';
      readonly purchaseId: string;
      readonly error: unknown;
      /** This was the message's last receive, and the purchase is marked for the sweeper to fail. */
      readonly deadLettered?: true;
    };

class PurchaseNotRecordedError extends Error {
  override readonly name = 'PurchaseNotRecordedError';
}

const bodySchema = z
  .string()
  .transform((body, context) => {
    try {
      const value: unknown = JSON.parse(body);
      return value;
    } catch {
      context.addIssue({ code: 'custom', message: 'body is not JSON' });
      return z.NEVER;
    }
  })
  .pipe(sagaInputSchema);

type Attempt =
  | { readonly kind: 'started' | 'alreadyStarted' | 'refused' | 'progressed' }
  | { readonly kind: 'missing' };

/** Claim, then start: the claim is what lets the sweeper know that no start can still be under way when it fails a purchase. */
const attemptStart = async (deps: StartPurchasesDependencies, input: SagaInput): Promise<Attempt> => {
  const claim = await deps.claims.claimStart(input.purchaseId, deps.now().toISOString());
  if (claim !== 'claimed') return { kind: claim };
  return { kind: await deps.start(input) };
};

const backoffMs = (deps: StartPurchasesDependencies, retry: number): number =>
  Math.floor(deps.random() * Math.min(START_BACKOFF.capMs, START_BACKOFF.baseMs * 2 ** retry));

const deferDelaySeconds = (deps: StartPurchasesDependencies): number =>
  DEFER_DELAY_SECONDS.min + Math.floor(deps.random() * (DEFER_DELAY_SECONDS.max - DEFER_DELAY_SECONDS.min + 1));

const attemptStartWithRetries = async (deps: StartPurchasesDependencies, message: QueuedMessage): Promise<StartResult> => {
  const { messageId } = message;
  const parsed = bodySchema.safeParse(message.body);
  if (!parsed.success) return { messageId, outcome: 'invalid', issues: z.prettifyError(parsed.error) };
  const input = parsed.data;
  const { purchaseId } = input;

  for (let attempts = 1; ; attempts += 1) {
    try {
      const attempt = await attemptStart(deps, input);
      switch (attempt.kind) {
        case 'missing':
          return { messageId, outcome: 'failed', purchaseId, error: new PurchaseNotRecordedError(`No purchase ${purchaseId} is recorded`) };
        case 'refused':
        case 'progressed':
          return { messageId, outcome: attempt.kind, purchaseId };
        default:
          return { messageId, outcome: attempt.kind, purchaseId, attempts };
      }
    } catch (error) {
      if (!deps.isTransient(error)) return { messageId, outcome: 'failed', purchaseId, error };
      const pause = backoffMs(deps, attempts - 1);
      if (deps.remainingTimeMs() - pause > RESERVED_TIME_MS) {
        await deps.sleep(pause);
        continue;
      }
      const delaySeconds = deferDelaySeconds(deps);
      try {
        await deps.enqueue(input, { delaySeconds });
      } catch (sendError) {
        return { messageId, outcome: 'failed', purchaseId, error: sendError };
      }
      return { messageId, outcome: 'deferred', purchaseId, delaySeconds, error };
    }
  }
};

/**
 * A message failed on its last receive goes to the DLQ: say so on the
 * purchase, so the sweeper fails it for the buyer instead of queuing it
 * again. Best effort: without the mark, the sweeper queues it again a few
 * times and fails it then.
 */
const markIfDeadLettered = async (deps: StartPurchasesDependencies, message: QueuedMessage, result: StartResult): Promise<StartResult> => {
  if (result.outcome !== 'failed' || (message.receiveCount ?? 1) < deps.maxReceiveCount) return result;
  if (result.error instanceof PurchaseNotRecordedError) return result;
  try {
    await deps.claims.markDeadLettered(result.purchaseId, deps.now().toISOString());
    return { ...result, deadLettered: true };
  } catch {
    return result;
  }
};

const startOne = async (deps: StartPurchasesDependencies, message: QueuedMessage): Promise<StartResult> =>
  markIfDeadLettered(deps, message, await attemptStartWithRetries(deps, message));

/** Starts one saga execution per message, a few at a time; one message's failure never fails the others. */
export const startPurchases = (deps: StartPurchasesDependencies, messages: readonly QueuedMessage[]): Promise<StartResult[]> =>
  mapWithConcurrency(messages, deps.concurrency ?? DEFAULT_START_CONCURRENCY, (message) => startOne(deps, message));

/** Only these come back to the queue (and, after its maxReceiveCount, go to the DLQ). */
export const isFailure = (result: StartResult): boolean => result.outcome === 'invalid' || result.outcome === 'failed';
