import { documentClient, eventBridgeClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { createStepHandler, eventMetadataFor } from '#commons/step-handler';
import { createDynamoDbSeatStore } from '#domain/inventory/adapters/dynamodb-seat-store';
import { reserveSeats } from '#domain/inventory/reserve-seats';
import { sagaInputSchema } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import type { Money } from '#events/metadata';
import { createEventPublisher } from '#events/publisher';
import { SeatsReservedEvent } from '#events/seats-reserved';
import { HOLD_DURATION_SECONDS } from '#workflows/purchase-saga';

/** ReserveSeats: holds every requested seat for the purchase in one transaction, or fails with SeatsUnavailable. */
const config = readConfig(['seatsTable', 'idempotencyTable', 'eventBusName']);
const seats = createDynamoDbSeatStore({ client: documentClient, tableName: config.seatsTable });
const publish = createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName });

export const reserveSeatsPayloadSchema = sagaInputSchema.pick({ purchaseId: true, concertId: true, correlationId: true, seatIds: true });

/** What the ReserveSeats state's ResultSelector reads. */
export interface ReserveSeatsResult {
  readonly seats: Array<{ seatId: string; price: Money; version: number }>;
  readonly total: Money;
  /** ISO time. */
  readonly holdExpiresAt: string;
}

export const handler = createStepHandler({
  name: 'reserve-seats',
  parse: (event) => reserveSeatsPayloadSchema.parse(event),
  purchaseIdPath: 'purchaseId',
  purchaseIdOf: (payload) => payload.purchaseId,
  run: async (payload): Promise<ReserveSeatsResult> => {
    const now = new Date();
    const reservation = await reserveSeats(seats, payload, { now, holdDurationSeconds: HOLD_DURATION_SECONDS });
    const result = {
      seats: [...reservation.seats],
      total: reservation.total,
      holdExpiresAt: new Date(reservation.holdExpiresAt * 1000).toISOString(),
    };
    // Published on every run, also when the seats were already held: an earlier run may have stopped before publishing.
    await publish([domainEvent(SeatsReservedEvent, { ...eventMetadataFor(SeatsReservedEvent, payload, now), ...result })]);
    return result;
  },
});
