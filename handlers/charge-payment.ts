import * as z from 'zod';
import { documentClient, eventBridgeClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { createStepHandler, eventMetadataFor } from '#commons/step-handler';
import { createDynamoDbPaymentDetails } from '#domain/billing/adapters/dynamodb-payment-details';
import { createSimulatedPaymentProvider } from '#domain/billing/adapters/simulated-payment-provider';
import { chargePayment } from '#domain/billing/charge-payment';
import { sagaInputFieldsSchema } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import { moneySchema, type Money } from '#events/metadata';
import { PaymentChargedEvent } from '#events/payment-charged';
import { createEventPublisher } from '#events/publisher';
import { CHARGE_HOLD_MARGIN_SECONDS } from '#workflows/purchase-saga';

/**
 * ChargePayment: charges the reservation's total through the payment
 * provider, with the purchaseId as its idempotency key. The payment token is
 * read from the purchase record here and goes nowhere else.
 */
const config = readConfig(['purchasesTable', 'paymentsTable', 'idempotencyTable', 'eventBusName']);
const dependencies = {
  provider: createSimulatedPaymentProvider({ client: documentClient, tableName: config.paymentsTable }),
  findPaymentDetails: createDynamoDbPaymentDetails({ client: documentClient, tableName: config.purchasesTable }),
};
const publish = createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName });

export const chargePaymentPayloadSchema = sagaInputFieldsSchema
  .pick({ purchaseId: true, concertId: true, correlationId: true })
  .extend({ amount: moneySchema, holdExpiresAt: z.iso.datetime() });

/** What the ChargePayment state's ResultSelector reads. */
export interface ChargePaymentResult {
  readonly chargeId: string;
  readonly amount: Money;
}

export const handler = createStepHandler({
  name: 'charge-payment',
  parse: (event) => chargePaymentPayloadSchema.parse(event),
  purchaseIdPath: 'purchaseId',
  purchaseIdOf: (payload) => payload.purchaseId,
  run: async (payload): Promise<ChargePaymentResult> => {
    const charge = await chargePayment(
      dependencies,
      { purchaseId: payload.purchaseId, amount: payload.amount, holdExpiresAt: new Date(payload.holdExpiresAt) },
      { now: new Date(), holdMarginSeconds: CHARGE_HOLD_MARGIN_SECONDS },
    );
    const detail = { chargeId: charge.chargeId, amount: charge.amount, paymentRef: charge.paymentRef };
    await publish([domainEvent(PaymentChargedEvent, { ...eventMetadataFor(PaymentChargedEvent, payload, new Date()), ...detail })]);
    return { chargeId: charge.chargeId, amount: charge.amount };
  },
});
