import { LINE_SHARDS } from '#domain/waiting-room/line-positions';
import type { OnSale } from '#domain/waiting-room/on-sale';
import type { FindGatedConcert, QueueTicketStore, RoomAdmissionStore } from '#domain/waiting-room/ports';
import type { QueueTicket } from '#domain/waiting-room/queue-ticket';
import { emptyRoom, type RoomState } from '#domain/waiting-room/room-state';

/** The waiting room's table in memory, with the same conditional behaviour as the DynamoDB adapter. */
export const inMemoryWaitingRoom = () => {
  const tickets = new Map<string, QueueTicket>();
  const counters = new Map<string, number>();
  const rooms = new Map<string, RoomState>();
  const counterKey = (concertId: string, shard: number) => `${concertId}#${shard}`;
  const readLine = async (concertId: string) => ({
    room: rooms.get(concertId) ?? emptyRoom(concertId),
    shardCounts: Array.from({ length: LINE_SHARDS }, (_, shard) => counters.get(counterKey(concertId, shard)) ?? 0),
  });

  const ticketStore: QueueTicketStore = {
    findTicket: async (ticketId) => tickets.get(ticketId),
    createTicket: async (ticket) => {
      if (tickets.has(ticket.ticketId)) return 'exists';
      tickets.set(ticket.ticketId, ticket);
      return 'created';
    },
    takeLineNumber: async (concertId, shard) => {
      const next = (counters.get(counterKey(concertId, shard)) ?? 0) + 1;
      counters.set(counterKey(concertId, shard), next);
      return next;
    },
    readLine,
  };

  const roomIds = new Set<string>();
  const admissionStore: RoomAdmissionStore = {
    listRooms: async () => [...roomIds],
    readLineConsistently: readLine,
    listPreQueue: async (concertId) =>
      [...tickets.values()].filter((ticket) => ticket.concertId === concertId && ticket.shuffleKey !== undefined).map((ticket) => ({ ticketId: ticket.ticketId, shuffleKey: ticket.shuffleKey ?? 0 })),
    setDrawnPosition: async (ticketId, position) => {
      const ticket = tickets.get(ticketId);
      if (ticket) tickets.set(ticketId, { ...ticket, drawnPosition: position });
    },
    raiseCounter: async (concertId, shard, count) => {
      if ((counters.get(counterKey(concertId, shard)) ?? 0) < count) counters.set(counterKey(concertId, shard), count);
    },
    saveRoom: async (room, expectedVersion) => {
      if ((rooms.get(room.concertId)?.version ?? 0) !== expectedVersion) return 'conflict';
      rooms.set(room.concertId, room);
      return 'saved';
    },
  };

  const onSales = new Map<string, OnSale>();
  const findConcert: FindGatedConcert = async (concertId) =>
    concertId.startsWith('unknown') ? undefined : { concertId, ...(onSales.has(concertId) ? { onSale: onSales.get(concertId) } : {}), admissionKey: 'a'.repeat(43) + '=' };

  return {
    tickets,
    counters,
    rooms,
    ticketStore,
    admissionStore,
    findConcert,
    openRoom: (concertId: string, onSale: OnSale) => {
      onSales.set(concertId, onSale);
      roomIds.add(concertId);
    },
  };
};
