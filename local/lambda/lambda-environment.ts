import { functionAccessKeyId } from '#local/iam/function-principals';
import { LOCAL_REGION } from '#local/ports';
import type { LocalFunction } from '#local/template/local-app';

/**
 * The environment a function runs with locally: its variables from the
 * template, then the local settings every function shares (endpoints,
 * region, credentials, tracing off), then the variables Lambda itself sets
 * and a function cannot override.
 */

/** Local service endpoints; each becomes the standard AWS_ENDPOINT_URL_<SERVICE> the SDK v3 clients read. */
export interface LocalServiceEndpoints {
  readonly dynamodb?: string;
  readonly sqs?: string;
  readonly stepFunctions?: string;
  readonly eventBridge?: string;
}

/** The local services do not check signatures, but the SDK signs every request, so it needs some credentials. */
const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

/** Settings every local function shares. */
export const localServiceEnvironment = (endpoints: LocalServiceEndpoints): Record<string, string> => ({
  ...(endpoints.dynamodb ? { AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb } : {}),
  ...(endpoints.sqs ? { AWS_ENDPOINT_URL_SQS: endpoints.sqs } : {}),
  ...(endpoints.stepFunctions ? { AWS_ENDPOINT_URL_SFN: endpoints.stepFunctions } : {}),
  ...(endpoints.eventBridge ? { AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventBridge } : {}),
  AWS_REGION: LOCAL_REGION,
  AWS_DEFAULT_REGION: LOCAL_REGION,
  ...DUMMY_CREDENTIALS,
  // There is no X-Ray daemon locally: Powertools' tracer stays off and the X-Ray SDK stays quiet.
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_XRAY_SDK_ENABLED: 'false',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  // The SDK warns about the local Node.js version in every function's log; on AWS the template's runtime applies.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

/** The log group and stream names Lambda would use. */
export const logGroupNameOf = (fn: Pick<LocalFunction, 'name'>) => `/aws/lambda/${fn.name}`;
export const LOCAL_LOG_STREAM = '$LATEST-local';

/**
 * The complete environment of one function's worker. `maxConcurrency` is
 * published as AWS_LAMBDA_MAX_CONCURRENCY, which tells Powertools to keep
 * per-invocation state apart (see function-worker-entry.mjs).
 */
export const functionEnvironment = (fn: LocalFunction, shared: Readonly<Record<string, string>>, maxConcurrency: number): Record<string, string> => ({
  ...fn.environment,
  ...shared,
  // Its own key: the runtime's proxies tell the functions apart by it and enforce each one's role (local/iam).
  AWS_ACCESS_KEY_ID: functionAccessKeyId(fn),
  ...(process.env.PATH ? { PATH: process.env.PATH } : {}),
  AWS_LAMBDA_FUNCTION_NAME: fn.name,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
  AWS_LAMBDA_LOG_GROUP_NAME: logGroupNameOf(fn),
  AWS_LAMBDA_LOG_STREAM_NAME: LOCAL_LOG_STREAM,
  AWS_LAMBDA_MAX_CONCURRENCY: String(maxConcurrency),
  AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
  // Each worker starts cold on demand; Powertools reads this to mark the first invocation's logs cold_start.
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  LAMBDA_TASK_ROOT: fn.codeDir,
});
