import * as z from 'zod';
import { documentClient, eventBridgeClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { createStepHandler, eventMetadataFor } from '#commons/step-handler';
import { createDynamoDbSeatStore } from '#domain/inventory/adapters/dynamodb-seat-store';
import { confirmSeats } from '#domain/inventory/confirm-seats';
import { sagaInputFieldsSchema } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import { moneySchema, seatIdSchema, type SeatVersion } from '#events/metadata';
import { createEventPublisher } from '#events/publisher';
import { PurchaseConfirmedEvent } from '#events/purchase-confirmed';

/** ConfirmPurchase: the purchase's held seats become SOLD, in one transaction. */
const config = readConfig(['seatsTable', 'idempotencyTable', 'eventBusName']);
const seats = createDynamoDbSeatStore({ client: documentClient, tableName: config.seatsTable });
const publish = createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName });

/** `seatIds` are the seats ReserveSeats held: those the purchase named, or those chosen for a purchase by quantity. */
export const confirmPurchasePayloadSchema = sagaInputFieldsSchema
  .pick({ purchaseId: true, concertId: true, correlationId: true })
  .extend({ seatIds: z.array(seatIdSchema).min(1).max(10), invoiceId: z.string().min(1), total: moneySchema });

/** What the ConfirmPurchase state's ResultSelector reads. */
export interface ConfirmPurchaseResult {
  readonly seats: SeatVersion[];
  /** Carried through so that the execution's output names the purchase's invoice. */
  readonly invoiceId: string;
}

export const handler = createStepHandler({
  name: 'confirm-purchase',
  parse: (event) => confirmPurchasePayloadSchema.parse(event),
  purchaseIdPath: 'purchaseId',
  purchaseIdOf: (payload) => payload.purchaseId,
  run: async (payload): Promise<ConfirmPurchaseResult> => {
    const sold = await confirmSeats(seats, payload);
    await publish([
      domainEvent(PurchaseConfirmedEvent, {
        ...eventMetadataFor(PurchaseConfirmedEvent, payload, new Date()),
        seats: sold,
        invoiceId: payload.invoiceId,
        total: payload.total,
      }),
    ]);
    return { seats: sold, invoiceId: payload.invoiceId };
  },
});
