import { documentClient, eventBridgeClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { createStepHandler, eventMetadataFor } from '#commons/step-handler';
import { createDynamoDbInvoiceStore } from '#domain/invoicing/adapters/dynamodb-invoice-store';
import { voidInvoice } from '#domain/invoicing/void-invoice';
import { sagaInputFieldsSchema } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import { InvoiceVoidedEvent } from '#events/invoice-voided';
import { createEventPublisher } from '#events/publisher';

/** VoidInvoice (compensation): the purchase's invoice no longer counts; with none yet, none can be issued. */
const config = readConfig(['invoicesTable', 'idempotencyTable', 'eventBusName']);
const invoices = createDynamoDbInvoiceStore({ client: documentClient, tableName: config.invoicesTable });
const publish = createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName });

export const voidInvoicePayloadSchema = sagaInputFieldsSchema.pick({ purchaseId: true, concertId: true, correlationId: true });

/** What the VoidInvoice state's ResultSelector reads. */
export interface VoidInvoiceResult {
  readonly voided: boolean;
}

export const handler = createStepHandler({
  name: 'void-invoice',
  parse: (event) => voidInvoicePayloadSchema.parse(event),
  purchaseIdPath: 'purchaseId',
  purchaseIdOf: (payload) => payload.purchaseId,
  run: async (payload): Promise<VoidInvoiceResult> => {
    const now = new Date();
    const outcome = await voidInvoice(invoices, payload.purchaseId, now);
    if (outcome.voided) {
      const { invoiceId, total } = outcome.invoice;
      await publish([domainEvent(InvoiceVoidedEvent, { ...eventMetadataFor(InvoiceVoidedEvent, payload, now), invoiceId, total })]);
    }
    return { voided: outcome.voided };
  },
});
