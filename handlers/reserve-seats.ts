import { documentClient, eventBridgeClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { createStepHandler, eventMetadataFor } from '#commons/step-handler';
import { createDynamoDbSeatStore } from '#domain/inventory/adapters/dynamodb-seat-store';
import { reserveBestAvailable } from '#domain/inventory/reserve-best-available';
import { reserveSeats } from '#domain/inventory/reserve-seats';
import { askedForOneWay, sagaInputFieldsSchema, withSagaOfEarlierDefinition } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import type { Money } from '#events/metadata';
import { createEventPublisher } from '#events/publisher';
import { SeatsReservedEvent } from '#events/seats-reserved';
import { HOLD_DURATION_SECONDS } from '#workflows/purchase-saga';

/**
 * ReserveSeats: holds the purchase's seats in one transaction, or fails with
 * SeatsUnavailable: the seats it names, or the best available ones when it
 * asked for a quantity (domain/inventory/best-available-seats.ts says which).
 */
const config = readConfig(['seatsTable', 'idempotencyTable', 'eventBusName']);
const seats = createDynamoDbSeatStore({ client: documentClient, tableName: config.seatsTable });
const publish = createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName });

/**
 * The state passes the whole saga input as `saga`: a purchase names seats or
 * asks for a quantity, and a JSONPath to the field it lacks would fail the state.
 */
export const reserveSeatsPayloadSchema = sagaInputFieldsSchema.pick({ purchaseId: true, concertId: true, correlationId: true }).extend({
  saga: sagaInputFieldsSchema.pick({ seatIds: true, bestAvailable: true }).refine(askedForOneWay, 'must name seats or ask for the best available'),
});

/** What the ReserveSeats state's ResultSelector reads. */
export interface ReserveSeatsResult {
  readonly seats: Array<{ seatId: string; price: Money; version: number }>;
  /** The held seats' ids: what ConfirmPurchase sells (for a purchase by quantity, known only from here). */
  readonly seatIds: string[];
  readonly total: Money;
  /** ISO time. */
  readonly holdExpiresAt: string;
}

export const handler = createStepHandler({
  name: 'reserve-seats',
  parse: (event) => reserveSeatsPayloadSchema.parse(withSagaOfEarlierDefinition(event)),
  purchaseIdPath: 'purchaseId',
  purchaseIdOf: (payload) => payload.purchaseId,
  run: async (payload): Promise<ReserveSeatsResult> => {
    const now = new Date();
    const { purchaseId, concertId, saga } = payload;
    const options = { now, holdDurationSeconds: HOLD_DURATION_SECONDS };
    const reservation = saga.bestAvailable
      ? await reserveBestAvailable(seats, { purchaseId, concertId, ...saga.bestAvailable }, options)
      : await reserveSeats(seats, { purchaseId, concertId, seatIds: saga.seatIds ?? [] }, options);
    const result = {
      seats: [...reservation.seats],
      seatIds: reservation.seats.map((seat) => seat.seatId),
      total: reservation.total,
      holdExpiresAt: new Date(reservation.holdExpiresAt * 1000).toISOString(),
    };
    // Published on every run, also when the seats were already held: an earlier run may have stopped before publishing.
    await publish([
      domainEvent(SeatsReservedEvent, {
        ...eventMetadataFor(SeatsReservedEvent, payload, now),
        seats: result.seats,
        total: result.total,
        holdExpiresAt: result.holdExpiresAt,
      }),
    ]);
    return result;
  },
});
