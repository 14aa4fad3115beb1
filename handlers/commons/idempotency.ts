import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDbClient } from './clients.ts';
import { readConfig } from './config.ts';

/**
 * Powertools idempotency for the saga steps: the second layer behind each
 * step's own conditional writes. A step that already succeeded for a
 * purchaseId returns its stored result instead of running again; one still
 * running makes a duplicate fail with IdempotencyAlreadyInProgressError,
 * which the state machine retries.
 */

const config = readConfig(['idempotencyTable']);

/** A record outlives any execution (15 min) and its redrives within the day. */
export const IDEMPOTENCY_RECORD_SECONDS = 24 * 60 * 60;

export interface IdempotentStepOptions {
  /** Separates the records of each handler in the shared table, e.g. "reserve-seats". */
  readonly keyPrefix: string;
  /** Where the idempotency key sits in the payload, e.g. "purchaseId" or "saga.purchaseId". */
  readonly eventKeyJmesPath: string;
}

/**
 * Wraps a step so that it runs at most once per key. The key must be present:
 * a payload without one is rejected rather than run without protection.
 */
export const makeIdempotentStep = <TPayload, TResult>(
  step: (payload: TPayload, context: Context) => Promise<TResult>,
  options: IdempotentStepOptions,
): ((payload: TPayload, context: Context) => Promise<TResult>) =>
  makeIdempotent(step, {
    // One persistence layer per step: a layer keeps the first key path it is configured with,
    // so steps sharing one (several handlers in one process, as in tests) would share its key path.
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: config.idempotencyTable, awsSdkV3Client: dynamoDbClient }),
    keyPrefix: options.keyPrefix,
    config: new IdempotencyConfig({
      eventKeyJmesPath: options.eventKeyJmesPath,
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: IDEMPOTENCY_RECORD_SECONDS,
    }),
  });
