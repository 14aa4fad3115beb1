import type { FindGatedConcert, QueueTicketStore } from './ports.ts';
import { queueTicketView, ticketIdFor, type QueueTicketView } from './queue-ticket.ts';

export interface PollTicketDependencies {
  readonly findConcert: FindGatedConcert;
  readonly tickets: Pick<QueueTicketStore, 'findTicket' | 'readLine'>;
  readonly now: () => Date;
}

/**
 * A buyer's own ticket, with a signed admission token once admitted.
 * Undefined for anything that is not this buyer's ticket of this concert:
 * one answer for unknown and for someone else's, so ids reveal nothing.
 */
export const pollTicket = async (
  deps: PollTicketDependencies,
  query: { readonly concertId: string; readonly ticketId: string; readonly buyerId: string },
): Promise<QueueTicketView | undefined> => {
  // The id is derived from concert and buyer: another buyer's id fails here, before any read.
  if (query.ticketId !== ticketIdFor(query.concertId, query.buyerId)) return undefined;
  const [concert, ticket] = await Promise.all([deps.findConcert(query.concertId), deps.tickets.findTicket(query.ticketId)]);
  if (concert?.onSale === undefined || ticket === undefined || ticket.buyerId !== query.buyerId || ticket.concertId !== query.concertId) return undefined;
  const { room, shardCounts } = await deps.tickets.readLine(query.concertId);
  return queueTicketView({
    ticket,
    room,
    shardCounts,
    onSale: concert.onSale,
    ...(concert.admissionKey === undefined ? {} : { admissionKey: concert.admissionKey }),
    now: deps.now(),
  });
};
