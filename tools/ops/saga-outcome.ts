import { z } from 'zod';
import { OUTCOMES } from '#workflows/purchase-saga';

/**
 * What a SUCCEEDED execution's output says: PurchaseConfirmed and
 * PurchaseFailed are both Succeed states, and the OutputPath of each keeps
 * only its step's result, which names the outcome.
 */
const sagaOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal(OUTCOMES.confirmed), invoiceId: z.string().optional() }),
  z.object({ outcome: z.literal(OUTCOMES.failed), reason: z.string().optional(), failedStep: z.string().optional() }),
]);
export type SagaOutcome = z.infer<typeof sagaOutcomeSchema>;

/** Undefined when the output is missing, not JSON, or names no outcome. */
export const sagaOutcomeOf = (output: string | undefined): SagaOutcome | undefined => {
  if (output === undefined) return undefined;
  try {
    return sagaOutcomeSchema.safeParse(JSON.parse(output)).data;
  } catch {
    return undefined;
  }
};

/** "CONFIRMED", or "FAILED PAYMENT_DECLINED": short enough for a column. */
export const describeSagaOutcome = (outcome: SagaOutcome): string =>
  outcome.outcome === OUTCOMES.failed && outcome.reason ? `${outcome.outcome} ${outcome.reason}` : outcome.outcome;
