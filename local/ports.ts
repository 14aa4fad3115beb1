/**
 * The seams between the local runtime's components. Each component is built
 * against these interfaces, and `local/runtime.ts` wires the real ones
 * together, so each can be tested alone with a fake of its neighbours.
 */

/** Account and region the local runtime pretends to be. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** What the caller of an invocation tells the Lambda service beyond the event. */
export interface InvocationContext {
  /**
   * When the caller stops waiting for the answer (epoch ms), e.g. a Task
   * state's TimeoutSeconds. AWS does not know it; the local chaos settings
   * use it to answer just too late.
   */
  readonly callerDeadline?: number;
}

/** Invokes a function by name or ARN with an event, as the Lambda service would. */
export interface FunctionInvoker {
  invoke(functionNameOrArn: string, event: unknown, context?: InvocationContext): Promise<unknown>;
}

/** The error a function threw, in the shape Lambda reports it (errorType, errorMessage). */
export class FunctionError extends Error {
  override readonly name = 'FunctionError';
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: readonly string[] = [],
  ) {
    super(`${errorType}: ${errorMessage}`);
  }
}

/** Sends a message to a queue by URL or ARN (EventBridge targets, DLQs). */
export interface QueueSender {
  sendMessage(queueUrlOrArn: string, body: string): Promise<void>;
}

/** Starts a state machine execution (EventBridge targets). */
export interface ExecutionStarter {
  startExecution(stateMachineArn: string, input: string, name?: string): Promise<void>;
}

/** Publishes events to a bus, as PutEvents does (Step Functions `events:putEvents` tasks). */
export interface EventPutter {
  putEvents(entries: ReadonlyArray<{ Source: string; DetailType: string; Detail: string; EventBusName?: string }>): Promise<{ FailedEntryCount: number }>;
}

/** A component with a lifecycle. `stop` must leave no child process behind. */
export interface Service {
  readonly name: string;
  /** The localhost URL SDK clients use for this service. */
  readonly endpoint: string;
  stop(): Promise<void>;
}
