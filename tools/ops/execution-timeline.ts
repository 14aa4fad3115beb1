import { attemptFailureOf, toStepError, type HistoryEvent, type StepError } from './history.ts';

/**
 * The steps of one execution, rebuilt from its history events.
 *
 * - succeeded: the state exited after a successful (last) attempt;
 * - caught: the state exited after a failed last attempt, so a Catch took it elsewhere;
 * - failed: the execution failed in this state (uncaught error, or a Fail state);
 * - interrupted: the execution timed out or was stopped while in this state;
 * - running: the execution is still in this state.
 */
export type StepOutcome = 'succeeded' | 'caught' | 'failed' | 'interrupted' | 'running';

export interface TimelineStep {
  readonly name: string;
  /** Task, Fail, Succeed, Pass, Choice...: the prefix of its *StateEntered event. */
  readonly stateType: string;
  /** Id of its *StateEntered event: orders the steps even when timestamps tie. */
  readonly enteredEventId: number;
  readonly enteredAt: Date;
  readonly exitedAt?: Date;
  readonly attempts: number;
  /** A failed attempt followed by a new attempt in the same state. */
  readonly retries: number;
  readonly retriedErrors: readonly StepError[];
  readonly outcome: StepOutcome;
  /** Why it was caught, failed or interrupted. */
  readonly error?: StepError;
  /** The state's output as it exited (JSON text). */
  readonly output?: string;
}

type ExecutionEnd =
  | { readonly status: 'SUCCEEDED'; readonly at: Date; readonly output?: string }
  | { readonly status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'; readonly at: Date; readonly error: StepError };

export interface ExecutionTimeline {
  readonly startedAt?: Date;
  /** Undefined while the execution runs (including after a redrive). */
  readonly end?: ExecutionEnd;
  readonly steps: readonly TimelineStep[];
  readonly redrives: readonly Date[];
}

interface OpenStep {
  name: string;
  stateType: string;
  enteredEventId: number;
  enteredAt: Date;
  attempts: number;
  retries: number;
  retriedErrors: StepError[];
  /** The failure of the latest attempt, until a new attempt starts or the attempt succeeds. */
  pendingFailure?: StepError;
}

const ENTERED = /^(\w+)StateEntered$/;
const ATTEMPT_STARTS: ReadonlySet<string> = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);
const ATTEMPT_SUCCEEDS: ReadonlySet<string> = new Set(['TaskSucceeded', 'LambdaFunctionSucceeded', 'ActivitySucceeded']);
const END_STATUS: ReadonlyMap<string, 'FAILED' | 'TIMED_OUT' | 'ABORTED'> = new Map([
  ['ExecutionFailed', 'FAILED'],
  ['ExecutionTimedOut', 'TIMED_OUT'],
  ['ExecutionAborted', 'ABORTED'],
]);

const endErrorOf = (event: HistoryEvent, status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'): StepError => {
  const details = event.executionFailedEventDetails ?? event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails;
  return toStepError(details ?? { error: status === 'TIMED_OUT' ? 'States.Timeout' : status });
};

const closeOnEnd = (step: OpenStep, end: Exclude<ExecutionEnd, { status: 'SUCCEEDED' }>): TimelineStep => {
  const { pendingFailure, ...rest } = step;
  const failedHere = end.status === 'FAILED';
  return {
    ...rest,
    exitedAt: end.at,
    outcome: failedHere ? 'failed' : 'interrupted',
    // A Fail state carries the execution's error; a task that failed uncaught carries its own.
    error: failedHere ? (pendingFailure ?? end.error) : end.error,
  };
};

/**
 * Rebuilds the steps from history events (all pages, in any order: they are
 * sorted by id). Task events carry no state name, so they belong to the most
 * recently entered state still open; the saga has no Parallel or Map state,
 * so that is always the state running the task.
 */
