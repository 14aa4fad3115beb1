import { z } from 'zod';
import { ERRORS, STATES } from '#workflows/purchase-saga';
import { resultKeyOf, type CompensationReport, type CompensationStep } from './compensation.ts';
import { currentStep, firstFailure, lastEntryOf, resumePointOf, type ExecutionTimeline } from './execution-timeline.ts';
import type { ExecutionDetails, PurchaseRecord } from './ports.ts';
import { formatClock, formatDuration } from './times.ts';

export interface VerdictFacts {
  readonly purchaseId: string;
  readonly purchase?: PurchaseRecord;
  readonly execution?: ExecutionDetails;
  readonly timeline?: ExecutionTimeline;
  readonly compensation: CompensationReport;
}

/** Execution errors that mean "a person must act, then redrive" (see the saga's Fail states). */
const NEEDS_A_PERSON: ReadonlySet<string> = new Set([ERRORS.compensationFailed, ERRORS.confirmationFailed]);

const invoiceOutputSchema = z.object({ [resultKeyOf(STATES.createInvoice)]: z.object({ invoiceId: z.string() }) });

const invoiceIn = (output: string | undefined): string | undefined => {
  if (output === undefined) return undefined;
  try {
    return invoiceOutputSchema.safeParse(JSON.parse(output)).data?.[resultKeyOf(STATES.createInvoice)]?.invoiceId;
  } catch {
    return undefined;
  }
};

const describeCompensation = (step: CompensationStep): string => {
  const refund = step.name === STATES.refundPayment;
  if (step.outcome === 'succeeded') {
    if (refund) return step.refunded === false ? 'no charge to refund' : `payment refunded ${step.at ? formatClock(step.at) : ''}`.trim();
    return `seats released ${step.at ? formatClock(step.at) : ''}`.trim();
  }
  const what = refund ? 'refund' : 'seat release';
  if (step.outcome === 'running') return `${what} in progress`;
  return `${what} FAILED${step.error ? ` (${step.error.error})` : ''}`;
};

const elapsed = (execution: ExecutionDetails, now: Date) => formatDuration((execution.stoppedAt ?? now).getTime() - execution.startedAt.getTime());

const redriveNote = (execution: ExecutionDetails) => (execution.redriveCount ? ` (redriven ${execution.redriveCount}x)` : '');

const withoutExecution = (facts: VerdictFacts): string => {
  const status = facts.purchase?.status ?? 'QUEUED';
  if (status === 'QUEUED') {
    const since = facts.purchase?.createdAt ? ` since ${formatClock(new Date(facts.purchase.createdAt))}` : '';
    return `QUEUED${since}: no execution yet; if it stays queued, look in the dead-letter queue (npm run dlq -- list)`;
  }
  return `${status} (purchase record): no execution named ${facts.purchaseId}; its history may have expired (Standard keeps 90 days)`;
};

const adviceFor = (purchaseId: string, timeline: ExecutionTimeline | undefined): string => {
  const resumePoint = timeline && resumePointOf(timeline);
  return resumePoint?.stateType === 'Fail'
    ? `needs a person: it ended in the Fail state ${resumePoint.name}, which is all a redrive re-runs, so settle it by hand`
    : `needs a person: fix the cause, then npm run redrive -- ${purchaseId}`;
};

const ended = (facts: VerdictFacts, execution: ExecutionDetails, now: Date): string => {
  const timeline = facts.timeline;
  const failure = timeline && firstFailure(timeline);
  const where = failure?.name ?? timeline?.steps.at(-1)?.name;
  const head =
    execution.status === 'FAILED'
      ? failure
        ? `FAILED at ${failure.name}: ${failure.error?.error ?? execution.error ?? 'unknown error'}`
        : `FAILED: ${execution.error ?? 'unknown error'}`
      : `${execution.status} after ${elapsed(execution, now)}${where ? ` in ${where}` : ''}`;
  const compensation = facts.compensation.steps.map(describeCompensation);
  const recorded = timeline && lastEntryOf(timeline, STATES.recordPurchaseFailure);
  const notRecorded = recorded && recorded.outcome !== 'succeeded' ? ['failure not recorded'] : [];
  const nothingHeld =
    execution.error === ERRORS.purchaseFailed && !facts.compensation.ran ? ['nothing to compensate'] : [];
  const personNeeded = NEEDS_A_PERSON.has(execution.error ?? '') || execution.status !== 'FAILED' ? [adviceFor(facts.purchaseId, timeline)] : [];
  return [head, ...nothingHeld, ...compensation, ...notRecorded, ...personNeeded].join('; ') + redriveNote(execution);
};

/**
 * One line that answers "what happened to this purchase?", e.g.
 * "FAILED at ChargePayment: PaymentDeclined; seats released 12:03:04" or
 * "CONFIRMED in 1.2 s; invoice INV-...". Times are UTC.
 */
export const verdictOf = (facts: VerdictFacts, now: Date): string => {
  const execution = facts.execution;
  if (!execution) return withoutExecution(facts);
  switch (execution.status) {
    case 'SUCCEEDED': {
      const invoiceId = facts.purchase?.invoiceId ?? invoiceIn(execution.output) ?? invoiceIn(facts.timeline?.end?.status === 'SUCCEEDED' ? facts.timeline.end.output : undefined);
      return `CONFIRMED in ${elapsed(execution, now)}${invoiceId ? `; invoice ${invoiceId}` : ''}${redriveNote(execution)}`;
    }
    case 'RUNNING': {
      const step = facts.timeline && currentStep(facts.timeline);
      const attempt = step && step.attempts > 1 ? ` (attempt ${step.attempts})` : '';
      const compensating = facts.compensation.ran ? '; compensating' : '';
      return `RUNNING for ${elapsed(execution, now)}${step ? `, in ${step.name}${attempt}` : ''}${compensating}${redriveNote(execution)}`;
    }
    case 'PENDING_REDRIVE': {
      const failure = facts.timeline && firstFailure(facts.timeline);
      return `PENDING_REDRIVE: a redrive was accepted${failure ? `; it resumes where it stopped after ${failure.name}` : ''}`;
    }
    default:
      return ended(facts, execution, now);
  }
};
