import { randomInt } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { documentClient } from '#commons/clients';
import { readConfig } from '#commons/config';
import { HTTP_STATUS, buyerIdFrom, httpHandler, jsonResponse, notFound, unauthorized } from '#commons/http';
import { logger, metrics } from '#commons/powertools';
import { concertIdSchema } from '#events/metadata';
import { createGatedConcertFinder } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { createDynamoDbQueueTicketStore } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import { joinLine, type JoinLineDependencies } from '#domain/waiting-room/join-line';
import { ticketUrlOf } from '#domain/waiting-room/queue-ticket';

/** POST /concerts/{concertId}/queue: joins the concert's line, or finds the buyer's ticket when they joined before. */
const config = readConfig(['concertsTable', 'waitingRoomTable']);

const dependencies: JoinLineDependencies = {
  findConcert: createGatedConcertFinder({ client: documentClient, tableName: config.concertsTable, withAdmissionKey: false }),
  tickets: createDynamoDbQueueTicketStore({ client: documentClient, tableName: config.waitingRoomTable }),
  now: () => new Date(),
  randomInt: (bound) => randomInt(bound),
};

const concertNotFound = (concertId: string) => notFound('ConcertNotFound', `There is no concert "${concertId}"`);

export const handler = httpHandler(async (event) => {
  const buyerId = buyerIdFrom(event);
  if (buyerId === undefined) return unauthorized();
  const concertId = concertIdSchema.safeParse(event.pathParameters?.concertId);
  if (!concertId.success) return concertNotFound(String(event.pathParameters?.concertId ?? ''));
  logger.appendKeys({ concertId: concertId.data });

  const outcome = await joinLine(dependencies, { concertId: concertId.data, buyerId });
  switch (outcome.kind) {
    case 'concertNotFound':
      return concertNotFound(concertId.data);
    case 'notGated':
      return notFound('NoWaitingRoom', `Concert "${concertId.data}" has no waiting room: buy directly with POST /purchases`);
    case 'joined': {
      const { view, created } = outcome;
      logger.info(created ? 'Buyer joined the line' : 'Buyer joined again: same ticket', { ticketId: view.ticketId, position: view.position });
      metrics.addMetric(created ? 'QueueJoined' : 'QueueJoinRepeated', MetricUnit.Count, 1);
      // 201 both times: the answer is the buyer's ticket, the same one on every join.
      return jsonResponse(HTTP_STATUS.created, view, { location: ticketUrlOf(view.concertId, view.ticketId) });
    }
  }
});
