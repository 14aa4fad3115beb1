import { setTimeout as sleep } from 'node:timers/promises';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { documentClient, sfnClient, sqsClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { logger, metrics } from '#commons/powertools';
import { createDynamoDbPendingStartStore } from '#domain/orders/adapters/dynamodb-pending-start-store';
import { createSfnExecutionStarter } from '#domain/orders/adapters/sfn-execution-starter';
import { createSqsPurchaseQueue } from '#domain/orders/adapters/sqs-purchase-queue';
import { isTransientError } from '#domain/orders/adapters/transient-errors';
import { isFailure, startPurchases, type StartPurchasesDependencies, type StartResult } from '#domain/orders/purchase-starter';

/**
 * The purchase queue's consumer: one saga execution per message, named after
 * the purchase so a redelivered message never starts a second one. Each
 * start is claimed on the purchase record first, so a purchase the sweeper
 * failed for the buyer is never started. Throttling is retried with backoff
 * inside the invocation and then deferred, never dead-lettered; other
 * failures are reported per message, so only those come back (and, after the
 * queue's maxReceiveCount, land in the DLQ).
 */
const config = readConfig(['stateMachineArn', 'purchasesTable', 'purchaseQueueUrl', 'purchaseQueueMaxReceiveCount']);
const maxReceiveCount = z.coerce.number().int().positive().parse(config.purchaseQueueMaxReceiveCount);
const claims = createDynamoDbPendingStartStore({ client: documentClient, tableName: config.purchasesTable });
const startExecution = createSfnExecutionStarter({ client: sfnClient, stateMachineArn: config.stateMachineArn });
const enqueue = createSqsPurchaseQueue({ client: sqsClient, queueUrl: config.purchaseQueueUrl });

/** SQS sends the count as text; a record without it is on its first receive. */
const receiveCountSchema = z.coerce.number().int().positive().catch(1);

/** The budget when no Lambda context says how much time is left. */
const DEFAULT_REMAINING_MS = 10_000;

const report = (result: StartResult) => {
  switch (result.outcome) {
    case 'started':
      logger.info('Saga started', { purchaseId: result.purchaseId, messageId: result.messageId, attempts: result.attempts });
      return;
    case 'alreadyStarted':
      logger.info('Saga already started: message was a redelivery', { purchaseId: result.purchaseId, messageId: result.messageId });
      return;
    case 'progressed':
      logger.info('Purchase already past QUEUED: nothing to start', { purchaseId: result.purchaseId, messageId: result.messageId });
      return;
    case 'refused':
      logger.warn('Purchase was failed for the buyer before it started: not starting it', { purchaseId: result.purchaseId, messageId: result.messageId });
      return;
    case 'deferred':
      logger.warn('Saga start still throttled: message sent again with a delay', {
        purchaseId: result.purchaseId,
        messageId: result.messageId,
        delaySeconds: result.delaySeconds,
        error: result.error,
      });
      return;
    case 'invalid':
      logger.error('Message is not a saga input', { messageId: result.messageId, issues: result.issues });
      return;
    case 'failed':
      logger.error(result.deadLettered ? 'Saga not started on the last receive: the message goes to the DLQ and the sweeper fails the purchase' : 'Saga not started; the message will be retried', {
        purchaseId: result.purchaseId,
        messageId: result.messageId,
        error: result.error,
      });
  }
};

const count = (results: readonly StartResult[], outcome: StartResult['outcome']) => results.filter((r) => r.outcome === outcome).length;

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  if (context) logger.addContext(context);
  const deps: StartPurchasesDependencies = {
    claims,
    maxReceiveCount,
    start: startExecution,
    enqueue,
    isTransient: isTransientError,
    now: () => new Date(),
    remainingTimeMs: () => context?.getRemainingTimeInMillis() ?? DEFAULT_REMAINING_MS,
    sleep: (ms) => sleep(ms),
    random: Math.random,
  };
  const results = await startPurchases(
    deps,
    event.Records.map((record) => ({
      messageId: record.messageId,
      body: record.body,
      receiveCount: receiveCountSchema.parse(record.attributes.ApproximateReceiveCount),
    })),
  );
  results.forEach(report);
  const failures = results.filter(isFailure);
  metrics.addMetric('SagasStarted', MetricUnit.Count, count(results, 'started'));
  metrics.addMetric('SagaStartsDeferred', MetricUnit.Count, count(results, 'deferred'));
  metrics.addMetric('SagaStartsRefused', MetricUnit.Count, count(results, 'refused'));
  metrics.addMetric('SagaStartFailures', MetricUnit.Count, failures.length);
  metrics.publishStoredMetrics();
  return { batchItemFailures: failures.map((result) => ({ itemIdentifier: result.messageId })) };
};
