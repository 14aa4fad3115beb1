import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { sourceMappedStack } from './source-mapped-stack.ts';

/**
 * One Logger, Tracer and Metrics instance per function. The service name and
 * metrics namespace come from POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_METRICS_NAMESPACE, which the stack sets per function.
 */
/** A logged error's stack, mapped to the TypeScript sources now that the functions load no source map at start. */
const readableStack = (key: string, value: unknown): unknown => (key === 'stack' && typeof value === 'string' ? sourceMappedStack(value) : value);

export const logger = new Logger({
  // Payment tokens never reach a log line, even through a careless `logger.info(event)`.
  jsonReplacerFn: (key: string, value: unknown) => (key === 'paymentToken' ? '[REDACTED]' : readableStack(key, value)),
});
export const tracer = new Tracer();
export const metrics = new Metrics();
