import './promise-with-resolvers.ts';
import { StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { z } from 'zod';
import { stateMachineRegionOf } from '#local/arns';
import { allStates, machineSchema, mapStates, unsupportedFeatures, type AslMachine, type AslState, type Retrier } from './asl.ts';
import { ExecutionRecorder, type RunKind } from './execution-recorder.ts';
import { executionAborted, executionFailed, executionTimedOut, type ErrorAndCause } from './history-events.ts';
import type { HistoryLog } from './history-log.ts';
import type { JsonValue } from './json.ts';
import { ExecutionStoppedError, StateMachineDefinitionError, TaskFailedError } from './task-errors.ts';
import { resolveTaskIntegration, type IntegrationPorts, type TaskIntegration } from './task-integrations.ts';

/**
 * The local Step Functions engine: runs ASL with aws-local-stepfunctions and
 * fills the gaps between that library and AWS:
 * - tasks are overridden by state name only, so each Task's Resource is
 *   resolved once into a handler (task-integrations.ts);
 * - the library's default Task timeout is 60 s; AWS's is 99,999,999 s, so a
 *   Task without TimeoutSeconds gets AWS's default (capped at the longest
 *   timer Node can set, 24.8 days);
 * - the machine's TimeoutSeconds is enforced here rather than by the library,
 *   so a resumed execution keeps its original deadline;
 * - history is recorded in AWS's GetExecutionHistory format (execution-recorder.ts).
 * Retry (IntervalSeconds, BackoffRate, MaxAttempts, MaxDelaySeconds,
 * JitterStrategy FULL) and Catch are the library's, which implements them as
 * AWS documents.
 *
 * Building a library StateMachine validates the definition and costs tens of
 * milliseconds, so each machine is built once per starting state and reused.
 */

export interface EngineOptions extends IntegrationPorts {
  /**
   * Local setting for tests and demos only: multiplies every retrier's
   * IntervalSeconds and MaxDelaySeconds (backoff and jitter still apply), so
   * retries of a deployed definition wait milliseconds instead of seconds.
   * @default 1 (the intervals as deployed)
   */
  readonly retryDelayScale?: number;
}

interface StateMachineSource {
  readonly stateMachineArn: string;
  /** The ASL definition as an object, definition substitutions already resolved. */
  readonly definition: unknown;
  readonly roleArn?: string | undefined;
}

/** Where a run begins. `start` runs from StartAt with the execution input; the others from a named state with its recorded input. */
export type RunStart =
  | { readonly kind: 'start' }
  | {
      readonly kind: Exclude<RunKind, 'start'>;
      readonly stateName: string;
      readonly stateInput: JsonValue;
      /**
       * A resume only: when the state is a Task whose last attempt started
       * (epoch ms) and never got an answer because the runtime stopped under it.
       */
      readonly unansweredTaskStartedAt?: number | undefined;
    };

export interface RunRequest {
  readonly executionArn: string;
  readonly executionName: string;
  readonly input: JsonValue;
  readonly redriveCount: number;
  readonly history: HistoryLog;
  readonly start: RunStart;
  /** Time left before the machine's TimeoutSeconds expires. @default the whole TimeoutSeconds */
  readonly remainingTimeMs?: number | undefined;
}

export type ExecutionOutcome =
  | { readonly status: 'SUCCEEDED'; readonly output: string }
  | ({ readonly status: 'FAILED' | 'ABORTED' | 'TIMED_OUT' } & ErrorAndCause)
  /** The runtime shut down: the execution is still running as far as its history knows, and resumes at the next start. */
  | { readonly status: 'DETACHED' };

export interface ExecutionRun {
  /** Settles once the execution's last history event is recorded; never rejects. */
  readonly outcome: Promise<ExecutionOutcome>;
  /** StopExecution: aborts the run and records ExecutionAborted. Ignored once the run has ended. */
  stop(failure?: ErrorAndCause): void;
  /** Shutdown: abandons the run without recording anything more, so a restart can resume it. */
  detach(): void;
}

/** The Task attempt a resumed run carries over from before the runtime stopped. */
interface UnansweredAttempt {
  readonly stateName: string;
  readonly startedAt: number;
}

const unansweredAttemptOf = (start: RunStart): UnansweredAttempt | undefined =>
  start.kind === 'resume' && start.unansweredTaskStartedAt !== undefined ? { stateName: start.stateName, startedAt: start.unansweredTaskStartedAt } : undefined;

/**
 * An attempt cut off by the runtime's stop is, to AWS's eyes, an invocation
 * that never answered: the Task holds until its TimeoutSeconds has run out
 * since the attempt started, then fails with States.Timeout, and Retry or
 * Catch apply. Re-invoking at once instead would meet whatever the lost
 * invocation left behind, such as an idempotency record still in progress
 * until the function's own timeout. Ends early (rejecting) when the run is
 * stopped or detached.
 */
const timeOutUnansweredAttempt = (deadline: number, abandoned: Promise<never>): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, Math.max(deadline - Date.now(), 0));
    abandoned.catch((error: unknown) => {
      clearTimeout(timer);
      reject(error);
    });
  });

