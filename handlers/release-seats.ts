import { documentClient, eventBridgeClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { createStepHandler, eventMetadataFor } from '#commons/step-handler';
import { createDynamoDbSeatStore } from '#domain/inventory/adapters/dynamodb-seat-store';
import { releaseSeats } from '#domain/inventory/release-seats';
import { sagaInputSchema } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import type { SeatVersion } from '#events/metadata';
import { createEventPublisher } from '#events/publisher';
import { SeatsReleasedEvent } from '#events/seats-released';

/** ReleaseSeats (compensation): frees the seats this purchase holds and never touches any other seat. */
const config = readConfig(['seatsTable', 'idempotencyTable', 'eventBusName']);
const seats = createDynamoDbSeatStore({ client: documentClient, tableName: config.seatsTable });
const publish = createEventPublisher({ client: eventBridgeClient, eventBusName: config.eventBusName });

export const releaseSeatsPayloadSchema = sagaInputSchema.pick({ purchaseId: true, concertId: true, correlationId: true, seatIds: true });

/** What the ReleaseSeats state's ResultSelector reads: the seats actually released, possibly none. */
export interface ReleaseSeatsResult {
  readonly seats: SeatVersion[];
}

export const handler = createStepHandler({
  name: 'release-seats',
  parse: (event) => releaseSeatsPayloadSchema.parse(event),
  purchaseIdPath: 'purchaseId',
  purchaseIdOf: (payload) => payload.purchaseId,
  run: async (payload): Promise<ReleaseSeatsResult> => {
    const released = await releaseSeats(seats, payload);
    await publish([domainEvent(SeatsReleasedEvent, { ...eventMetadataFor(SeatsReleasedEvent, payload, new Date()), seats: released })]);
    return { seats: released };
  },
});
