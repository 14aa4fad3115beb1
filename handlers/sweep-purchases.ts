import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { documentClient, eventBridgeClient, sfnClient, sqsClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { logger, metrics } from '#commons/powertools';
import { createDynamoDbPendingStartStore } from '#domain/orders/adapters/dynamodb-pending-start-store';
import { createDynamoDbPurchaseStore } from '#domain/orders/adapters/dynamodb-purchase-store';
import { createSfnExecutionLookup } from '#domain/orders/adapters/sfn-execution-lookup';
import { createSqsPurchaseQueue } from '#domain/orders/adapters/sqs-purchase-queue';
import { sweepPendingPurchases, type SweepDependencies, type SweepOutcome, type SweepSettings } from '#domain/orders/purchase-sweeper';
import { createEventPublisher } from '#events/publisher';

/**
 * Scheduled by an EventBridge rule: finds purchases that have waited too
 * long without an execution and queues them again or fails them for the
 * buyer (see domain/orders/purchase-sweeper.ts). A sweep that could not
 * handle every purchase fails the invocation, which raises the sweeper's alarm.
 */
const config = readConfig([
  'purchasesTable',
  'purchaseQueueUrl',
  'stateMachineArn',
  'eventBusName',
  'sweepStaleAfterSeconds',
  'sweepMaxRequeues',
]);

const settings: SweepSettings = z
  .object({ staleAfterSeconds: z.coerce.number().int().positive(), maxRequeues: z.coerce.number().int().nonnegative() })
  .parse({ staleAfterSeconds: config.sweepStaleAfterSeconds, maxRequeues: config.sweepMaxRequeues });

const dependencies: SweepDependencies = {
  pending: createDynamoDbPendingStartStore({ client: documentClient, tableName: config.purchasesTable }),
  purchases: createDynamoDbPurchaseStore({ client: documentClient, tableName: config.purchasesTable }),
  executionExists: createSfnExecutionLookup({ client: sfnClient, stateMachineArn: config.stateMachineArn }),
  enqueue: createSqsPurchaseQueue({ client: sqsClient, queueUrl: config.purchaseQueueUrl }),
  publish: createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName }),
  now: () => new Date(),
};

/** The scheduled event EventBridge sends; only its shape is checked, the sweep needs nothing from it. */
const scheduledEventSchema = z.looseObject({ 'detail-type': z.literal('Scheduled Event'), source: z.literal('aws.events') });

export class SweepIncompleteError extends Error {
  override readonly name = 'SweepIncompleteError';
}

const METRIC_OF: Readonly<Record<SweepOutcome['action'], string>> = {
  cleared: 'SweepMarkersCleared',
  requeued: 'SweepPurchasesRequeued',
  failed: 'SweepPurchasesFailed',
  failureRepublished: 'SweepFailuresRepublished',
  skipped: 'SweepPurchasesSkipped',
  unusable: 'SweepPurchasesUnusable',
  error: 'SweepErrors',
};

export const handler = async (event: unknown, context?: Context): Promise<{ swept: number }> => {
  if (context) logger.addContext(context);
  scheduledEventSchema.parse(event);
  const outcomes = await sweepPendingPurchases(dependencies, settings);
  for (const outcome of outcomes) {
    if (outcome.action === 'error') logger.error('Purchase not swept', { purchaseId: outcome.purchaseId, error: outcome.error });
    else if (outcome.action === 'failed') logger.warn('Purchase never started: failed for the buyer', { purchaseId: outcome.purchaseId });
    else if (outcome.action === 'unusable') logger.error('Purchase record lacks what a message or event needs', { purchaseId: outcome.purchaseId });
    else logger.info('Purchase swept', { purchaseId: outcome.purchaseId, action: outcome.action });
  }
  for (const [action, metric] of Object.entries(METRIC_OF)) {
    metrics.addMetric(metric, MetricUnit.Count, outcomes.filter((outcome) => outcome.action === action).length);
  }
  metrics.publishStoredMetrics();
  const troubled = outcomes.filter((outcome) => outcome.action === 'error' || outcome.action === 'unusable');
  if (troubled.length > 0) {
    throw new SweepIncompleteError(`${troubled.length} of ${outcomes.length} purchase(s) could not be swept: ${troubled.map((o) => o.purchaseId).join(', ')}`);
  }
  return { swept: outcomes.length };
};
