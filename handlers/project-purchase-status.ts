import type { Context } from 'aws-lambda';
import { documentClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { logger } from '#commons/powertools';
import { createDynamoDbPurchaseStore } from '#domain/orders/adapters/dynamodb-purchase-store';
import { purchaseStatusUpdateFor } from '#domain/orders/purchase-status-projection';
import { UnknownEventError, parseDomainEvent } from '#events/envelope';

/**
 * EventBridge target: keeps the purchase status read model (the purchases
 * table) in step with the saga's events. Every update is conditional on the
 * status rank or sets facts that do not depend on order, so replays and late
 * deliveries change nothing.
 */
const config = readConfig(['purchasesTable']);
const purchases = createDynamoDbPurchaseStore({ client: documentClient, tableName: config.purchasesTable });

export const handler = async (event: unknown, context?: Context): Promise<void> => {
  if (context) logger.addContext(context);
  let parsed: ReturnType<typeof parseDomainEvent>;
  try {
    parsed = parseDomainEvent(event);
  } catch (error) {
    // A detail-type this version does not know (a newer producer): nothing to project, and retrying will not help.
    if (error instanceof UnknownEventError) {
      logger.warn('Ignoring an event this projection does not know', { detailType: error.detailType });
      return;
    }
    throw error;
  }
  const { detailType, detail, envelope } = parsed;
  const update = purchaseStatusUpdateFor(detailType, detail);
  if (!update) return;
  const outcome = await purchases.applyStatusUpdate(update);
  logger.info('Purchase status projected', {
    purchaseId: update.purchaseId,
    detailType,
    outcome,
    ...(envelope['replay-name'] ? { replayName: envelope['replay-name'] } : {}),
  });
};