/** AWS's Task TimeoutSeconds when a state sets none. */
const AWS_DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
/** setTimeout fires at once for delays above 2^31 - 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const scaleRetrier = (retrier: Retrier, scale: number): Retrier => ({
  ...retrier,
  IntervalSeconds: (retrier.IntervalSeconds ?? 1) * scale,
  ...(retrier.MaxDelaySeconds === undefined ? {} : { MaxDelaySeconds: retrier.MaxDelaySeconds * scale }),
});

/** The state as the library must see it to behave as AWS does (see the module comment). */
const forLibrary = (state: AslState, retryDelayScale: number): AslState => {
  const withTimeout =
    state.Type === 'Task' && state.TimeoutSecondsPath === undefined
      ? { ...state, TimeoutSeconds: Math.min(state.TimeoutSeconds ?? AWS_DEFAULT_TASK_TIMEOUT_SECONDS, MAX_TIMER_SECONDS) }
      : state;
  if (!withTimeout.Retry || retryDelayScale === 1) return withTimeout;
  return { ...withTimeout, Retry: withTimeout.Retry.map((retrier) => scaleRetrier(retrier, retryDelayScale)) };
};

/**
 * The library's definition type is a deep union of state shapes; the
 * definition has passed `machineSchema` and the library's own validator
 * (on the original, in `compile`), so it is handed over as that type here.
 */
const asLibraryDefinition = (machine: AslMachine): StateMachineDefinition => machine as unknown as StateMachineDefinition;

const validatedDefinitions = new Map<string, readonly string[]>();

/**
 * The library validates a definition as written (paths, ARNs, transitions).
 * Its validator compiles a JSON Schema on every call, which takes from 0.1 s
 * to seconds, so each distinct definition is validated once per process. It
 * also writes a default QueryLanguage into every state, hence the copy.
 */
const libraryValidationProblems = (definition: AslMachine): readonly string[] => {
  const key = JSON.stringify(definition);
  const known = validatedDefinitions.get(key);
  if (known) return known;
  let problems: readonly string[] = [];
  try {
    new StateMachine(asLibraryDefinition(structuredClone(definition)));
  } catch (error) {
    problems = [error instanceof Error ? error.message : String(error)];
  }
  validatedDefinitions.set(key, problems);
  return problems;
};

export class CompiledStateMachine {
  readonly topLevelStates: ReadonlySet<string>;
  private readonly libraryMachines = new Map<string, StateMachine>();

  private constructor(
    readonly stateMachineArn: string,
    readonly definition: AslMachine,
    private readonly states: ReadonlyMap<string, AslState>,
    private readonly integrations: ReadonlyMap<string, TaskIntegration>,
    private readonly roleArn: string | undefined,
    private readonly retryDelayScale: number,
  ) {
    this.topLevelStates = new Set(Object.keys(definition.States));
  }

