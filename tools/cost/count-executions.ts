import type { HistoryEvent } from '#tools/ops/history';
import { CLOUDWATCH_EVENT_OVERHEAD_BYTES } from './count-function-logs.ts';

/**
 * What one execution history bills on each workflow type. Step Functions
 * Standard bills a state transition for every state entered and for every
 * retry of a step (the retry runs the step again inside the same state, so
 * it shows as another scheduled task, not another StateEntered event). The
 * execution log at level ALL receives one record per history event.
 */

export interface ExecutionCounts {
  /** The states entered, in order, with repeats collapsed: the path a person reads. */
  readonly path: readonly string[];
  readonly transitions: number;
  readonly retries: number;
  /** Task attempts: invocations of a step's function by the state machine. */
  readonly taskAttempts: number;
  /** From ExecutionStarted to the last event: what Express bills by duration. */
  readonly durationMs: number;
  /** Bytes of the records the execution log receives at level ALL with execution data. */
  readonly logBytes: number;
}

const SCHEDULED = new Set(['LambdaFunctionScheduled', 'TaskScheduled']);

/**
 * One execution log record as Step Functions writes it to CloudWatch Logs:
 * the history event with its details, the execution's ARN and snake_case
 * keys. The ARN is a deployed one's length: the local one is shorter.
 */
const logRecordOf = (event: HistoryEvent, executionArn: string): string => {
  const { id, previousEventId, timestamp, type, ...details } = event;
  const [detail] = Object.values(details);
  return JSON.stringify({
    id: String(id),
    type,
    details: detail ?? {},
    previous_event_id: String(previousEventId ?? 0),
    event_timestamp: String(timestamp.getTime()),
    execution_arn: executionArn,
    redrive_count: '0',
  });
};

export const countExecution = (events: readonly HistoryEvent[], executionArn: string): ExecutionCounts => {
  const path: string[] = [];
  let transitions = 0;
  let taskAttempts = 0;
  let attemptsInState = 0;
  let retries = 0;
  for (const event of events) {
    if (event.type.endsWith('StateEntered')) {
      transitions += 1;
      attemptsInState = 0;
      const name = event.stateEnteredEventDetails?.name;
      if (name !== undefined && path.at(-1) !== name) path.push(name);
    }
    if (SCHEDULED.has(event.type)) {
      taskAttempts += 1;
      attemptsInState += 1;
      if (attemptsInState > 1) retries += 1;
    }
  }
  const first = events[0]?.timestamp.getTime() ?? 0;
  const last = events.at(-1)?.timestamp.getTime() ?? first;
  return {
    path,
    transitions: transitions + retries,
    retries,
    taskAttempts,
    durationMs: last - first,
    logBytes: events.reduce((sum, event) => sum + Buffer.byteLength(logRecordOf(event, executionArn)) + CLOUDWATCH_EVENT_OVERHEAD_BYTES, 0),
  };
};

/** The executions of one path and outcome, added up. */
export interface PathCounts {
  readonly outcome: string;
  readonly path: readonly string[];
  readonly executions: number;
  readonly transitions: number;
  readonly retries: number;
  readonly taskAttempts: number;
  readonly durationMs: number;
  readonly logBytes: number;
}

export const groupByPath = (executions: ReadonlyArray<{ readonly outcome: string; readonly counts: ExecutionCounts }>): PathCounts[] => {
  const groups = new Map<string, PathCounts>();
  for (const { outcome, counts } of executions) {
    const key = `${outcome} ${counts.path.join('>')}`;
    const group = groups.get(key) ?? { outcome, path: counts.path, executions: 0, transitions: 0, retries: 0, taskAttempts: 0, durationMs: 0, logBytes: 0 };
    groups.set(key, {
      ...group,
      executions: group.executions + 1,
      transitions: group.transitions + counts.transitions,
      retries: group.retries + counts.retries,
      taskAttempts: group.taskAttempts + counts.taskAttempts,
      durationMs: group.durationMs + counts.durationMs,
      logBytes: group.logBytes + counts.logBytes,
    });
  }
  return [...groups.values()].sort((a, b) => b.executions - a.executions || a.outcome.localeCompare(b.outcome));
};
