import type { Context } from 'aws-lambda';
import { documentClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { logger } from '#commons/powertools';
import { createDynamoDbSeatAvailabilityStore } from '#domain/catalog/adapters/dynamodb-seat-availability-store';
import { seatAvailabilityChangesFor } from '#domain/catalog/seat-availability-projection';
import { UnknownEventError, parseDomainEvent } from '#events/envelope';

/**
 * EventBridge target: keeps the seat availability read model in step with
 * SeatsReserved, SeatsReleased and PurchaseConfirmed. A seat changes only
 * when the event carries a newer seat version than the stored one.
 */
const config = readConfig(['seatAvailabilityTable']);
const seats = createDynamoDbSeatAvailabilityStore({ client: documentClient, tableName: config.seatAvailabilityTable });

export const handler = async (event: unknown, context?: Context): Promise<void> => {
  if (context) logger.addContext(context);
  let parsed: ReturnType<typeof parseDomainEvent>;
  try {
    parsed = parseDomainEvent(event);
  } catch (error) {
    if (error instanceof UnknownEventError) {
      logger.warn('Ignoring an event this projection does not know', { detailType: error.detailType });
      return;
    }
    throw error;
  }
  const { detailType, detail } = parsed;
  const changes = seatAvailabilityChangesFor(detailType, detail);
  // At most 10 seats per purchase: all in parallel.
  const outcomes = await Promise.all(changes.map((change) => seats.applyChange(change)));
  logger.info('Seat availability projected', {
    purchaseId: detail.purchaseId,
    detailType,
    applied: outcomes.filter((outcome) => outcome === 'applied').length,
    stale: outcomes.filter((outcome) => outcome === 'stale').length,
  });
};
