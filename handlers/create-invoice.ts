import * as z from 'zod';
import { documentClient, eventBridgeClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { createStepHandler, eventMetadataFor } from '#commons/step-handler';
import { createDynamoDbInvoiceStore } from '#domain/invoicing/adapters/dynamodb-invoice-store';
import { createInvoice } from '#domain/invoicing/create-invoice';
import { sagaInputFieldsSchema } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import { InvoiceCreatedEvent } from '#events/invoice-created';
import { moneySchema, seatIdSchema, type Money } from '#events/metadata';
import { createEventPublisher } from '#events/publisher';

/** CreateInvoice: issues the purchase's one invoice (a rerun returns the same invoice). */
const config = readConfig(['invoicesTable', 'idempotencyTable', 'eventBusName']);
const invoices = createDynamoDbInvoiceStore({ client: documentClient, tableName: config.invoicesTable });
const publish = createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName });

export const createInvoicePayloadSchema = sagaInputFieldsSchema.pick({ purchaseId: true, concertId: true, correlationId: true, buyerId: true }).extend({
  seats: z
    .array(z.object({ seatId: seatIdSchema, price: moneySchema }))
    .min(1)
    .max(10),
  total: moneySchema,
});

/** What the CreateInvoice state's ResultSelector reads. */
export interface CreateInvoiceResult {
  readonly invoiceId: string;
  readonly total: Money;
}

export const handler = createStepHandler({
  name: 'create-invoice',
  parse: (event) => createInvoicePayloadSchema.parse(event),
  purchaseIdPath: 'purchaseId',
  purchaseIdOf: (payload) => payload.purchaseId,
  run: async (payload): Promise<CreateInvoiceResult> => {
    const now = new Date();
    const invoice = await createInvoice(invoices, payload, now);
    const { invoiceId, lines, subtotal, tax, total } = invoice;
    await publish([
      domainEvent(InvoiceCreatedEvent, { ...eventMetadataFor(InvoiceCreatedEvent, payload, now), invoiceId, lines, subtotal, tax, total }),
    ]);
    return { invoiceId, total };
  },
});
