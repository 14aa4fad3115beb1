import { documentClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { HTTP_STATUS, buyerIdFrom, httpHandler, jsonResponse, notFound, unauthorized } from '#commons/http';
import { logger } from '#commons/powertools';
import { createDynamoDbPurchaseStore } from '#domain/orders/adapters/dynamodb-purchase-store';
import { purchaseViewFor } from '#domain/orders/purchase-view';
import { purchaseIdSchema } from '#events/metadata';

/** GET /purchases/{purchaseId}: the purchase's status for its buyer; the same 404 for everyone else. */
const config = readConfig(['purchasesTable']);
const purchases = createDynamoDbPurchaseStore({ client: documentClient, tableName: config.purchasesTable });

const purchaseNotFound = () => notFound('PurchaseNotFound', 'No purchase with this id was found for you');

export const handler = httpHandler(async (event) => {
  const buyerId = buyerIdFrom(event);
  if (buyerId === undefined) return unauthorized();

  // A malformed id cannot name a purchase: same answer as an unknown one.
  const purchaseId = purchaseIdSchema.safeParse(event.pathParameters?.purchaseId);
  if (!purchaseId.success) return purchaseNotFound();
  logger.appendKeys({ purchaseId: purchaseId.data });

  const view = purchaseViewFor(await purchases.find(purchaseId.data), buyerId);
  return view ? jsonResponse(HTTP_STATUS.ok, view) : purchaseNotFound();
});
