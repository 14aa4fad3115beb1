import { documentClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { HTTP_STATUS, httpHandler, jsonResponse, notFound } from '#commons/http';
import { createConcertFinder } from '#domain/catalog/adapters/dynamodb-concert-store';
import { createDynamoDbSeatAvailabilityStore } from '#domain/catalog/adapters/dynamodb-seat-availability-store';
import { seatMapView } from '#domain/catalog/seat-map-view';
import { concertIdSchema } from '#events/metadata';

/** GET /concerts/{concertId}/seats: the seat map with prices and availability, from the availability projection. */
const config = readConfig(['concertsTable', 'seatAvailabilityTable']);
const findConcert = createConcertFinder({ client: documentClient, tableName: config.concertsTable });
const availability = createDynamoDbSeatAvailabilityStore({ client: documentClient, tableName: config.seatAvailabilityTable });

const concertNotFound = () => notFound('ConcertNotFound', 'There is no concert with this id');

export const handler = httpHandler(async (event) => {
  // A malformed id cannot name a concert: same answer as an unknown one.
  const concertId = concertIdSchema.safeParse(event.pathParameters?.concertId);
  if (!concertId.success) return concertNotFound();

  const concert = await findConcert(concertId.data);
  if (!concert) return concertNotFound();
  const seats = await availability.listSeats(concertId.data);
  return jsonResponse(HTTP_STATUS.ok, seatMapView(concert, seats, new Date()));
});
