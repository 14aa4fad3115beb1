import { createHash } from 'node:crypto';
import * as z from 'zod';
import { signAdmissionToken } from './admission-token.ts';
import { linePosition, peopleAheadOf, type LineSnapshot } from './line-positions.ts';
import { admittedAt, measuredAdmissionRate, type RoomState } from './room-state.ts';
import type { OnSale } from './on-sale.ts';

/**
 * A buyer's place in a concert's line: one item per buyer and concert, its
 * id derived from both, so joining again finds the same ticket (a refresh
 * never loses a place) and a ticket id names nothing to anyone else.
 */
export const ticketIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'is not a ticket id');

export const ticketIdFor = (concertId: string, buyerId: string): string =>
  createHash('sha256').update(`waiting-room\u0000${concertId}\u0000${buyerId}`).digest('base64url').slice(0, 22);

export const queueTicketSchema = z.object({
  ticketId: ticketIdSchema,
  concertId: z.string(),
  buyerId: z.string(),
  joinedAt: z.iso.datetime(),
  /** Pre-queue only: the bucket of the sparse pre-queue index, and the random key the draw orders by. */
  preQueueBucket: z.string().optional(),
  shuffleKey: z.number().int().nonnegative().optional(),
  /** Pre-queue only, set by the draw: the place it drew. */
  drawnPosition: z.number().int().positive().optional(),
  /** Line only: the counter shard and the number it handed out. */
  lineShard: z.number().int().nonnegative().optional(),
  lineNumber: z.number().int().positive().optional(),
});
export type QueueTicket = z.infer<typeof queueTicketSchema>;

/** The ticket's position, once the line has an order: after the draw. */
const positionOf = (ticket: QueueTicket, room: RoomState): number | undefined => {
  // The draw numbers the tickets before it publishes the room: until then a drawn number is not yet a place in a line anyone sees.
  if (room.preQueueSize === undefined) return undefined;
  if (ticket.drawnPosition !== undefined) return ticket.drawnPosition;
  if (ticket.lineShard === undefined || ticket.lineNumber === undefined) return undefined;
  return linePosition(room.preQueueSize, ticket.lineShard, ticket.lineNumber);
};

type QueueStatus = 'WAITING' | 'ADMITTED' | 'EXPIRED';

/** What a buyer sees of their ticket. */
export interface QueueTicketView {
  readonly ticketId: string;
  readonly concertId: string;
  readonly status: QueueStatus;
  /** The ticket's place in the line (1 = first), fixed once known; null in the pre-queue before the draw. */
  readonly position: number | null;
  /** Buyers still waiting ahead: it only ever decreases. Null before the draw. */
  readonly peopleAhead: number | null;
  /** From the measured admission rate; null until the admitter has measured one, and 0 once admitted. */
  readonly estimatedWaitSeconds: number | null;
  /** When the line opens (the pre-queue is shuffled then). */
  readonly onSaleStartsAt: string;
  readonly admissionToken?: string;
  readonly admissionExpiresAt?: string;
}

export interface TicketViewContext {
  readonly ticket: QueueTicket;
  readonly room: RoomState;
  readonly shardCounts: readonly number[];
  readonly onSale: OnSale;
  /** Signs the token of an admitted ticket; without it the view says ADMITTED with no token. */
  readonly admissionKey?: string;
  readonly now: Date;
}

/**
 * The wait of a buyer with `peopleAhead` still waiting ahead, at the measured
 * `rate` (buyers per second): admitted with the buyers ahead, so their count
 * plus this one, at the pace the admitter actually keeps. Undefined without
 * an order or a rate. The support console estimates the back of the line
 * with it too, so both say the same.
 */
export const estimatedWaitSeconds = (peopleAhead: number | undefined, rate: number | undefined): number | undefined =>
  peopleAhead === undefined || rate === undefined || rate <= 0 ? undefined : Math.ceil((peopleAhead + 1) / rate);

const waitingView = (base: Pick<QueueTicketView, 'ticketId' | 'concertId' | 'onSaleStartsAt'>, position: number | undefined, peopleAhead: number | undefined, rate: number | undefined): QueueTicketView => ({
  ...base,
  status: 'WAITING',
  position: position ?? null,
  peopleAhead: peopleAhead ?? null,
  estimatedWaitSeconds: estimatedWaitSeconds(peopleAhead, rate) ?? null,
});

export const queueTicketView = ({ ticket, room, shardCounts, onSale, admissionKey, now }: TicketViewContext): QueueTicketView => {
  const base = { ticketId: ticket.ticketId, concertId: ticket.concertId, onSaleStartsAt: onSale.startsAt };
  const position = positionOf(ticket, room);
  const line: LineSnapshot = { preQueueSize: room.preQueueSize, admittedThrough: room.admittedThrough, shardCounts };
  const admitted = position === undefined ? undefined : admittedAt(room, position);
  if (position === undefined || admitted === undefined) {
    return waitingView(base, position, position === undefined ? undefined : peopleAheadOf(line, position), measuredAdmissionRate(room, now));
  }
  // Whole seconds, as the token carries it, so the answer and the token name the same instant.
  const expiresAt = new Date(Math.floor((admitted.getTime() + onSale.admissionTtlSeconds * 1_000) / 1_000) * 1_000);
  const admittedBase = { ...base, position, peopleAhead: 0, estimatedWaitSeconds: 0, admissionExpiresAt: expiresAt.toISOString() };
  if (now.getTime() >= expiresAt.getTime()) return { ...admittedBase, status: 'EXPIRED' };
  // Joining again does not read the key (only the poll signs): the token comes with the next poll.
  if (admissionKey === undefined) return { ...admittedBase, status: 'ADMITTED' };
  const admissionToken = signAdmissionToken(admissionKey, {
    concertId: ticket.concertId,
    buyerId: ticket.buyerId,
    expiresAt: expiresAt.getTime() / 1_000,
  });
  return { ...admittedBase, status: 'ADMITTED', admissionToken };
};

/**
 * The sparse index of the pre-queue: only pre-queue tickets carry its keys,
 * spread over LINE_SHARDS buckets so the arrivals before the start do not
 * all write one index partition. The draw reads it in shuffle-key order.
 */
export const PRE_QUEUE_INDEX = { name: 'pre-queue', partitionKey: 'preQueueBucket', sortKey: 'shuffleKey' } as const;

/** Where a buyer polls their ticket. */
export const ticketUrlOf = (concertId: string, ticketId: string) => `/concerts/${encodeURIComponent(concertId)}/queue/${encodeURIComponent(ticketId)}`;
