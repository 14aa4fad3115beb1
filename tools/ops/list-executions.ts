import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';
import { buildTimeline, currentStep, resumePointOf } from './execution-timeline.ts';
import { NEEDS_A_PERSON_STATUSES, needsAPerson } from './needs-a-person.ts';
import { EXECUTION_STATUSES, type ExecutionQuery, type ExecutionStatus, type ExecutionSummary, type ExecutionsPort } from './ports.ts';
import { sagaOutcomeOf, type SagaOutcome } from './saga-outcome.ts';

export interface ExecutionLine {
  readonly purchaseId: string;
  readonly status: ExecutionStatus;
  readonly startedAt: Date;
  readonly durationMs: number;
  /** SUCCEEDED: confirmed, or rejected with its reason (seats taken, card declined...). */
  readonly outcome?: SagaOutcome;
  /** FAILED, TIMED_OUT, ABORTED: the step it stopped in, where a redrive resumes; RUNNING: where it is. */
  readonly step?: string;
  /** The error of the step it stopped in. */
  readonly error?: string;
}

/** Several statuses at once, e.g. every execution that needs a person. */
export interface ExecutionListQuery extends Omit<ExecutionQuery, 'status'> {
  readonly statuses?: readonly ExecutionStatus[];
}

/** What support filters by: one status, or every execution that needs a person. */
export const NEEDS_A_PERSON_FILTER = 'NEEDS_A_PERSON';
export const EXECUTION_FILTERS = [...EXECUTION_STATUSES, NEEDS_A_PERSON_FILTER] as const;
export type ExecutionFilter = (typeof EXECUTION_FILTERS)[number];

export const statusesOf = (filter: ExecutionFilter): readonly ExecutionStatus[] => (filter === NEEDS_A_PERSON_FILTER ? NEEDS_A_PERSON_STATUSES : [filter]);

/** Executions are described or their histories read a few at a time, to stay under the API's throttles. */
const READS_IN_FLIGHT = 4;

/** The outcome is in the output, which only DescribeExecution returns (one call, where the history may be pages). */
const succeededLine = async (port: ExecutionsPort, line: ExecutionLine): Promise<ExecutionLine> => {
  const outcome = sagaOutcomeOf((await port.describe(line.purchaseId))?.output);
  return outcome ? { ...line, outcome } : line;
};

const describeLine = async (port: ExecutionsPort, execution: ExecutionSummary, now: Date): Promise<ExecutionLine> => {
  const line: ExecutionLine = {
    purchaseId: execution.name,
    status: execution.status,
    startedAt: execution.startedAt,
    durationMs: (execution.stoppedAt ?? now).getTime() - execution.startedAt.getTime(),
  };
  if (execution.status === 'SUCCEEDED') return succeededLine(port, line);
  const timeline = buildTimeline(await port.history(execution.name));
  if (!needsAPerson(execution.status)) {
    const step = currentStep(timeline);
    return { ...line, ...(step ? { step: step.name } : {}) };
  }
  const stoppedIn = resumePointOf(timeline);
  const end = timeline.end?.status === 'SUCCEEDED' ? undefined : timeline.end;
  const error = stoppedIn?.error?.error ?? end?.error.error;
  return { ...line, ...(stoppedIn ? { step: stoppedIn.name } : {}), ...(error ? { error } : {}) };
};

/** Every listed status, merged newest first, at most `limit`. */
const listAll = async (port: ExecutionsPort, { statuses, ...query }: ExecutionListQuery): Promise<ExecutionSummary[]> => {
  if (!statuses || statuses.length < 2) return port.list({ ...query, ...(statuses?.[0] ? { status: statuses[0] } : {}) });
  const lists = await Promise.all(statuses.map((status) => port.list({ ...query, status })));
  return lists
    .flat()
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
    .slice(0, query.limit);
};

/** Newest first: the outcome of each succeeded execution, the step of each that stopped or runs. */
export const listExecutions = async (port: ExecutionsPort, query: ExecutionListQuery, now: Date): Promise<ExecutionLine[]> => {
  const executions = await listAll(port, query);
  return mapWithConcurrency(executions, READS_IN_FLIGHT, (execution) => describeLine(port, execution, now));
};
