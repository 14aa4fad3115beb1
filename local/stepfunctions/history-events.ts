import { HistoryEventType } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { jsonValueSchema, type JsonValue } from './json.ts';

/**
 * One event of an execution's history, in the shape GetExecutionHistory
 * returns it: `id`, `previousEventId`, `type` and one `<kind>EventDetails`
 * object. Inputs and outputs inside the details are JSON strings, as in AWS.
 * `timestamp` is kept in epoch milliseconds; the API facade converts it.
 */
export type EventDetails = { readonly [field: string]: JsonValue | undefined };

export interface NewHistoryEvent {
  readonly type: HistoryEventType;
  readonly [detailsKey: `${string}EventDetails`]: EventDetails | undefined;
}

export interface HistoryEvent extends NewHistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
}

export const historyEventSchema = z
  .object({
    id: z.number().int().positive(),
    previousEventId: z.number().int().min(0),
    timestamp: z.number(),
    type: z.enum(HistoryEventType),
  })
  .catchall(z.record(z.string(), jsonValueSchema));

/** AWS reports whether it cut a large input or output; the local engine never truncates. */
const NOT_TRUNCATED = { truncated: false } as const;

const json = (value: JsonValue): string => JSON.stringify(value);

/** Drops absent optional fields so stored events and API answers carry no `undefined`. */
const details = (fields: Record<string, JsonValue | undefined>): EventDetails =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

export const executionStarted = (input: JsonValue, roleArn: string | undefined): NewHistoryEvent => ({
  type: 'ExecutionStarted',
  executionStartedEventDetails: details({ input: json(input), inputDetails: NOT_TRUNCATED, roleArn }),
});

export const executionRedriven = (redriveCount: number): NewHistoryEvent => ({
  type: 'ExecutionRedriven',
  executionRedrivenEventDetails: { redriveCount },
});

export const executionSucceeded = (output: JsonValue): NewHistoryEvent => ({
  type: 'ExecutionSucceeded',
  executionSucceededEventDetails: { output: json(output), outputDetails: NOT_TRUNCATED },
});

export interface ErrorAndCause {
  readonly error?: string;
  readonly cause?: string;
}

export const executionFailed = ({ error, cause }: ErrorAndCause): NewHistoryEvent => ({
  type: 'ExecutionFailed',
  executionFailedEventDetails: details({ error, cause }),
});

export const executionAborted = ({ error, cause }: ErrorAndCause): NewHistoryEvent => ({
  type: 'ExecutionAborted',
  executionAbortedEventDetails: details({ error, cause }),
});

export const executionTimedOut = ({ error, cause }: ErrorAndCause): NewHistoryEvent => ({
  type: 'ExecutionTimedOut',
  executionTimedOutEventDetails: details({ error, cause }),
});

/** The state types of ASL; each has `<Type>StateEntered` and `<Type>StateExited` events. */
export type StateType = 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Map' | 'Parallel';

export const stateEntered = (stateType: StateType, name: string, input: JsonValue): NewHistoryEvent => ({
  type: `${stateType}StateEntered`,
  stateEnteredEventDetails: { name, input: json(input), inputDetails: NOT_TRUNCATED },
});

/** Fail states end the execution and have no exit event. */
export const stateExited = (stateType: Exclude<StateType, 'Fail'>, name: string, output: JsonValue): NewHistoryEvent => ({
  type: `${stateType}StateExited`,
  stateExitedEventDetails: { name, output: json(output), outputDetails: NOT_TRUNCATED },
});

/** A service integration (`arn:aws:states:::<resourceType>:<resource>`) as the Task* events name it. */
export interface TaskResource {
  readonly resourceType: string;
  readonly resource: string;
}

export const taskScheduled = (
  task: TaskResource,
  region: string,
  parameters: JsonValue,
  timeoutInSeconds: number | undefined,
): NewHistoryEvent => ({
  type: 'TaskScheduled',
  taskScheduledEventDetails: details({ ...task, region, parameters: json(parameters), timeoutInSeconds }),
});

export const taskStarted = (task: TaskResource): NewHistoryEvent => ({
  type: 'TaskStarted',
  taskStartedEventDetails: { ...task },
});

export const taskSucceeded = (task: TaskResource, output: JsonValue): NewHistoryEvent => ({
  type: 'TaskSucceeded',
  taskSucceededEventDetails: { ...task, output: json(output), outputDetails: NOT_TRUNCATED },
});

export const taskFailed = (task: TaskResource, failure: ErrorAndCause): NewHistoryEvent => ({
  type: 'TaskFailed',
  taskFailedEventDetails: details({ ...task, ...failure }),
});

export const taskTimedOut = (task: TaskResource, failure: ErrorAndCause): NewHistoryEvent => ({
  type: 'TaskTimedOut',
  taskTimedOutEventDetails: details({ ...task, ...failure }),
});

/** A Task whose Resource is a Lambda function ARN records `LambdaFunction*` events instead of `Task*`. */
export const lambdaFunctionScheduled = (functionArn: string, input: JsonValue, timeoutInSeconds: number | undefined): NewHistoryEvent => ({
  type: 'LambdaFunctionScheduled',
  lambdaFunctionScheduledEventDetails: details({ resource: functionArn, input: json(input), inputDetails: NOT_TRUNCATED, timeoutInSeconds }),
});

export const lambdaFunctionStarted = (): NewHistoryEvent => ({ type: 'LambdaFunctionStarted' });

export const lambdaFunctionSucceeded = (output: JsonValue): NewHistoryEvent => ({
  type: 'LambdaFunctionSucceeded',
  lambdaFunctionSucceededEventDetails: { output: json(output), outputDetails: NOT_TRUNCATED },
});

export const lambdaFunctionFailed = (failure: ErrorAndCause): NewHistoryEvent => ({
  type: 'LambdaFunctionFailed',
  lambdaFunctionFailedEventDetails: details({ ...failure }),
});

export const lambdaFunctionTimedOut = (failure: ErrorAndCause): NewHistoryEvent => ({
  type: 'LambdaFunctionTimedOut',
  lambdaFunctionTimedOutEventDetails: details({ ...failure }),
});

export const mapIteration = (
  type: 'MapIterationStarted' | 'MapIterationSucceeded' | 'MapIterationFailed',
  name: string,
  index: number,
): NewHistoryEvent => {
  switch (type) {
    case 'MapIterationStarted':
      return { type, mapIterationStartedEventDetails: { name, index } };
    case 'MapIterationSucceeded':
      return { type, mapIterationSucceededEventDetails: { name, index } };
    case 'MapIterationFailed':
      return { type, mapIterationFailedEventDetails: { name, index } };
  }
};

export const mapOrParallelFailed = (stateType: 'Map' | 'Parallel'): NewHistoryEvent => ({ type: `${stateType}StateFailed` });
