import { z } from 'zod';
import { OUTCOMES, STATES } from '#workflows/purchase-saga';
import { resultKeyOf, type CompensationReport, type CompensationStep } from './compensation.ts';
import { currentStep, firstFailure, resumePointOf, type ExecutionTimeline } from './execution-timeline.ts';
import { describePersonNeeded, personNeededFor } from './needs-a-person.ts';
import type { ExecutionDetails, PurchaseRecord } from './ports.ts';
import { sagaOutcomeOf, type SagaOutcome } from './saga-outcome.ts';
import { formatClock, formatDuration } from './times.ts';

export interface VerdictFacts {
  readonly purchaseId: string;
  readonly purchase?: PurchaseRecord;
  readonly execution?: ExecutionDetails;
  readonly timeline?: ExecutionTimeline;
  readonly compensation: CompensationReport;
}

/** An execution of a definition older than the Succeed outcomes kept the whole state: its invoice is under `createInvoice`. */
const earlierOutputSchema = z.object({ [resultKeyOf(STATES.createInvoice)]: z.object({ invoiceId: z.string() }) });

const invoiceInEarlierOutput = (output: string | undefined): string | undefined => {
  if (output === undefined) return undefined;
  try {
    return earlierOutputSchema.safeParse(JSON.parse(output)).data?.[resultKeyOf(STATES.createInvoice)]?.invoiceId;
  } catch {
    return undefined;
  }
};

const at = (step: CompensationStep) => (step.at ? ` ${formatClock(step.at)}` : '');

const DONE: Readonly<Record<string, (step: CompensationStep) => string>> = {
  [STATES.voidInvoice]: (step) => (step.voided === false ? 'no invoice to void' : `invoice voided${at(step)}`),
  [STATES.refundPayment]: (step) => (step.refunded === false ? 'no charge to refund' : `payment refunded${at(step)}`),
  [STATES.releaseSeats]: (step) => `seats released${at(step)}`,
};

const describeCompensation = (step: CompensationStep): string => {
  if (step.outcome === 'succeeded') return DONE[step.name]?.(step) ?? `${step.name} done${at(step)}`;
  if (step.outcome === 'running') return `${step.name} in progress`;
  return `${step.name} ${step.outcome.toUpperCase()}${step.error ? ` (${step.error.error})` : ''}`;
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

/** The execution's output, else the history's last event: DescribeExecution leaves it out when it is too large. */
export const outcomeOfExecution = (execution: ExecutionDetails, timeline: ExecutionTimeline | undefined): SagaOutcome | undefined =>
  sagaOutcomeOf(execution.output) ?? sagaOutcomeOf(timeline?.end?.status === 'SUCCEEDED' ? timeline.end.output : undefined);

/** A rejected purchase: where it went wrong, then what was undone. */
const rejected = (facts: VerdictFacts, outcome: Extract<SagaOutcome, { outcome: 'FAILED' }> | undefined): string => {
  const failure = facts.timeline && firstFailure(facts.timeline);
  const step = failure?.name ?? outcome?.failedStep;
  const error = failure?.error?.error ?? outcome?.reason;
  const head = `${OUTCOMES.failed}${step ? ` at ${step}` : ''}${error ? `: ${error}` : ''}`;
  const undone = facts.compensation.ran ? facts.compensation.steps.map(describeCompensation) : ['nothing to compensate'];
  return [head, ...undone].join('; ');
};

const succeeded = (facts: VerdictFacts, execution: ExecutionDetails, now: Date): string => {
  const outcome = outcomeOfExecution(execution, facts.timeline);
  if (outcome?.outcome === OUTCOMES.failed || (!outcome && facts.purchase?.status === OUTCOMES.failed)) {
    return `${rejected(facts, outcome?.outcome === OUTCOMES.failed ? outcome : undefined)}${redriveNote(execution)}`;
  }
  const invoiceId =
    facts.purchase?.invoiceId ??
    (outcome?.outcome === OUTCOMES.confirmed ? outcome.invoiceId : undefined) ??
    invoiceInEarlierOutput(execution.output ?? (facts.timeline?.end?.status === 'SUCCEEDED' ? facts.timeline.end.output : undefined));
  return `${OUTCOMES.confirmed} in ${elapsed(execution, now)}${invoiceId ? `; invoice ${invoiceId}` : ''}${redriveNote(execution)}`;
};

/**
 * One line that answers "what happened to this purchase?", e.g.
 * "FAILED at ChargePayment: PaymentDeclined; seats released 12:03:04" (a
 * rejected purchase, SUCCEEDED), "CONFIRMED in 1.2 s; invoice INV-..." or,
 * for an execution that stopped, what it leaves unsettled and what to do
 * (see needs-a-person.ts). Times are UTC.
 */
export const verdictOf = (facts: VerdictFacts, now: Date): string => {
  const execution = facts.execution;
  if (!execution) return withoutExecution(facts);
  switch (execution.status) {
    case 'SUCCEEDED':
      return succeeded(facts, execution, now);
    case 'RUNNING': {
      const step = facts.timeline && currentStep(facts.timeline);
      const attempt = step && step.attempts > 1 ? ` (attempt ${step.attempts})` : '';
      const compensating = facts.compensation.ran ? '; compensating' : '';
      return `RUNNING for ${elapsed(execution, now)}${step ? `, in ${step.name}${attempt}` : ''}${compensating}${redriveNote(execution)}`;
    }
    case 'PENDING_REDRIVE': {
      const stopped = facts.timeline && resumePointOf(facts.timeline);
      return `PENDING_REDRIVE: a redrive was accepted${stopped ? `; it resumes in ${stopped.name}` : ''}`;
    }
    default: {
      const person = personNeededFor(facts.purchaseId, execution, facts.timeline);
      return person ? `${describePersonNeeded(execution.status, elapsed(execution, now), person)}${redriveNote(execution)}` : execution.status;
    }
  }
};
