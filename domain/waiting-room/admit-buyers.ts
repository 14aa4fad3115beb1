import { advanceFront } from './line-positions.ts';
import type { OnSale } from './on-sale.ts';
import type { FindGatedConcert, PreQueueEntry, RoomAdmissionStore, SagaHealthCheck } from './ports.ts';
import { liveAdmissions, type RoomState } from './room-state.ts';

/**
 * The draw waits this long past the on-sale start: a pre-queue join that
 * saw a time before the start may still be writing its ticket, for at most
 * the join function's timeout. Later than that, nothing joins the pre-queue.
 */
export const DRAW_GRACE_SECONDS = 15;

export interface AdmitBuyersDependencies {
  readonly findConcert: FindGatedConcert;
  readonly rooms: RoomAdmissionStore;
  readonly sagaHealth: SagaHealthCheck;
  readonly now: () => Date;
  /** Bounded parallel writes of the draw's positions. */
  readonly forEachLimited: <T>(items: readonly T[], work: (item: T) => Promise<void>) => Promise<void>;
}

export type RoomRun =
  | { readonly concertId: string; readonly outcome: 'notGated' | 'notStarted' | 'conflict' }
  | { readonly concertId: string; readonly outcome: 'paused'; readonly reason: string; readonly drawn: number }
  | { readonly concertId: string; readonly outcome: 'admitted'; readonly admitted: number; readonly through: number; readonly drawn: number };

/** The pre-queue's order: shuffle key, then ticket id so equal keys (all but impossible) still order the same way in every run. */
const byShuffleKey = (a: PreQueueEntry, b: PreQueueEntry) => a.shuffleKey - b.shuffleKey || a.ticketId.localeCompare(b.ticketId);

/** Numbers the pre-queue 1..N in shuffled order. Repeating it after a crash writes the same numbers again. */
const draw = async (deps: AdmitBuyersDependencies, concertId: string, room: RoomState, now: Date): Promise<RoomState> => {
  const entries = [...(await deps.rooms.listPreQueue(concertId))].sort(byShuffleKey);
  await deps.forEachLimited(
    entries.map((entry, index) => ({ entry, position: index + 1 })),
    ({ entry, position }) => deps.rooms.setDrawnPosition(entry.ticketId, position),
  );
  return { ...room, preQueueSize: entries.length, drawnAt: now.toISOString() };
};

const admitRoom = async (deps: AdmitBuyersDependencies, concertId: string, onSale: OnSale, health: Awaited<ReturnType<SagaHealthCheck>>): Promise<RoomRun> => {
  const now = deps.now();
  if (now.getTime() < Date.parse(onSale.startsAt) + DRAW_GRACE_SECONDS * 1_000) return { concertId, outcome: 'notStarted' };
  const { room: read, shardCounts } = await deps.rooms.readLineConsistently(concertId);
  const drawn = read.preQueueSize === undefined ? await draw(deps, concertId, read, now) : read;
  const preQueueSize = drawn.preQueueSize ?? 0;
  const justDrawn = read.preQueueSize === undefined ? preQueueSize : 0;

  // A pause lasts one run: this run says again whether it holds.
  const { pausedReason: _lastRunsPause, ...room } = drawn;
  if (!health.healthy) {
    // The draw still happens on time; only admission waits for the saga.
    const saved = await deps.rooms.saveRoom({ ...room, version: read.version + 1, pausedReason: health.reason }, read.version);
    return saved === 'conflict' ? { concertId, outcome: 'conflict' } : { concertId, outcome: 'paused', reason: health.reason, drawn: justDrawn };
  }

  const line = { preQueueSize, admittedThrough: room.admittedThrough, shardCounts };
  const wanted = Math.max(0, Math.min(onSale.admissionsPerMinute, onSale.maxActiveBuyers - liveAdmissions(room, now, onSale.admissionTtlSeconds)));
  const front = advanceFront(line, wanted);
  // Lagging counters first: once the front moves, no join may take a number behind it.
  for (const floor of front.counterFloors) await deps.rooms.raiseCounter(concertId, floor.shard, floor.count);
  const next: RoomState = {
    ...room,
    version: read.version + 1,
    admittedThrough: front.through,
    admissions: front.admitted > 0 ? [...room.admissions, { at: now.getTime(), through: front.through, count: front.admitted }] : room.admissions,
  };
  if ((await deps.rooms.saveRoom(next, read.version)) === 'conflict') return { concertId, outcome: 'conflict' };
  return { concertId, outcome: 'admitted', admitted: front.admitted, through: front.through, drawn: justDrawn };
};

/**
 * One run of the admitter, for every configured room: at the on-sale start
 * it draws the pre-queue, then it lets in up to `admissionsPerMinute` more
 * buyers, never more than `maxActiveBuyers` with a live admission, and
 * nobody while the purchase saga is unhealthy.
 */
export const admitBuyers = async (deps: AdmitBuyersDependencies): Promise<RoomRun[]> => {
  const concertIds = await deps.rooms.listRooms();
  if (concertIds.length === 0) return [];
  const health = await deps.sagaHealth();
  const runs: RoomRun[] = [];
  for (const concertId of concertIds) {
    const onSale = (await deps.findConcert(concertId))?.onSale;
    runs.push(onSale === undefined ? { concertId, outcome: 'notGated' } : await admitRoom(deps, concertId, onSale, health));
  }
  return runs;
};
