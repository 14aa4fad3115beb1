import { FunctionError } from '#local/ports';

/**
 * The errors Lambda itself reports (as opposed to errors a handler throws),
 * with the errorType strings Lambda uses, which is what Step Functions
 * matches in Retry and Catch.
 */
export const LAMBDA_ERROR_TYPES = {
  /** The function ran past its timeout. */
  timeout: 'Sandbox.Timedout',
  /** The execution environment exited (process.exit, a crash, or it stopped answering). */
  exit: 'Runtime.ExitError',
  notFound: 'Lambda.ResourceNotFoundException',
  throttled: 'Lambda.TooManyRequestsException',
} as const;

export const timeoutError = (requestId: string, timeoutSeconds: number) =>
  new FunctionError(LAMBDA_ERROR_TYPES.timeout, `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);

export const exitError = (requestId: string, reason: string) =>
  new FunctionError(LAMBDA_ERROR_TYPES.exit, `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`);

export const functionNotFoundError = (functionNameOrArn: string) =>
  new FunctionError(LAMBDA_ERROR_TYPES.notFound, `Function not found: ${functionNameOrArn}`);

export const throttledError = () => new FunctionError(LAMBDA_ERROR_TYPES.throttled, 'Rate Exceeded.');
