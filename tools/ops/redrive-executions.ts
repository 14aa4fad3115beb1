import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';
import { ERRORS, TRANSIENT_ERRORS } from '#workflows/purchase-saga';
import { buildTimeline, resumePointOf } from './execution-timeline.ts';
import type { ExecutionDetails, ExecutionStatus, ExecutionsPort } from './ports.ts';
import { describeSagaOutcome, sagaOutcomeOf } from './saga-outcome.ts';

/**
 * Which failed executions a redrive can help. Business rejections end in a
 * SUCCEEDED execution, so a FAILED one always stopped in a step that kept
 * failing after its retries. A redrive re-runs that step with the same input
 * and the same definition, so it helps when the cause was technical and has
 * since gone (a dependency was down, a function timed out or crashed).
 */
const TECHNICAL_ERRORS: ReadonlySet<string> = new Set([...TRANSIENT_ERRORS, ERRORS.paymentProviderUnavailable, ERRORS.idempotencyInProgress]);
/** These fail the same way on the same definition and data, however often they run. */
const DETERMINISTIC_ERRORS: ReadonlySet<string> = new Set(['States.Runtime', 'States.DataLimitExceeded', 'States.QueryEvaluationError']);
const REDRIVABLE_STATUSES: ReadonlySet<ExecutionStatus> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);
/** Errors the Lambda and Step Functions services name this way are about the call, not the purchase. */
const SERVICE_ERROR_PREFIXES = ['Lambda.', 'States.'];

export type FailureKind = 'technical' | 'deterministic' | 'unrecognised';

export const classifyFailure = (error: string | undefined, status: ExecutionStatus): FailureKind => {
  if (status === 'TIMED_OUT' || status === 'ABORTED') return 'technical';
  if (error === undefined) return 'unrecognised';
  if (DETERMINISTIC_ERRORS.has(error)) return 'deterministic';
  if (TECHNICAL_ERRORS.has(error) || SERVICE_ERROR_PREFIXES.some((prefix) => error.startsWith(prefix))) return 'technical';
  return 'unrecognised';
};

type RedriveDecision =
  | { readonly purchaseId: string; readonly redrive: true; readonly error?: string; readonly resumesAt?: string }
  | { readonly purchaseId: string; readonly redrive: false; readonly kind: SkipKind; readonly reason: string };

/** Why an execution is not redriven: its failure, or what Step Functions would do with it. */
type SkipKind = FailureKind | 'not-redrivable' | 'ended-in-fail-state';

/** `--all-failed` takes only what it recognises; a redrive by id is a person's informed choice. */
export type RedriveMode = 'by-id' | 'all-failed';

const refuse = (purchaseId: string, kind: SkipKind, reason: string): RedriveDecision => ({ purchaseId, redrive: false, kind, reason });

const notRedrivableReason = (execution: ExecutionDetails): string => {
  const outcome = execution.status === 'SUCCEEDED' ? sagaOutcomeOf(execution.output) : undefined;
  // A rejected purchase (seats taken, card declined) is SUCCEEDED: settled, with its compensations run.
  const settled = outcome ? ` (${describeSagaOutcome(outcome)}): the purchase is settled` : '';
  return `it is ${execution.status}${settled}; only FAILED, TIMED_OUT and ABORTED executions can be redriven`;
};

const decideRedrive = async (port: ExecutionsPort, execution: ExecutionDetails, mode: RedriveMode): Promise<RedriveDecision> => {
  const id = execution.name;
  if (!REDRIVABLE_STATUSES.has(execution.status)) return refuse(id, 'not-redrivable', notRedrivableReason(execution));
  if (execution.redriveStatus === 'NOT_REDRIVABLE') return refuse(id, 'not-redrivable', execution.redriveStatusReason ?? 'Step Functions reports it as not redrivable');
  const kind = classifyFailure(execution.error, execution.status);
  if (kind === 'deterministic') return refuse(id, kind, `${execution.error}: the same definition on the same input fails the same way; start a new execution instead`);
  if (mode === 'all-failed' && kind === 'unrecognised') return refuse(id, kind, `unrecognised error ${execution.error ?? '(none)'}: inspect it, then redrive it by id`);
  if (mode === 'all-failed' && execution.status === 'ABORTED') return refuse(id, 'not-redrivable', 'stopped on purpose: redrive it by id if that was a mistake');

  const resumePoint = resumePointOf(buildTimeline(await port.history(id)));
  // Step Functions redrives the state that was entered and never exited. In a definition where a
  // Catch leads to a Fail state, that is the Fail state alone: the redrive would fail again at once.
  if (resumePoint?.stateType === 'Fail') {
    return refuse(id, 'ended-in-fail-state', `it ended in the Fail state ${resumePoint.name}, which is all a redrive re-runs: settle it by hand`);
  }
  return {
    purchaseId: id,
    redrive: true,
    ...(execution.error ? { error: execution.error } : {}),
    ...(resumePoint ? { resumesAt: resumePoint.name } : {}),
  };
};

export type RedriveOutcome =
  | { readonly decision: Extract<RedriveDecision, { redrive: true }>; readonly result: 'redriven'; readonly redrivenAt?: Date }
  | { readonly decision: Extract<RedriveDecision, { redrive: true }>; readonly result: 'would-redrive' }
  | { readonly decision: Extract<RedriveDecision, { redrive: true }>; readonly result: 'error'; readonly message: string }
  | { readonly decision: Extract<RedriveDecision, { redrive: false }>; readonly result: 'skipped' };

/**
 * The client token makes a repeated call for the same redrive (say, after a
 * dropped connection) idempotent: one redrive per redrive count.
 */
const clientTokenFor = (execution: ExecutionDetails) => `ops-redrive-${(execution.redriveCount ?? 0) + 1}`;

export const redriveExecution = async (
  port: ExecutionsPort,
  execution: ExecutionDetails,
  mode: RedriveMode,
  dryRun: boolean,
): Promise<RedriveOutcome> => {
  const decision = await decideRedrive(port, execution, mode);
  if (!decision.redrive) return { decision, result: 'skipped' };
  if (dryRun) return { decision, result: 'would-redrive' };
  try {
    const { redrivenAt } = await port.redrive(execution.name, clientTokenFor(execution));
    return { decision, result: 'redriven', ...(redrivenAt ? { redrivenAt } : {}) };
  } catch (error) {
    // In a batch one refusal (say, ExecutionNotRedrivable) must not stop the others.
    return { decision, result: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
};

/** Executions described a few at a time: DescribeExecution has a small token bucket on AWS. */
const DESCRIBES_IN_FLIGHT = 4;
/** Every FAILED and TIMED_OUT execution the state machine still lists. */
const LIST_ALL = 100_000;

export const redriveAllFailed = async (
  port: ExecutionsPort,
  dryRun: boolean,
  onOutcome: (outcome: RedriveOutcome) => void,
): Promise<RedriveOutcome[]> => {
  const listed = [...(await port.list({ status: 'FAILED', limit: LIST_ALL })), ...(await port.list({ status: 'TIMED_OUT', limit: LIST_ALL }))];
  const described = await mapWithConcurrency(listed, DESCRIBES_IN_FLIGHT, (execution) => port.describe(execution.name));
  const outcomes: RedriveOutcome[] = [];
  for (const execution of described) {
    if (!execution) continue;
    const outcome = await redriveExecution(port, execution, 'all-failed', dryRun);
    onOutcome(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
};
