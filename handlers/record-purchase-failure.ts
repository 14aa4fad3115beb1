import * as z from 'zod';
import { eventBridgeClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { createStepHandler, eventMetadataFor } from '#commons/step-handler';
import { describeFailure, failedSagaSchema } from '#domain/orders/failure';
import { domainEvent } from '#events/event-definition';
import { type FailureReason, PurchaseFailedEvent } from '#events/purchase-failed';
import { createEventPublisher } from '#events/publisher';

/**
 * RecordPurchaseFailure: names the failed step and the reason from the saga's
 * state and publishes the terminal PurchaseFailed event. The purchase's
 * status is the status projection's job, fed by that event.
 */
const config = readConfig(['idempotencyTable', 'eventBusName']);
const publish = createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName });

export const recordPurchaseFailurePayloadSchema = z.object({ saga: failedSagaSchema });

/** What the RecordPurchaseFailure state's ResultSelector reads. */
export interface RecordPurchaseFailureResult {
  readonly reason: FailureReason;
  readonly failedStep: string;
}

export const handler = createStepHandler({
  name: 'record-purchase-failure',
  parse: (event) => recordPurchaseFailurePayloadSchema.parse(event),
  purchaseIdPath: 'saga.purchaseId',
  purchaseIdOf: (payload) => payload.saga.purchaseId,
  run: async ({ saga }): Promise<RecordPurchaseFailureResult> => {
    const failure = describeFailure(saga);
    await publish([domainEvent(PurchaseFailedEvent, { ...eventMetadataFor(PurchaseFailedEvent, saga, new Date()), ...failure })]);
    return { reason: failure.reason, failedStep: failure.failedStep };
  },
});
