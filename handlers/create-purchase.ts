import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ADMISSION_TOKEN_HEADER, admissionRefusal } from '#commons/admission-gate';
import { documentClient, eventBridgeClient, sqsClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import {
  HTTP_STATUS,
  buyerIdFrom,
  errorResponse,
  fieldIssuesOf,
  headerOf,
  httpHandler,
  jsonResponse,
  notFound,
  readJsonBody,
  unauthorized,
  validationError,
  type FieldIssue,
  type HttpEvent,
} from '#commons/http';
import { logger, metrics } from '#commons/powertools';
import { createDynamoDbPurchaseStore } from '#domain/orders/adapters/dynamodb-purchase-store';
import { createSeatExistenceCheck } from '#domain/orders/adapters/dynamodb-seat-existence';
import { createSqsPurchaseQueue } from '#domain/orders/adapters/sqs-purchase-queue';
import { placePurchase, type PlacePurchaseDependencies } from '#domain/orders/place-purchase';
import { createGatedConcertFinder } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { correlationIdSchema, idempotencyKeySchema, purchaseRequestSchema } from '#domain/orders/purchase-request';
import { createEventPublisher } from '#events/publisher';

/** POST /purchases: records the request (QUEUED), queues it for the saga, answers 202 with where to poll. */
const config = readConfig(['purchasesTable', 'concertsTable', 'seatsTable', 'purchaseQueueUrl', 'eventBusName']);

/** The one read of the concert: whether it exists, its waiting room's gate, and its price bands. */
const findConcert = createGatedConcertFinder({ client: documentClient, tableName: config.concertsTable, withAdmissionKey: true, withPriceBands: true });

const dependencies: Omit<PlacePurchaseDependencies, 'concertPriceBands'> = {
  purchases: createDynamoDbPurchaseStore({ client: documentClient, tableName: config.purchasesTable }),
  unknownSeats: createSeatExistenceCheck({ client: documentClient, tableName: config.seatsTable }),
  enqueue: createSqsPurchaseQueue({ client: sqsClient, queueUrl: config.purchaseQueueUrl }),
  publish: createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName }),
  now: () => new Date(),
  newPurchaseId: () => randomUUID(),
};

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/** A caller's correlation id is kept when it is sane; otherwise the API's request id stands in. */
const correlationIdOf = (event: HttpEvent): string => {
  const given = correlationIdSchema.safeParse(headerOf(event, CORRELATION_ID_HEADER));
  return given.success ? given.data : (event.requestContext.requestId ?? randomUUID());
};

const concertNotFound = (concertId: string) => notFound('ConcertNotFound', `There is no concert "${concertId}"`);

export const statusUrlOf = (purchaseId: string) => `/purchases/${encodeURIComponent(purchaseId)}`;

export const handler = httpHandler(async (event) => {
  const buyerId = buyerIdFrom(event);
  if (buyerId === undefined) return unauthorized();

  const body = readJsonBody(event);
  if (!body.ok) return body.response;
  const request = purchaseRequestSchema.safeParse(body.value);
  const rawKey = headerOf(event, IDEMPOTENCY_KEY_HEADER);
  const idempotencyKey = rawKey === undefined ? undefined : idempotencyKeySchema.safeParse(rawKey);
  const issues: FieldIssue[] = [
    ...(request.success ? [] : fieldIssuesOf(request.error)),
    ...(idempotencyKey?.success === false ? fieldIssuesOf(idempotencyKey.error, IDEMPOTENCY_KEY_HEADER) : []),
  ];
  if (!request.success || issues.length > 0) return validationError(issues);

  const correlationId = correlationIdOf(event);
  logger.appendKeys({ correlationId, concertId: request.data.concertId });

  // The waiting room's step: a gated concert sells only to buyers it admitted.
  const concert = await findConcert(request.data.concertId);
  if (concert === undefined) return concertNotFound(request.data.concertId);
  const refusal = admissionRefusal(concert, buyerId, headerOf(event, ADMISSION_TOKEN_HEADER), new Date());
  if (refusal !== undefined) {
    metrics.addMetric('PurchaseRefusedWithoutAdmission', MetricUnit.Count, 1);
    return refusal;
  }

  // The concert was just read: placePurchase need not look it up again.
  const outcome = await placePurchase({ ...dependencies, concertPriceBands: async () => concert.priceBands ?? [] }, {
    buyerId,
    request: request.data,
    ...(idempotencyKey?.success ? { idempotencyKey: idempotencyKey.data } : {}),
    correlationId,
  });

  switch (outcome.kind) {
    case 'concertNotFound':
      return concertNotFound(outcome.concertId);
    case 'unknownSeats':
      return errorResponse(
        HTTP_STATUS.unprocessableContent,
        'UnknownSeats',
        `Concert "${outcome.concertId}" has no seat ${outcome.seatIds.join(', ')}`,
        [{ field: 'seatIds', message: `names seats the concert does not have: ${outcome.seatIds.join(', ')}` }],
      );
    case 'unknownPriceBand': {
      const known = outcome.priceBands.length > 0 ? outcome.priceBands.join(', ') : 'none (ask by quantity alone)';
      return errorResponse(
        HTTP_STATUS.unprocessableContent,
        'UnknownPriceBand',
        `Concert "${outcome.concertId}" has no price band ${outcome.priceBand}`,
        [{ field: 'priceBand', message: `is not a price band of the concert; its bands are ${known}` }],
      );
    }
    case 'idempotencyKeyReused':
      logger.info('Idempotency key reused with a different request', { purchaseId: outcome.purchaseId });
      return errorResponse(
        HTTP_STATUS.conflict,
        'IdempotencyKeyReused',
        `This ${IDEMPOTENCY_KEY_HEADER} was already used for a different request: send a new key for a new purchase`,
      );
    case 'accepted': {
      const { purchaseId, replayed } = outcome;
      logger.appendKeys({ purchaseId });
      if (outcome.enqueueError !== undefined) {
        logger.error('Purchase recorded but its message was not sent: the sweeper will queue it', { error: outcome.enqueueError });
        metrics.addMetric('PurchaseNotQueued', MetricUnit.Count, 1);
      }
      if (outcome.publishError !== undefined) {
        logger.error('Purchase queued but PurchaseRequested was not published', { error: outcome.publishError });
        metrics.addMetric('PurchaseRequestedNotPublished', MetricUnit.Count, 1);
      }
      logger.info(replayed ? 'Purchase request repeated: same purchase returned' : 'Purchase accepted', {
        seatCount: request.data.seatIds?.length ?? request.data.quantity,
      });
      metrics.addMetric(replayed ? 'PurchaseRequestRepeated' : 'PurchaseAccepted', MetricUnit.Count, 1);
      const statusUrl = statusUrlOf(purchaseId);
      return jsonResponse(HTTP_STATUS.accepted, { purchaseId, status: 'QUEUED', statusUrl }, { location: statusUrl });
    }
  }
});
