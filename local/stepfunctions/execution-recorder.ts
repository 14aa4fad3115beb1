import type { StateMachine } from 'aws-local-stepfunctions';
import type { AslState } from './asl.ts';
import {
  executionFailed,
  executionRedriven,
  executionStarted,
  executionSucceeded,
  lambdaFunctionFailed,
  lambdaFunctionScheduled,
  lambdaFunctionStarted,
  lambdaFunctionSucceeded,
  lambdaFunctionTimedOut,
  mapIteration,
  mapOrParallelFailed,
  stateEntered,
  stateExited,
  taskFailed,
  taskScheduled,
  taskStarted,
  taskSucceeded,
  taskTimedOut,
  type ErrorAndCause,
  type NewHistoryEvent,
} from './history-events.ts';
import type { HistoryLog } from './history-log.ts';
import type { JsonValue } from './json.ts';
import type { TaskFailedError } from './task-errors.ts';
import type { TaskIntegration } from './task-integrations.ts';

/** An event of aws-local-stepfunctions' execution log (the library does not export the type by name). */
export type LibraryEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;

/** How this run of the engine begins: a new execution, a redrive, or a resume after a restart (which AWS has no event for). */
export type RunKind = 'start' | 'redrive' | 'resume';

export interface RecorderSettings {
  readonly history: HistoryLog;
  /** Every state of the definition by name, nested ones included. */
  readonly states: ReadonlyMap<string, AslState>;
  readonly runKind: RunKind;
  readonly redriveCount: number;
  readonly roleArn: string | undefined;
  readonly region: string;
}

/** One call of a task's resource, from TaskScheduled to its success, failure or timeout. */
export interface TaskAttempt {
  succeeded(result: JsonValue): void;
  failed(failure: TaskFailedError): void;
  timedOut(): void;
}

const TASK_TIMEOUT = 'States.Timeout';

const causeText = (cause: unknown): string | undefined =>
  cause === undefined || cause === null ? undefined : typeof cause === 'string' ? cause : JSON.stringify(cause);

/**
 * Turns what happens during a run into AWS's history format. Two sources
 * feed it: the library's event log (states entered, exited, failed; the
 * execution's end) and the engine's task handlers (each attempt's
 * TaskScheduled, TaskStarted and its outcome). A retry is therefore a
 * TaskFailed followed by a new TaskScheduled inside the same state, and a
 * Task timeout (enforced by the library) closes the open attempt as
 * TaskTimedOut.
 */
export class ExecutionRecorder {
  private readonly openAttempts = new Map<string, TaskAttempt[]>();
  private lastEnteredState: string | undefined;
  private silenced = false;
  /** Error and cause of the execution, once the library reported its failure. */
  failure: ErrorAndCause | undefined;

  constructor(private readonly settings: RecorderSettings) {}

  /** After StopExecution or the execution timeout nothing more is recorded but the engine's own terminal event. */
  silence(): void {
    this.silenced = true;
  }

  record(event: LibraryEvent): void {
    switch (event.type) {
      case 'ExecutionStarted':
        return this.recordOpening(event.input);
      case 'StateEntered':
        this.lastEnteredState = event.state.name;
        return this.append(stateEntered(event.state.type, event.state.name, event.state.input));
      case 'StateExited':
        if (event.state.type === 'Fail') return;
        return this.append(stateExited(event.state.type, event.state.name, event.state.output ?? null));
      case 'StateFailed':
        return this.recordStateFailure(event.state.name, event.state.type, event.Error);
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        return this.append(mapIteration(event.type, event.parentState.name, event.index));
      case 'ExecutionSucceeded':
        return this.append(executionSucceeded(event.output));
      case 'ExecutionFailed':
        this.failure = this.executionFailure(event.Error, event.Cause);
        return this.append(executionFailed(this.failure));
      // Retries and catches show as the task events and state exit around them; parallel branches and the
      // library's own abort and timeout events carry nothing AWS records (the engine records the execution's end).
      default:
        return;
    }
  }

  startTask(stateName: string, integration: TaskIntegration, parameters: JsonValue, timeoutInSeconds: number | undefined): TaskAttempt {
    const { history } = integration;
    if (history.kind === 'task') {
      this.append(taskScheduled(history.task, this.settings.region, parameters, timeoutInSeconds));
      this.append(taskStarted(history.task));
    } else {
      this.append(lambdaFunctionScheduled(history.functionArn, parameters, timeoutInSeconds));
      this.append(lambdaFunctionStarted());
    }

    let open = true;
    const finish = (event: NewHistoryEvent) => {
      if (!open) return;
      open = false;
      this.openAttempts.set(stateName, (this.openAttempts.get(stateName) ?? []).filter((other) => other !== attempt));
      this.append(event);
    };
    const attempt: TaskAttempt = {
      succeeded: (result) => finish(history.kind === 'task' ? taskSucceeded(history.task, result) : lambdaFunctionSucceeded(result)),
      failed: ({ error, causeText: cause }) =>
        finish(history.kind === 'task' ? taskFailed(history.task, { error, cause }) : lambdaFunctionFailed({ error, cause })),
      timedOut: () =>
        finish(history.kind === 'task' ? taskTimedOut(history.task, { error: TASK_TIMEOUT }) : lambdaFunctionTimedOut({ error: TASK_TIMEOUT })),
    };
    this.openAttempts.set(stateName, [...(this.openAttempts.get(stateName) ?? []), attempt]);
    return attempt;
  }

  private recordOpening(input: JsonValue): void {
    const { runKind, roleArn, redriveCount } = this.settings;
    if (runKind === 'start') this.append(executionStarted(input, roleArn));
    if (runKind === 'redrive') this.append(executionRedriven(redriveCount));
  }

  private recordStateFailure(stateName: string, stateType: string, error: string): void {
    if (stateType === 'Map' || stateType === 'Parallel') return this.append(mapOrParallelFailed(stateType));
    // A task attempt still open when its state fails was cut short by the library's TimeoutSeconds timer.
    if (stateType === 'Task' && error === TASK_TIMEOUT) this.openAttempts.get(stateName)?.[0]?.timedOut();
  }

  /**
   * A Fail state's static Error and Cause are reported as written (the
   * library substitutes placeholders when they are absent); anything else
   * as the library saw it.
   */
  private executionFailure(error: string, cause: unknown): ErrorAndCause {
    const state = this.lastEnteredState === undefined ? undefined : this.settings.states.get(this.lastEnteredState);
    if (state?.Type !== 'Fail') return { error, cause: causeText(cause) };
    return {
      error: 'ErrorPath' in state ? error : state.Error,
      cause: 'CausePath' in state ? causeText(cause) : state.Cause,
    };
  }

  private append(event: NewHistoryEvent): void {
    if (!this.silenced) this.settings.history.append(event);
  }
}
