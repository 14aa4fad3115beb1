import { DependencyUnavailableError } from '#domain/errors';

/**
 * Turns the errors of an AWS dependency that are worth retrying (throttling,
 * 5xx, network failures, an idempotency store that could not be reached, a
 * PutEvents that kept failing) into DependencyUnavailableError, the one
 * transient error the state machine retries by name. Every step is
 * idempotent, so running it again after such an error is safe. Any other
 * error is returned unchanged: typed domain errors keep their names.
 */

const THROTTLING_OR_SERVER_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'TransactionInProgressException',
]);

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Errors of Powertools idempotency and of our publisher that mean "the store or bus did not answer". */
const TRANSIENT_WRAPPER_ERRORS = new Set([
  'IdempotencyPersistenceLayerError',
  'IdempotencyInconsistentStateError',
  'EventPublishError',
]);

const SERVER_ERROR_STATUS = 500;
/** Wrapped errors nest their cause; a few levels is all the SDK and Powertools use. */
const MAX_CAUSE_DEPTH = 5;

interface ErrorFacts {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly cause?: unknown;
}

const isTransientItself = (error: ErrorFacts): boolean => {
  if (typeof error.name === 'string' && (THROTTLING_OR_SERVER_ERRORS.has(error.name) || TRANSIENT_WRAPPER_ERRORS.has(error.name))) return true;
  if (typeof error.code === 'string' && NETWORK_ERROR_CODES.has(error.code)) return true;
  if (error.$retryable !== undefined) return true;
  const status = error.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= SERVER_ERROR_STATUS;
};

/** True when the error, or an error it wraps, is a throttling, server or network failure. */
export const isTransientDependencyError = (error: unknown): boolean => {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const facts = current as ErrorFacts;
    if (isTransientItself(facts)) return true;
    current = facts.cause;
  }
  return false;
};

/** The error a step handler should throw for `error` (see the module comment). */
export const toStepError = (error: unknown): unknown => {
  if (error instanceof DependencyUnavailableError || !isTransientDependencyError(error)) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new DependencyUnavailableError(`A dependency is unavailable (${name}: ${message})`, { cause: error });
};
