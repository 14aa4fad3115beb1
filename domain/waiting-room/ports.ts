import type { GatedConcert } from './on-sale.ts';
import type { QueueTicket } from './queue-ticket.ts';
import type { RoomState } from './room-state.ts';

/** The concert's on-sale attributes (and, for the readers allowed to, its admission key). */
export type FindGatedConcert = (concertId: string) => Promise<GatedConcert | undefined>;

/** What joins and polls read: the room's state and every shard counter, in one round trip. */
export interface LineReading {
  readonly room: RoomState;
  readonly shardCounts: readonly number[];
}

export interface QueueTicketStore {
  findTicket(ticketId: string): Promise<QueueTicket | undefined>;
  /** A conditional put: `exists` (nothing written) when the buyer already has a ticket for the concert. */
  createTicket(ticket: QueueTicket): Promise<'created' | 'exists'>;
  /** Increments one shard's counter and returns the number it handed out. */
  takeLineNumber(concertId: string, shard: number): Promise<number>;
  readLine(concertId: string): Promise<LineReading>;
}

export interface PreQueueEntry {
  readonly ticketId: string;
  readonly shuffleKey: number;
}

/** The admitter's side of the room: it alone writes the state, the draw and the counters' floors. */
export interface RoomAdmissionStore {
  /** The concerts whose on-sale was configured. */
  listRooms(): Promise<string[]>;
  /** A consistent read: the admitter decides on what is there, not on a replica a moment old. */
  readLineConsistently(concertId: string): Promise<LineReading>;
  listPreQueue(concertId: string): Promise<PreQueueEntry[]>;
  setDrawnPosition(ticketId: string, position: number): Promise<void>;
  /** Raises a shard counter to `count` unless joins already took it there. */
  raiseCounter(concertId: string, shard: number, count: number): Promise<void>;
  /** Writes the state if its version is still `expectedVersion`; `conflict` (nothing written) otherwise. */
  saveRoom(room: RoomState, expectedVersion: number): Promise<'saved' | 'conflict'>;
}

/** Whether the purchase saga can take more buyers; a reason when it cannot. */
export type SagaHealthCheck = () => Promise<{ readonly healthy: true } | { readonly healthy: false; readonly reason: string }>;