  /** Validates and prepares a definition; throws StateMachineDefinitionError naming every problem. */
  static compile(source: StateMachineSource, options: EngineOptions): CompiledStateMachine {
    const parsed = machineSchema.safeParse(source.definition);
    if (!parsed.success) throw new StateMachineDefinitionError(source.stateMachineArn, [z.prettifyError(parsed.error)]);
    const definition = parsed.data;

    const problems = unsupportedFeatures(definition);
    const integrations = new Map<string, TaskIntegration>();
    const states = new Map(allStates(definition));
    for (const [name, state] of states) {
      if (state.Type !== 'Task') continue;
      const resolved = resolveTaskIntegration(name, state, options);
      if ('problem' in resolved) problems.push(resolved.problem);
      else integrations.set(name, resolved.integration);
    }
    problems.push(...libraryValidationProblems(definition));
    if (problems.length > 0) throw new StateMachineDefinitionError(source.stateMachineArn, problems);

    const compiled = new CompiledStateMachine(
      source.stateMachineArn,
      definition,
      states,
      integrations,
      source.roleArn,
      options.retryDelayScale ?? 1,
    );
    compiled.libraryMachine(definition.StartAt);
    return compiled;
  }

  run(request: RunRequest): ExecutionRun {
    const { start, history } = request;
    const recorder = new ExecutionRecorder({
      history,
      states: this.states,
      runKind: start.kind,
      redriveCount: request.redriveCount,
      roleArn: this.roleArn,
      region: stateMachineRegionOf(this.stateMachineArn),
    });

    let ended = false;
    let abandonTasks = (): void => undefined;
    const abandoned = new Promise<never>((_, reject) => (abandonTasks = () => reject(new ExecutionStoppedError())));
    // Only ever observed through Promise.race in the task handlers.
    abandoned.catch(() => undefined);
    let stopped: ({ status: 'ABORTED' | 'TIMED_OUT' } & ErrorAndCause) | { status: 'DETACHED' } | undefined;
    const execution = this.libraryMachine(start.kind === 'start' ? this.definition.StartAt : start.stateName).run(
      start.kind === 'start' ? request.input : start.stateInput,
      {
        overrides: { taskResourceLocalHandlers: this.taskHandlers(recorder, () => stopped !== undefined, abandoned, unansweredAttemptOf(start)) },
        noThrowOnAbort: true,
        context: this.contextObject(request),
      },
    );

    // The recorder must stay synchronous: task handlers rely on it having taken in every queued library event after one turn.
    const consumed = (async () => {
      for await (const event of execution.eventLogs) recorder.record(event);
    })();
    const result = execution.result.then(
      (output) => {
        ended = true;
        return { ok: true as const, output };
      },
      (error: unknown) => {
        ended = true;
        return { ok: false as const, error };
      },
    );

    const stop = (outcome: NonNullable<typeof stopped>) => {
      if (ended || stopped) return;
      stopped = outcome;
      recorder.silence();
      execution.abort();
      abandonTasks();
    };
    const timeoutMs = request.remainingTimeMs ?? (this.definition.TimeoutSeconds === undefined ? undefined : this.definition.TimeoutSeconds * 1000);
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => stop({ status: 'TIMED_OUT', error: 'States.Timeout', cause: `The execution ran longer than TimeoutSeconds (${this.definition.TimeoutSeconds} s)` }),
            Math.min(Math.max(timeoutMs, 0), MAX_TIMER_MS),
          );

