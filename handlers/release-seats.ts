import { documentClient, eventBridgeClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { createStepHandler, eventMetadataFor } from '#commons/step-handler';
import { createDynamoDbSeatStore } from '#domain/inventory/adapters/dynamodb-seat-store';
import * as z from 'zod';
import { releaseSeats, seatIdsOfPurchaseIn } from '#domain/inventory/release-seats';
import { sagaInputFieldsSchema, withSagaOfEarlierDefinition } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import { seatIdSchema, type SeatVersion } from '#events/metadata';
import { createEventPublisher } from '#events/publisher';
import { SeatsReleasedEvent } from '#events/seats-released';

/** ReleaseSeats (compensation): frees the seats this purchase holds and never touches any other seat. */
const config = readConfig(['seatsTable', 'idempotencyTable', 'eventBusName']);
const seats = createDynamoDbSeatStore({ client: documentClient, tableName: config.seatsTable });
const publish = createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName });

/**
 * The state passes the whole saga state as `saga`: the seats to free are
 * those ReserveSeats held (`reserveSeats.seatIds`), or those the purchase
 * named; a JSONPath to whichever is missing would fail the state.
 */
export const releaseSeatsPayloadSchema = sagaInputFieldsSchema.pick({ purchaseId: true, concertId: true, correlationId: true }).extend({
  saga: sagaInputFieldsSchema.pick({ seatIds: true, bestAvailable: true }).extend({
    reserveSeats: z.object({ seats: z.array(z.object({ seatId: seatIdSchema })) }).optional(),
  }),
});
type ReleaseSeatsPayload = z.infer<typeof releaseSeatsPayloadSchema>;

/**
 * Named seats are known from the input; chosen ones from ReserveSeats'
 * result. Without either (ReserveSeats of a purchase by quantity failed with
 * an unknown outcome), the seats table says which seats the purchase has.
 */
const seatIdsToRelease = ({ purchaseId, concertId, saga }: ReleaseSeatsPayload): Promise<string[]> | string[] => {
  if (saga.seatIds) return saga.seatIds;
  if (saga.reserveSeats) return saga.reserveSeats.seats.map((seat) => seat.seatId);
  return seatIdsOfPurchaseIn(seats, concertId, purchaseId, saga.bestAvailable?.priceBand);
};

/** What the ReleaseSeats state's ResultSelector reads: the seats actually released, possibly none. */
export interface ReleaseSeatsResult {
  readonly seats: SeatVersion[];
}

export const handler = createStepHandler({
  name: 'release-seats',
  parse: (event) => releaseSeatsPayloadSchema.parse(withSagaOfEarlierDefinition(event)),
  purchaseIdPath: 'purchaseId',
  purchaseIdOf: (payload) => payload.purchaseId,
  run: async (payload): Promise<ReleaseSeatsResult> => {
    const seatIds = await seatIdsToRelease(payload);
    const released = await releaseSeats(seats, { ...payload, seatIds });
    await publish([domainEvent(SeatsReleasedEvent, { ...eventMetadataFor(SeatsReleasedEvent, payload, new Date()), seats: released })]);
    return { seats: released };
  },
});
