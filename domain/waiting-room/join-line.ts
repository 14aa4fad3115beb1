import { LINE_SHARDS } from './line-positions.ts';
import type { OnSale } from './on-sale.ts';
import type { FindGatedConcert, QueueTicketStore } from './ports.ts';
import { queueTicketSchema, queueTicketView, ticketIdFor, type QueueTicket, type QueueTicketView } from './queue-ticket.ts';

export interface JoinLineDependencies {
  readonly findConcert: FindGatedConcert;
  readonly tickets: QueueTicketStore;
  readonly now: () => Date;
  /** A uniform integer in [0, bound): shard picks and shuffle keys. */
  readonly randomInt: (bound: number) => number;
}

export type JoinLineOutcome =
  | { readonly kind: 'joined'; readonly created: boolean; readonly view: QueueTicketView }
  | { readonly kind: 'concertNotFound' }
  | { readonly kind: 'notGated' };

/**
 * Shuffle keys below 2^48 - 1 (the widest range node:crypto's randomInt draws
 * from): two of a million arrivals tie with a chance of about 1 in 500, and a
 * tie is broken by ticket id.
 */
const SHUFFLE_KEY_BOUND = 2 ** 48 - 1;

const newTicket = async (deps: JoinLineDependencies, onSale: OnSale, base: Pick<QueueTicket, 'ticketId' | 'concertId' | 'buyerId' | 'joinedAt'>, now: Date): Promise<QueueTicket> => {
  if (now.getTime() < Date.parse(onSale.startsAt)) {
    // The pre-queue: no number yet, only a random key the draw orders by at the start.
    return { ...base, preQueueBucket: `${base.concertId}#${deps.randomInt(LINE_SHARDS)}`, shuffleKey: deps.randomInt(SHUFFLE_KEY_BOUND) };
  }
  const lineShard = deps.randomInt(LINE_SHARDS);
  return { ...base, lineShard, lineNumber: await deps.tickets.takeLineNumber(base.concertId, lineShard) };
};

/**
 * Joins a concert's line, or finds the buyer's ticket when they joined
 * before. Two writes at most (a shard counter, the ticket), and no item
 * that every join updates.
 */
export const joinLine = async (deps: JoinLineDependencies, command: { readonly concertId: string; readonly buyerId: string }): Promise<JoinLineOutcome> => {
  const concert = await deps.findConcert(command.concertId);
  if (concert === undefined) return { kind: 'concertNotFound' };
  const onSale = concert.onSale;
  if (onSale === undefined) return { kind: 'notGated' };

  const ticketId = ticketIdFor(command.concertId, command.buyerId);
  let ticket = await deps.tickets.findTicket(ticketId);
  let created = false;
  if (ticket === undefined) {
    const now = deps.now();
    const fresh = queueTicketSchema.parse(await newTicket(deps, onSale, { ticketId, concertId: command.concertId, buyerId: command.buyerId, joinedAt: now.toISOString() }, now));
    if ((await deps.tickets.createTicket(fresh)) === 'created') {
      ticket = fresh;
      created = true;
    } else {
      // The same buyer's other join won the race; its line number, if this one took one, is never issued to anyone.
      ticket = await deps.tickets.findTicket(ticketId);
      if (ticket === undefined) throw new Error(`Ticket ${ticketId} exists but cannot be read`);
    }
  }
  const { room, shardCounts } = await deps.tickets.readLine(command.concertId);
  return { kind: 'joined', created, view: queueTicketView({ ticket, room, shardCounts, onSale, now: deps.now() }) };
};
