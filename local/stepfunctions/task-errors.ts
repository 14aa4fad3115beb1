/**
 * A task attempt that failed, as the state machine sees it: `name` is the
 * error Retry and Catch match in ErrorEquals, `message` the cause (for a
 * Lambda error, the JSON of its errorType, errorMessage and trace, as AWS
 * reports it). aws-local-stepfunctions reads exactly these two fields.
 */
export class TaskFailedError extends Error {
  constructor(
    readonly error: string,
    readonly causeText: string,
  ) {
    super(causeText);
    this.name = error;
  }
}

/**
 * States.Runtime ends the execution: AWS never retries or catches it.
 * aws-local-stepfunctions honours `isRetryable` and `isCatchable` on errors.
 */
export class StatesRuntimeError extends TaskFailedError {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(causeText: string) {
    super('States.Runtime', causeText);
  }
}

/**
 * Thrown into the library for a task that is in flight, or would start, once
 * the execution is stopped, timed out or detached: it ends the library's wait
 * (and its Task timer) at once, and no Retry or Catch may act on it.
 */
export class ExecutionStoppedError extends Error {
  override readonly name = 'ExecutionStoppedError';
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('The execution was stopped before this task could start');
  }
}

/** A definition that is invalid, or that the local engine cannot run as AWS would; raised when the state machine is registered. */
export class StateMachineDefinitionError extends Error {
  override readonly name = 'StateMachineDefinitionError';
  constructor(
    readonly stateMachine: string,
    readonly problems: readonly string[],
  ) {
    super(`State machine ${stateMachine} cannot run locally:\n  - ${problems.join('\n  - ')}`);
  }
}
