import { STATES, type TaskStateName } from '#workflows/purchase-saga';
import { firstFailure, resumePointOf, type ExecutionTimeline } from './execution-timeline.ts';
import type { ExecutionDetails, ExecutionStatus } from './ports.ts';
import { classifyFailure } from './redrive-executions.ts';

/**
 * The saga settles every purchase itself (confirmed, or rejected and
 * compensated: both SUCCEEDED). An execution that failed, timed out or was
 * stopped is the one case where a person must act.
 */
export const NEEDS_A_PERSON_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const satisfies readonly ExecutionStatus[];

export const needsAPerson = (status: ExecutionStatus): boolean => NEEDS_A_PERSON_STATUSES.some((stopped) => stopped === status);

/** What each task leaves unsettled when the execution stops in it, until a redrive resumes it there. */
const UNSETTLED_BY_STEP: Readonly<Record<TaskStateName, string>> = {
  [STATES.reserveSeats]: 'some seats may be held until redrive or hold expiry; nothing charged',
  [STATES.chargePayment]: 'a charge may have landed; seats held until redrive or hold expiry',
  [STATES.createInvoice]: 'paid, the invoice may not exist yet; seats held until redrive or hold expiry',
  [STATES.confirmPurchase]: 'paid and invoiced, seats not yet sold',
  [STATES.voidInvoice]: 'the invoice still counts and the charge is not refunded yet',
  [STATES.refundPayment]: 'the charge is not refunded yet',
  [STATES.releaseSeats]: 'seats held until redrive or hold expiry',
  [STATES.recordPurchaseFailure]: 'compensated but the buyer still sees the old status',
};

const isTaskState = (name: string): name is TaskStateName => name in UNSETTLED_BY_STEP;

export interface PersonNeeded {
  /** The state the execution stopped in: where a redrive resumes. */
  readonly stoppedIn?: string;
  /** Its error: the last attempt's, or the execution's. */
  readonly error?: string;
  /** The step kept failing through its Retry before the execution failed. */
  readonly afterRetries: boolean;
  readonly unsettled?: string;
  /** Where the saga first went wrong, when that was an earlier step (the one the compensations undo). */
  readonly wentWrongAt?: { readonly step: string; readonly error?: string };
  /** What the person does: redrive once the cause is fixed, or settle it by hand. */
  readonly action: string;
}

const actionFor = (purchaseId: string, execution: ExecutionDetails, stoppedInType: string | undefined, stoppedIn: string | undefined): string => {
  if (stoppedInType === 'Fail') return `it ended in the Fail state ${stoppedIn ?? ''}, which is all a redrive re-runs: settle it by hand`;
  if (execution.redriveStatus === 'NOT_REDRIVABLE') return `Step Functions will not redrive it (${execution.redriveStatusReason ?? 'not redrivable'}): settle it by hand`;
  if (classifyFailure(execution.error, execution.status) === 'deterministic') return `a redrive fails the same way (${execution.error ?? ''}): settle it by hand`;
  if (execution.status === 'ABORTED') return `someone stopped it: settle it by hand, or npm run redrive -- ${purchaseId} if that was a mistake`;
  return `fix the cause, then npm run redrive -- ${purchaseId}`;
};

/** Undefined unless the execution is FAILED, TIMED_OUT or ABORTED. */
export const personNeededFor = (purchaseId: string, execution: ExecutionDetails, timeline: ExecutionTimeline | undefined): PersonNeeded | undefined => {
  if (!needsAPerson(execution.status)) return undefined;
  const stopped = timeline && resumePointOf(timeline);
  const first = timeline && firstFailure(timeline);
  const error = stopped?.error?.error ?? execution.error;
  const unsettled = stopped && isTaskState(stopped.name) ? UNSETTLED_BY_STEP[stopped.name] : undefined;
  return {
    ...(stopped ? { stoppedIn: stopped.name } : {}),
    ...(error ? { error } : {}),
    afterRetries: (stopped?.retries ?? 0) > 0,
    ...(unsettled ? { unsettled } : {}),
    ...(first && first.name !== stopped?.name ? { wentWrongAt: { step: first.name, ...(first.error ? { error: first.error.error } : {}) } } : {}),
    action: actionFor(purchaseId, execution, stopped?.stateType, stopped?.name),
  };
};

/**
 * "FAILED in RefundPayment after its retries (DependencyUnavailable): the
 * charge is not refunded yet; went wrong first at ChargePayment
 * (PaymentProviderUnavailable); needs a person — fix the cause, then npm run
 * redrive -- <id>". TIMED_OUT and ABORTED say how long it ran instead.
 */
export const describePersonNeeded = (status: ExecutionStatus, elapsed: string, person: PersonNeeded): string => {
  const where = person.stoppedIn ? ` in ${person.stoppedIn}` : '';
  const head =
    status === 'FAILED'
      ? `FAILED${where}${person.afterRetries ? ' after its retries' : ''}${person.error ? ` (${person.error})` : ''}`
      : `${status} after ${elapsed}${where}`;
  const first = person.wentWrongAt && `went wrong first at ${person.wentWrongAt.step}${person.wentWrongAt.error ? ` (${person.wentWrongAt.error})` : ''}`;
  return `${head}: ${[person.unsettled, first, `needs a person — ${person.action}`].filter(Boolean).join('; ')}`;
};
