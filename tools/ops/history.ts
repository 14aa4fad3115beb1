import { z } from 'zod';

/**
 * The part of a Step Functions history event (GetExecutionHistory) the tools
 * read. The SDK hands timestamps over as Dates; the API's wire format and
 * the AWS CLI's JSON (which the test fixtures are) carry epoch seconds or ISO
 * strings, so all three are accepted. The inputs and outputs (JSON text)
 * are kept for the web console, which shows them masked; the commands read
 * only a state's output on exit, which tells how a compensation ended.
 */
const timestampSchema = z.union([
  z.date(),
  z.number().transform((epochSeconds) => new Date(epochSeconds * 1_000)),
  z.string().transform((text, context) => {
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) context.issues.push({ code: 'custom', message: `not a timestamp: ${text}`, input: text });
    return date;
  }),
]);

const errorDetailsSchema = z.object({ error: z.string().optional(), cause: z.string().optional() }).optional();

const historyEventSchema = z.object({
  id: z.number().int(),
  previousEventId: z.number().int().optional(),
  timestamp: timestampSchema,
  type: z.string(),
  executionStartedEventDetails: z.object({ input: z.string().optional() }).optional(),
  stateEnteredEventDetails: z.object({ name: z.string(), input: z.string().optional() }).optional(),
  stateExitedEventDetails: z.object({ name: z.string(), output: z.string().optional() }).optional(),
  taskScheduledEventDetails: z.object({ resource: z.string().optional(), parameters: z.string().optional() }).optional(),
  taskSucceededEventDetails: z.object({ output: z.string().optional() }).optional(),
  lambdaFunctionScheduledEventDetails: z.object({ resource: z.string().optional(), input: z.string().optional() }).optional(),
  lambdaFunctionSucceededEventDetails: z.object({ output: z.string().optional() }).optional(),
  taskFailedEventDetails: errorDetailsSchema,
  taskTimedOutEventDetails: errorDetailsSchema,
  taskStartFailedEventDetails: errorDetailsSchema,
  taskSubmitFailedEventDetails: errorDetailsSchema,
  lambdaFunctionFailedEventDetails: errorDetailsSchema,
  lambdaFunctionTimedOutEventDetails: errorDetailsSchema,
  lambdaFunctionStartFailedEventDetails: errorDetailsSchema,
  lambdaFunctionScheduleFailedEventDetails: errorDetailsSchema,
  executionFailedEventDetails: errorDetailsSchema,
  executionTimedOutEventDetails: errorDetailsSchema,
  executionAbortedEventDetails: errorDetailsSchema,
  executionSucceededEventDetails: z.object({ output: z.string().optional() }).optional(),
  executionRedrivenEventDetails: z.object({ redriveCount: z.number().int().optional() }).optional(),
});
export type HistoryEvent = z.infer<typeof historyEventSchema>;

/** One page of GetExecutionHistory, as the API and `aws stepfunctions get-execution-history` return it. */
export const historyPageSchema = z.object({
  events: z.array(historyEventSchema),
  nextToken: z.string().optional(),
});

/** The error an attempt or an execution ended with, and its cause when the cause is a Lambda error document. */
export interface StepError {
  readonly error: string;
  readonly cause?: string;
  /** From a cause like {"errorType":"PaymentDeclined","errorMessage":"...","trace":[...]}. */
  readonly errorType?: string;
  readonly errorMessage?: string;
}

const lambdaErrorCauseSchema = z.object({ errorType: z.string().optional(), errorMessage: z.string().optional() });

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export const toStepError = (details: { error?: string | undefined; cause?: string | undefined } | undefined): StepError => {
  const error = details?.error || 'Unknown';
  const cause = details?.cause || undefined;
  const parsed = cause === undefined ? undefined : lambdaErrorCauseSchema.safeParse(parseJson(cause));
  return {
    error,
    ...(cause === undefined ? {} : { cause }),
    ...(parsed?.success && parsed.data.errorType ? { errorType: parsed.data.errorType } : {}),
    ...(parsed?.success && parsed.data.errorMessage ? { errorMessage: parsed.data.errorMessage } : {}),
  };
};

/** "PaymentDeclined: The payment was declined", or the raw cause when it is not a Lambda error document. */
export const describeStepError = (error: StepError): string => {
  const detail = error.errorMessage ?? (error.errorType ? undefined : error.cause);
  return detail ? `${error.error}: ${detail}` : error.error;
};

const ATTEMPT_FAILURE_TYPES: ReadonlySet<string> = new Set([
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
]);

/** The failure of a task attempt, for every history event type that reports one; undefined for other events. */
export const attemptFailureOf = (event: HistoryEvent): StepError | undefined => {
  if (!ATTEMPT_FAILURE_TYPES.has(event.type)) return undefined;
  const details =
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails ??
    event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.lambdaFunctionStartFailedEventDetails ??
    event.lambdaFunctionScheduleFailedEventDetails;
  // A timeout without details is still a States.Timeout, the name Retry and Catch match it by.
  return toStepError(details ?? { error: event.type.endsWith('TimedOut') ? 'States.Timeout' : event.type });
};
