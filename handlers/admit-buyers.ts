import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { documentClient, sfnClient, sqsClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { logger, metrics } from '#commons/powertools';
import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';
import { createGatedConcertFinder } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { createDynamoDbRoomAdmissionStore } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import { createStoppedExecutionsHealthCheck } from '#domain/waiting-room/adapters/sfn-saga-health';
import { createSqsSagaHealthCheck } from '#domain/waiting-room/adapters/sqs-saga-health';
import { admitBuyers, type AdmitBuyersDependencies } from '#domain/waiting-room/admit-buyers';
import { combineSagaHealthChecks } from '#domain/waiting-room/saga-health';

/**
 * Scheduled by an EventBridge rule (every minute): draws each room's
 * pre-queue at its on-sale start, then admits the next buyers at the
 * configured rate while the purchase saga is healthy: its dead-letter
 * queue empty and no execution stopped FAILED, TIMED_OUT or ABORTED in the
 * last minutes (see domain/waiting-room/admit-buyers.ts). A health check
 * that fails fails the run: nobody is admitted on a health not read.
 */
const config = readConfig(['concertsTable', 'waitingRoomTable', 'purchaseDeadLetterQueueUrl', 'stateMachineArn']);

/** Parallel writes of the draw: enough to number a large pre-queue within the run, few enough not to be throttled. */
const DRAW_WRITE_CONCURRENCY = 25;

const dependencies: AdmitBuyersDependencies = {
  findConcert: createGatedConcertFinder({ client: documentClient, tableName: config.concertsTable, withAdmissionKey: false }),
  rooms: createDynamoDbRoomAdmissionStore({ client: documentClient, tableName: config.waitingRoomTable }),
  sagaHealth: combineSagaHealthChecks(
    createSqsSagaHealthCheck({ client: sqsClient, deadLetterQueueUrl: config.purchaseDeadLetterQueueUrl }),
    createStoppedExecutionsHealthCheck({ client: sfnClient, stateMachineArn: config.stateMachineArn, now: () => new Date() }),
  ),
  now: () => new Date(),
  forEachLimited: async (items, work) => {
    await mapWithConcurrency(items, DRAW_WRITE_CONCURRENCY, work);
  },
};

/** The scheduled event EventBridge sends; only its shape is checked, the run needs nothing from it. */
const scheduledEventSchema = z.looseObject({ 'detail-type': z.literal('Scheduled Event'), source: z.literal('aws.events') });

export const handler = async (event: unknown, context?: Context): Promise<{ admitted: number }> => {
  if (context) logger.addContext(context);
  scheduledEventSchema.parse(event);
  const runs = await admitBuyers(dependencies);
  let admitted = 0;
  for (const run of runs) {
    switch (run.outcome) {
      case 'admitted':
        admitted += run.admitted;
        if (run.drawn > 0 || run.admitted > 0) logger.info('Buyers admitted', { ...run });
        break;
      case 'paused':
        logger.warn('Admission paused: the purchase saga is unhealthy', { ...run });
        metrics.addMetric('AdmissionPaused', MetricUnit.Count, 1);
        break;
      case 'conflict':
        logger.warn('Another admitter run wrote the room first: this one changed nothing', { concertId: run.concertId });
        break;
      default:
        break;
    }
  }
  metrics.addMetric('BuyersAdmitted', MetricUnit.Count, admitted);
  metrics.publishStoredMetrics();
  return { admitted };
};
