import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FunctionInvoker, InvocationContext } from '#local/ports';
import { toJsonValue, type JsonValue } from './json.ts';
import { StatesRuntimeError, TaskFailedError } from './task-errors.ts';

/**
 * Lambda as a Task resource, both ways AWS offers it:
 * - `arn:aws:states:::lambda:invoke` (the optimized integration): Parameters
 *   are the Invoke request, the result is the Invoke response
 *   `{ Payload, StatusCode: 200, ExecutedVersion, ... }`;
 * - the function ARN itself as Resource: the state input is the event and
 *   the function's return value is the result.
 * A function error becomes a task failure named after the function's
 * errorType, with the JSON of {errorType, errorMessage, trace} as its cause.
 */

export const LAMBDA_INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';

const invokeParametersSchema = z.object({
  FunctionName: z.string().min(1),
  Payload: z.unknown(),
  // Only synchronous invocation returns a result the state can use.
  InvocationType: z.literal('RequestResponse').optional(),
  Qualifier: z.string().optional(),
  ClientContext: z.string().optional(),
  LogType: z.enum(['None', 'Tail']).optional(),
});

const functionErrorSchema = z.object({
  name: z.literal('FunctionError'),
  errorType: z.string(),
  errorMessage: z.string(),
  trace: z.array(z.string()).optional(),
});

/** Errors of the Lambda service itself (not of the function) are reported as `Lambda.<Exception>`. */
const lambdaServiceError = (error: unknown): TaskFailedError => {
  const name = error instanceof Error ? error.name : 'ServiceException';
  const message = error instanceof Error ? error.message : String(error);
  return new TaskFailedError(name.endsWith('Exception') ? `Lambda.${name}` : 'Lambda.ServiceException', message);
};

/** Errors the local Lambda runtime reports as the service's own (throttling, function not found): their cause is the plain message. */
const LAMBDA_SERVICE_ERROR_PREFIX = 'Lambda.';

const toTaskFailure = (error: unknown): TaskFailedError => {
  const functionError = functionErrorSchema.safeParse(error);
  if (!functionError.success) return lambdaServiceError(error);
  const { errorType, errorMessage, trace = [] } = functionError.data;
  if (errorType.startsWith(LAMBDA_SERVICE_ERROR_PREFIX)) return new TaskFailedError(errorType, errorMessage);
  return new TaskFailedError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
};

const invoke = async (invoker: FunctionInvoker, functionName: string, event: unknown, context: InvocationContext = {}): Promise<JsonValue> => {
  try {
    return toJsonValue(await invoker.invoke(functionName, event, context));
  } catch (error) {
    throw toTaskFailure(error);
  }
};

export const invokeOptimized = async (invoker: FunctionInvoker, parameters: JsonValue, context?: InvocationContext): Promise<JsonValue> => {
  const parsed = invokeParametersSchema.safeParse(parameters);
  if (!parsed.success) throw new StatesRuntimeError(`Invalid lambda:invoke parameters: ${z.prettifyError(parsed.error)}`);
  const { FunctionName, Qualifier, Payload } = parsed.data;
  const payload = await invoke(invoker, Qualifier ? `${FunctionName}:${Qualifier}` : FunctionName, Payload, context);
  return {
    ExecutedVersion: Qualifier ?? '$LATEST',
    Payload: payload,
    SdkHttpMetadata: { HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: randomUUID() },
    StatusCode: 200,
  };
};

export const invokeFunctionArn = (invoker: FunctionInvoker, functionArn: string, input: JsonValue, context?: InvocationContext): Promise<JsonValue> =>
  invoke(invoker, functionArn, input, context);
