import { z } from 'zod';
import { sagaInputSchema } from '#workflows/saga-input';
import { mapWithConcurrency } from './bounded-concurrency.ts';
import type { StartPurchaseExecution } from './ports.ts';

/** StartExecution calls in flight per batch: well under the account's StartExecution rate with a few pollers. */
export const DEFAULT_START_CONCURRENCY = 5;

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
}

export type StartResult =
  | { readonly messageId: string; readonly outcome: 'started' | 'alreadyStarted'; readonly purchaseId: string }
  /** The body is not a saga input: retrying cannot help, so it goes to the DLQ for a person to look at. */
  | { readonly messageId: string; readonly outcome: 'invalid'; readonly issues: string }
  /** StartExecution failed (throttled, unavailable): the message is retried after its visibility timeout. */
  | { readonly messageId: string; readonly outcome: 'failed'; readonly purchaseId: string; readonly error: unknown };

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

const startOne = async (message: QueuedMessage, start: StartPurchaseExecution): Promise<StartResult> => {
  const parsed = bodySchema.safeParse(message.body);
  if (!parsed.success) return { messageId: message.messageId, outcome: 'invalid', issues: z.prettifyError(parsed.error) };
  const { purchaseId } = parsed.data;
  try {
    return { messageId: message.messageId, outcome: await start(parsed.data), purchaseId };
  } catch (error) {
    return { messageId: message.messageId, outcome: 'failed', purchaseId, error };
  }
};

/** Starts one saga execution per message, a few at a time; one message's failure never fails the others. */
export const startPurchases = (
  messages: readonly QueuedMessage[],
  start: StartPurchaseExecution,
  concurrency = DEFAULT_START_CONCURRENCY,
): Promise<StartResult[]> => mapWithConcurrency(messages, concurrency, (message) => startOne(message, start));

export const isFailure = (result: StartResult): boolean => result.outcome === 'invalid' || result.outcome === 'failed';