    const outcome = (async (): Promise<ExecutionOutcome> => {
      const settled = await result;
      await consumed;
      clearTimeout(timer);
      // Handlers still waiting on a resource (a task past its TimeoutSeconds) are let go.
      abandonTasks();
      if (stopped?.status === 'TIMED_OUT') history.append(executionTimedOut(stopped));
      if (stopped?.status === 'ABORTED') history.append(executionAborted(stopped));
      if (stopped) return stopped;
      if (settled.ok) return { status: 'SUCCEEDED', output: JSON.stringify(settled.output) };
      if (recorder.failure) return { status: 'FAILED', ...recorder.failure };
      // The library failed outside any state (a bug or an unexpected throw): still end the history.
      const failure = { error: 'States.Runtime', cause: settled.error instanceof Error ? settled.error.message : String(settled.error) };
      history.append(executionFailed(failure));
      return { status: 'FAILED', ...failure };
    })();

    return {
      outcome,
      stop: (failure = {}) => stop({ status: 'ABORTED', ...failure }),
      detach: () => stop({ status: 'DETACHED' }),
    };
  }

  private libraryMachine(startAt: string): StateMachine {
    const cached = this.libraryMachines.get(startAt);
    if (cached) return cached;
    if (!this.topLevelStates.has(startAt)) throw new Error(`State machine ${this.stateMachineArn} has no top-level state "${startAt}"`);
    const { TimeoutSeconds: _enforcedByTheEngine, ...definition } = mapStates(this.definition, (state) => forLibrary(state, this.retryDelayScale));
    // Validated in `compile`; the rewritten copies (fractional intervals when scaled) skip the library's validator.
    const machine = new StateMachine(asLibraryDefinition({ ...definition, StartAt: startAt }), { validationOptions: { noValidate: true } });
    this.libraryMachines.set(startAt, machine);
    return machine;
  }

  /** One handler per Task state; `abandoned` rejects when the run is stopped, so no handler outlives its execution. */
  private taskHandlers(recorder: ExecutionRecorder, isStopped: () => boolean, abandoned: Promise<never>, unanswered?: UnansweredAttempt) {
    const handlers: NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']> = {};
    let carriedOver = unanswered;
    for (const [stateName, integration] of this.integrations) {
      const timeoutInSeconds = this.states.get(stateName)?.TimeoutSeconds;
      handlers[stateName] = async (parameters: JsonValue) => {
        // The library queued StateEntered (or StateRetried) just before calling this handler; one turn lets the
        // recorder take it in, so the task's events follow it in the history.
        await nextTurn();
        if (isStopped()) throw new ExecutionStoppedError();
        const attempt = recorder.startTask(stateName, integration, parameters, timeoutInSeconds);
        if (carriedOver?.stateName === stateName && timeoutInSeconds !== undefined) {
          const { startedAt } = carriedOver;
          carriedOver = undefined;
          await timeOutUnansweredAttempt(startedAt + timeoutInSeconds * 1000, abandoned);
          attempt.timedOut();
          throw new TaskFailedError('States.Timeout', `The attempt the runtime's stop interrupted got no answer within TimeoutSeconds (${timeoutInSeconds} s)`);
        }
        // Only a TimeoutSeconds the state sets is a deadline worth telling: AWS's default is years away.
        const context = timeoutInSeconds === undefined ? {} : { callerDeadline: Date.now() + timeoutInSeconds * 1000 };
        try {
          const result = await Promise.race([integration.run(parameters, context), abandoned]);
          attempt.succeeded(result);
          return result;
        } catch (error) {
          if (error instanceof ExecutionStoppedError) throw error;
          const failure = error instanceof TaskFailedError ? error : new TaskFailedError('States.TaskFailed', String(error));
          attempt.failed(failure);
          throw failure;
        }
      };
    }
    return handlers;
  }

  /** The parts of AWS's Context Object (`$$`) that are known per execution; the library adds Execution.Input and StartTime. */
  private contextObject(request: RunRequest): NonNullable<RunOptions['context']> {
    return {
      Execution: { Id: request.executionArn, Name: request.executionName, RoleArn: this.roleArn, RedriveCount: request.redriveCount },
      StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineArn.split(':').at(-1) },
    };
  }
}
