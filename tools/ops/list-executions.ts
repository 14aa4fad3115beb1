import { buildTimeline, currentStep, firstFailure, resumePointOf } from './execution-timeline.ts';
import { mapLimited } from './map-limited.ts';
import type { ExecutionQuery, ExecutionSummary, ExecutionsPort } from './ports.ts';

export interface ExecutionLine {
  readonly purchaseId: string;
  readonly status: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  /** FAILED: where the saga first went wrong; TIMED_OUT/ABORTED: where it stopped; RUNNING: where it is. */
  readonly step?: string;
  readonly error?: string;
  /** The Fail state the execution ended in, when it differs from the failing step. */
  readonly endedIn?: string;
}

/** Histories are read for every execution that did not succeed; a few at a time keeps GetExecutionHistory under its throttle. */
const HISTORY_READS_IN_FLIGHT = 4;

const describeLine = async (port: ExecutionsPort, execution: ExecutionSummary, now: Date): Promise<ExecutionLine> => {
  const line = {
    purchaseId: execution.name,
    status: execution.status,
    startedAt: execution.startedAt,
    durationMs: (execution.stoppedAt ?? now).getTime() - execution.startedAt.getTime(),
  };
  if (execution.status === 'SUCCEEDED') return line;
  const timeline = buildTimeline(await port.history(execution.name));
  if (execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE') {
    const step = currentStep(timeline);
    return { ...line, ...(step ? { step: step.name } : {}) };
  }
  const stoppedIn = resumePointOf(timeline);
  const failure = execution.status === 'FAILED' ? (firstFailure(timeline) ?? stoppedIn) : stoppedIn;
  const error = failure?.error?.error ?? (timeline.end && timeline.end.status !== 'SUCCEEDED' ? timeline.end.error.error : undefined);
  return {
    ...line,
    ...(failure ? { step: failure.name } : {}),
    ...(error ? { error } : {}),
    ...(stoppedIn && stoppedIn.name !== failure?.name ? { endedIn: stoppedIn.name } : {}),
  };
};

/** Newest first, with the failing step of each execution that did not succeed. */
export const listExecutions = async (port: ExecutionsPort, query: ExecutionQuery, now: Date): Promise<ExecutionLine[]> => {
  const executions = await port.list(query);
  return mapLimited(executions, HISTORY_READS_IN_FLIGHT, (execution) => describeLine(port, execution, now));
};
