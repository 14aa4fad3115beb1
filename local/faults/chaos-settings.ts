import { z } from 'zod';

/**
 * The seeded chaos settings of the local runtime: for each kind of fault of
 * the fault model (DESIGN.md), the probability that one opportunity of that
 * kind (an invocation, a request, a delivery) goes wrong. Faults are
 * injected only at boundaries the runtime owns; handler code never sees a
 * random number.
 */
export const FAULT_KINDS = [
  /** Lambda.ServiceException, the handler does not run. */
  'lambda.errorBeforeHandler',
  /** The handler runs, the caller gets Lambda.ServiceException. */
  'lambda.answerLost',
  /** The caller gets Sandbox.Timedout, before or after the handler ran (drawn from the seeded stream). */
  'lambda.sandboxTimedout',
  /** Runtime.ExitError, the handler does not run (a crashed runtime). */
  'lambda.runtimeExitError',
  /** Lambda.TooManyRequestsException, the handler does not run. */
  'lambda.throttled',
  /** The answer arrives after the calling Task state's TimeoutSeconds (the engine raises States.Timeout); the handler runs. */
  'lambda.slowerThanTaskTimeout',
  /** The same invocation runs twice at once; the first answer is returned. */
  'lambda.concurrentDuplicate',
  /** StartExecution answers ThrottlingException (400, as AWS does). */
  'sfn.startExecutionThrottled',
  /** ThrottlingException or ProvisionedThroughputExceededException. */
  'dynamodb.throttled',
  /** TransactWriteItems: TransactionCanceledException with a TransactionConflict reason. */
  'dynamodb.transactionConflict',
  /** InternalServerError (500), before or after DynamoDB carried the request out. */
  'dynamodb.internalError',
  /** The request is delayed (50-500 ms) but succeeds. */
  'dynamodb.latency',
  /** The whole PutEvents call fails (500 InternalException or 400 ThrottlingException). */
  'eventbridge.putEventsFailed',
  /** Some entries fail (FailedEntryCount > 0, ErrorCode InternalFailure), the rest are accepted. */
  'eventbridge.putEventsPartiallyFailed',
  /** A rule target gets the same event twice. */
  'eventbridge.duplicateDelivery',
  /** A rule target gets the event after a delay of seconds, possibly after later events. */
  'eventbridge.lateDelivery',
  /** An event source mapping hands a batch of messages to the function twice. */
  'sqs.duplicateDelivery',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export const chaosSettingsSchema = z.object({
  seed: z.number().int(),
  /** Probability per opportunity (0..1) of each kind; absent kinds never fire. */
  rates: z.partialRecord(z.enum(FAULT_KINDS), z.number().min(0).max(1)),
  /** Only these functions (logical id or name) get Lambda faults. @default all */
  functions: z.array(z.string()).optional(),
});

export type ChaosSettings = z.infer<typeof chaosSettingsSchema>;

/** A count of zero for every kind. */
export const noFaults = (): Record<FaultKind, number> => Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
