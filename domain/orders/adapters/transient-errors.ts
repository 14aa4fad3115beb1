/**
 * Whether an AWS call may succeed when simply tried again: throttling, the
 * service's own 5xx, a timeout or a dropped connection. Anything else (access
 * denied, a missing state machine, a validation error) fails the same way
 * every time and must reach a person instead of being retried for ever.
 */
const TRANSIENT_ERROR_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'InternalServerException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface ErrorFacts {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $retryable?: unknown;
}

export const isTransientError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const facts = error as ErrorFacts;
  if (typeof facts.name === 'string' && TRANSIENT_ERROR_NAMES.has(facts.name)) return true;
  if (typeof facts.code === 'string' && TRANSIENT_NETWORK_CODES.has(facts.code)) return true;
  if (facts.$retryable !== undefined && facts.$retryable !== null) return true;
  const status = facts.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status === 429 || status >= 500);
};
