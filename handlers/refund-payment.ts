import { documentClient, eventBridgeClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { createStepHandler, eventMetadataFor } from '#commons/step-handler';
import { createSimulatedPaymentProvider } from '#domain/billing/adapters/simulated-payment-provider';
import { refundPayment } from '#domain/billing/charge-payment';
import { sagaInputFieldsSchema } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import { PaymentRefundedEvent } from '#events/payment-refunded';
import { createEventPublisher } from '#events/publisher';

/** RefundPayment (compensation): refunds the purchase's charge once; nothing to do when nothing was charged. */
const config = readConfig(['paymentsTable', 'idempotencyTable', 'eventBusName']);
const provider = createSimulatedPaymentProvider({ client: documentClient, tableName: config.paymentsTable });
const publish = createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName });

export const refundPaymentPayloadSchema = sagaInputFieldsSchema.pick({ purchaseId: true, concertId: true, correlationId: true });

/** What the RefundPayment state's ResultSelector reads. */
export interface RefundPaymentResult {
  readonly refunded: boolean;
}

export const handler = createStepHandler({
  name: 'refund-payment',
  parse: (event) => refundPaymentPayloadSchema.parse(event),
  purchaseIdPath: 'purchaseId',
  purchaseIdOf: (payload) => payload.purchaseId,
  run: async (payload): Promise<RefundPaymentResult> => {
    const outcome = await refundPayment(provider, payload.purchaseId);
    if (outcome.refunded) {
      const { refundId, chargeId, amount } = outcome.refund;
      await publish([
        domainEvent(PaymentRefundedEvent, { ...eventMetadataFor(PaymentRefundedEvent, payload, new Date()), refundId, chargeId, amount }),
      ]);
    }
    return { refunded: outcome.refunded };
  },
});