export const buildTimeline = (history: readonly HistoryEvent[]): ExecutionTimeline => {
  const events = [...history].sort((a, b) => a.id - b.id);
  const steps: TimelineStep[] = [];
  const open: OpenStep[] = [];
  const redrives: Date[] = [];
  let startedAt: Date | undefined;
  let end: ExecutionEnd | undefined;

  for (const event of events) {
    const entered = ENTERED.exec(event.type);
    const current = open.at(-1);
    const failure = attemptFailureOf(event);
    const endStatus = END_STATUS.get(event.type);
    if (entered?.[1] && event.stateEnteredEventDetails) {
      open.push({
        name: event.stateEnteredEventDetails.name,
        stateType: entered[1],
        enteredEventId: event.id,
        enteredAt: event.timestamp,
        attempts: 0,
        retries: 0,
        retriedErrors: [],
      });
    } else if (event.stateExitedEventDetails) {
      const name = event.stateExitedEventDetails.name;
      const index = open.findLastIndex((step) => step.name === name);
      const [step] = index >= 0 ? open.splice(index, 1) : [];
      if (step) {
        const { pendingFailure, ...rest } = step;
        steps.push({
          ...rest,
          exitedAt: event.timestamp,
          outcome: pendingFailure ? 'caught' : 'succeeded',
          ...(pendingFailure ? { error: pendingFailure } : {}),
          ...(event.stateExitedEventDetails.output === undefined ? {} : { output: event.stateExitedEventDetails.output }),
        });
      }
    } else if (ATTEMPT_STARTS.has(event.type) && current) {
      if (current.pendingFailure) {
        current.retries += 1;
        current.retriedErrors.push(current.pendingFailure);
        delete current.pendingFailure;
      }
      current.attempts += 1;
    } else if (failure && current) {
      current.pendingFailure = failure;
    } else if (ATTEMPT_SUCCEEDS.has(event.type) && current) {
      delete current.pendingFailure;
    } else if (event.type === 'ExecutionStarted') {
      startedAt = event.timestamp;
    } else if (event.type === 'ExecutionSucceeded') {
      const output = event.executionSucceededEventDetails?.output;
      end = { status: 'SUCCEEDED', at: event.timestamp, ...(output === undefined ? {} : { output }) };
    } else if (endStatus) {
      const failedEnd = { status: endStatus, at: event.timestamp, error: endErrorOf(event, endStatus) };
      end = failedEnd;
      steps.push(...open.splice(0).map((step) => closeOnEnd(step, failedEnd)));
    } else if (event.type === 'ExecutionRedriven') {
      // The execution runs again from the state it failed in: the next entries follow.
      end = undefined;
      redrives.push(event.timestamp);
    }
  }
  const running: TimelineStep[] = open.map(({ pendingFailure, ...step }) => ({
    ...step,
    outcome: 'running',
    ...(pendingFailure ? { error: pendingFailure } : {}),
  }));
  const ordered = [...steps, ...running].sort((a, b) => a.enteredEventId - b.enteredEventId);
  return { ...(startedAt ? { startedAt } : {}), ...(end ? { end } : {}), steps: ordered, redrives };
};

export const durationOf = (step: TimelineStep): number | undefined =>
  step.exitedAt === undefined ? undefined : step.exitedAt.getTime() - step.enteredAt.getTime();

const WENT_WRONG: ReadonlySet<StepOutcome> = new Set(['caught', 'failed', 'interrupted']);

/**
 * Where the saga first went wrong: the first task whose error was caught or
 * ended the execution (e.g. ChargePayment declined, before the compensations
 * and the PurchaseFailed state). Falls back to any state that went wrong.
 */
export const firstFailure = (timeline: ExecutionTimeline): TimelineStep | undefined =>
  timeline.steps.find((step) => step.stateType === 'Task' && WENT_WRONG.has(step.outcome)) ??
  timeline.steps.find((step) => WENT_WRONG.has(step.outcome));

/** The state the execution is in now, while it runs. */
export const currentStep = (timeline: ExecutionTimeline): TimelineStep | undefined =>
  timeline.steps.findLast((step) => step.outcome === 'running');

/** The latest entry of a state: after a retry by redrive a state appears more than once. */
export const lastEntryOf = (timeline: ExecutionTimeline, name: string): TimelineStep | undefined =>
  timeline.steps.findLast((step) => step.name === name);

/**
 * The state a redrive starts from: Step Functions redrives the state that
 * was entered and never exited. When that is a Fail state (a Catch led
 * there), the redrive re-runs only the Fail state.
 */
export const resumePointOf = (timeline: ExecutionTimeline): TimelineStep | undefined =>
  timeline.steps.findLast((step) => step.outcome === 'failed' || step.outcome === 'interrupted');
