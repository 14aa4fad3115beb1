import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sfnClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { logger, metrics } from '#commons/powertools';
import { isFailure, startPurchases, type StartResult } from '#domain/orders/purchase-starter';
import { createSfnExecutionStarter } from '#domain/orders/sfn-execution-starter';

/**
 * The purchase queue's consumer: one saga execution per message, named after
 * the purchase so a redelivered message never starts a second one. Failures
 * are reported per message, so only those come back (and, after the queue's
 * maxReceiveCount, land in the DLQ).
 */
const config = readConfig(['stateMachineArn']);
const startExecution = createSfnExecutionStarter({ client: sfnClient, stateMachineArn: config.stateMachineArn });

const report = (result: StartResult) => {
  switch (result.outcome) {
    case 'started':
      logger.info('Saga started', { purchaseId: result.purchaseId, messageId: result.messageId });
      return;
    case 'alreadyStarted':
      logger.info('Saga already started: message was a redelivery', { purchaseId: result.purchaseId, messageId: result.messageId });
      return;
    case 'invalid':
      logger.error('Message is not a saga input', { messageId: result.messageId, issues: result.issues });
      return;
    case 'failed':
      logger.warn('Saga not started; the message will be retried', {
        purchaseId: result.purchaseId,
        messageId: result.messageId,
        error: result.error,
      });
  }
};

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  if (context) logger.addContext(context);
  const results = await startPurchases(
    event.Records.map((record) => ({ messageId: record.messageId, body: record.body })),
    startExecution,
  );
  results.forEach(report);
  const failures = results.filter(isFailure);
  metrics.addMetric('SagasStarted', MetricUnit.Count, results.filter((r) => r.outcome === 'started').length);
  metrics.addMetric('SagaStartFailures', MetricUnit.Count, failures.length);
  metrics.publishStoredMetrics();
  return { batchItemFailures: failures.map((result) => ({ itemIdentifier: result.messageId })) };
};
