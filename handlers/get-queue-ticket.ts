import { documentClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { HTTP_STATUS, buyerIdFrom, httpHandler, jsonResponse, notFound, unauthorized } from '#commons/http';
import { logger } from '#commons/powertools';
import { concertIdSchema } from '#events/metadata';
import { createGatedConcertFinder } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { createDynamoDbQueueTicketStore } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import { pollTicket, type PollTicketDependencies } from '#domain/waiting-room/poll-ticket';
import { ticketIdSchema } from '#domain/waiting-room/queue-ticket';

/**
 * GET /concerts/{concertId}/queue/{ticketId}: the buyer's place in the line,
 * and once admitted the admission token (this function signs it: it is one
 * of the two readers of the concert's admission key).
 */
const config = readConfig(['concertsTable', 'waitingRoomTable']);

const dependencies: PollTicketDependencies = {
  findConcert: createGatedConcertFinder({ client: documentClient, tableName: config.concertsTable, withAdmissionKey: true }),
  tickets: createDynamoDbQueueTicketStore({ client: documentClient, tableName: config.waitingRoomTable }),
  now: () => new Date(),
};

const ticketNotFound = () => notFound('TicketNotFound', 'No ticket with this id was found for you in this line');

export const handler = httpHandler(async (event) => {
  const buyerId = buyerIdFrom(event);
  if (buyerId === undefined) return unauthorized();
  // Malformed ids cannot name a ticket: the same answer as an unknown one.
  const concertId = concertIdSchema.safeParse(event.pathParameters?.concertId);
  const ticketId = ticketIdSchema.safeParse(event.pathParameters?.ticketId);
  if (!concertId.success || !ticketId.success) return ticketNotFound();
  logger.appendKeys({ concertId: concertId.data, ticketId: ticketId.data });

  const view = await pollTicket(dependencies, { concertId: concertId.data, ticketId: ticketId.data, buyerId });
  return view === undefined ? ticketNotFound() : jsonResponse(HTTP_STATUS.ok, view);
});
