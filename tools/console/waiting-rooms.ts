import { waitingCount, type LineSnapshot } from '#domain/waiting-room/line-positions';
import type { FindGatedConcert, LineReading, SagaHealthCheck } from '#domain/waiting-room/ports';
import { estimatedWaitSeconds } from '#domain/waiting-room/queue-ticket';
import { measuredAdmissionRate } from '#domain/waiting-room/room-state';
import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';

/** What the waiting-room pages read: the admitter's own sources, never a write. */
export interface WaitingRoomsPort {
  /** The gated concerts, from the rooms registry. */
  listRooms(): Promise<string[]>;
  /** The concert's on-sale configuration; undefined when there is no such concert. */
  readonly findConcert: FindGatedConcert;
  /** The room state and the shard counters. */
  readLine(concertId: string): Promise<LineReading>;
  /** Tickets in the pre-queue: the line, until the draw numbers them. */
  countPreQueue(concertId: string): Promise<number>;
  /** The check the admitter makes before each run. */
  readonly sagaHealth: SagaHealthCheck;
}

type SagaHealth = Awaited<ReturnType<SagaHealthCheck>>;

/** One room's figures, as support reads them. */
export interface WaitingRoomView {
  readonly concertId: string;
  /**
   * The on-sale configuration, copied field by field: the concert item also
   * carries the admission key, which never leaves the server.
   */
  readonly onSale: { readonly startsAt: string; readonly admissionsPerMinute: number; readonly maxActiveBuyers: number; readonly admissionTtlSeconds: number } | null;
  readonly draw: { readonly drawn: false } | { readonly drawn: true; readonly at: string | null; readonly preQueueSize: number };
  /** Buyers waiting: the pre-queue before the draw, the issued positions behind the front after it. */
  readonly waiting: number;
  readonly admittedThrough: number;
  /** Measured over the admitter's last runs, not configured; null until it has admitted twice. */
  readonly admittedPerMinute: number | null;
  /** For the last buyer in the line; null without an order (before the draw) or a measured rate. */
  readonly backOfLineWaitSeconds: number | null;
  readonly pause: {
    /** The next run admits nobody: the purchase saga is not healthy. */
    readonly paused: boolean;
    readonly reason: string | null;
    /** Why the last run admitted nobody, if it paused. */
    readonly lastRunPausedReason: string | null;
  };
}

const pauseOf = (health: SagaHealth, lastRunPausedReason: string | undefined): WaitingRoomView['pause'] => ({
  paused: !health.healthy,
  reason: health.healthy ? null : health.reason,
  lastRunPausedReason: lastRunPausedReason ?? null,
});

/** The last buyer has everyone else waiting ahead; before the draw there is no order to be last in. */
const backOfLineWait = (drawn: boolean, waiting: number, rate: number | undefined): number | undefined => {
  if (!drawn) return undefined;
  if (waiting === 0) return 0;
  return estimatedWaitSeconds(waiting - 1, rate);
};

/** The figures of one room; undefined when the concert does not exist. */
const roomView = async (port: WaitingRoomsPort, concertId: string, health: SagaHealth, now: Date): Promise<WaitingRoomView | undefined> => {
  const [concert, { room, shardCounts }] = await Promise.all([port.findConcert(concertId), port.readLine(concertId)]);
  if (concert === undefined) return undefined;
  const onSale = concert.onSale;
  const rate = measuredAdmissionRate(room, now);
  const { preQueueSize } = room;
  const drawn = preQueueSize !== undefined;
  // Before the draw the pre-queue is counted, not yet sized; the joins after the start already hold line numbers behind it.
  const line: LineSnapshot & { readonly preQueueSize: number } = {
    preQueueSize: preQueueSize ?? (await port.countPreQueue(concertId)),
    admittedThrough: room.admittedThrough,
    shardCounts,
  };
  const waiting = waitingCount(line);
  return {
    concertId,
    onSale:
      onSale === undefined
        ? null
        : { startsAt: onSale.startsAt, admissionsPerMinute: onSale.admissionsPerMinute, maxActiveBuyers: onSale.maxActiveBuyers, admissionTtlSeconds: onSale.admissionTtlSeconds },
    draw: drawn ? { drawn: true, at: room.drawnAt ?? null, preQueueSize } : { drawn: false },
    waiting,
    admittedThrough: room.admittedThrough,
    admittedPerMinute: rate === undefined ? null : Math.round(rate * 60 * 10) / 10,
    backOfLineWaitSeconds: backOfLineWait(drawn, waiting, rate) ?? null,
    pause: pauseOf(health, room.pausedReason),
  };
};

/** Rooms read at once: a few calls each, against the operator's own throughput. */
const ROOM_READS_IN_FLIGHT = 4;

/** Every gated concert's room, in the registry's order, with the saga's health checked once for all. */
export const waitingRoomsList = async (port: WaitingRoomsPort, now: Date): Promise<{ readonly rooms: WaitingRoomView[] }> => {
  const [concertIds, health] = await Promise.all([port.listRooms(), port.sagaHealth()]);
  const views = await mapWithConcurrency(concertIds, ROOM_READS_IN_FLIGHT, (concertId) => roomView(port, concertId, health, now));
  // A listed room whose concert was deleted has nothing to show.
  return { rooms: views.filter((view) => view !== undefined) };
};

export const waitingRoomPage = async (port: WaitingRoomsPort, concertId: string, now: Date): Promise<WaitingRoomView | undefined> =>
  roomView(port, concertId, await port.sagaHealth(), now);
