import * as z from 'zod';

/**
 * The room's published state: one item per concert, written only by the
 * admitter (a conditional write on `version`, so two overlapping runs cannot
 * both move the front), read by every join and poll.
 */
const admissionSchema = z.object({
  /** Epoch milliseconds of the run that admitted them. */
  at: z.number().int(),
  /** The front after this run: positions up to it are admitted. */
  through: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
});

export const roomStateSchema = z.object({
  concertId: z.string(),
  version: z.number().int().nonnegative(),
  /** Set by the draw at the on-sale start. */
  preQueueSize: z.number().int().nonnegative().optional(),
  drawnAt: z.iso.datetime().optional(),
  admittedThrough: z.number().int().nonnegative(),
  /** Every run that admitted someone, oldest first: when each position was admitted, and the measured rate. */
  admissions: z.array(admissionSchema),
  /** Why the last run admitted nobody while buyers waited, if it was a pause. */
  pausedReason: z.string().optional(),
});
export type RoomState = z.infer<typeof roomStateSchema>;

export const emptyRoom = (concertId: string): RoomState => ({ concertId, version: 0, admittedThrough: 0, admissions: [] });

/** When `position` was admitted, if it was. */
export const admittedAt = (room: RoomState, position: number): Date | undefined => {
  if (position > room.admittedThrough) return undefined;
  const admission = room.admissions.find((entry) => entry.through >= position);
  return admission === undefined ? undefined : new Date(admission.at);
};

/** Admissions that have not expired yet: what counts against the on-sale's maxActiveBuyers. */
export const liveAdmissions = (room: RoomState, now: Date, admissionTtlSeconds: number): number =>
  room.admissions.filter((entry) => entry.at + admissionTtlSeconds * 1_000 > now.getTime()).reduce((sum, entry) => sum + entry.count, 0);

/** The window over which the admission rate is measured. */
const RATE_WINDOW_MS = 5 * 60 * 1_000;

/**
 * Buyers admitted per second, measured over the last runs: the admissions
 * after the oldest run in the window, over the time since that run. Up to
 * now, not to the last run, so a pause (a dead letter, nobody left to
 * admit with maxActiveBuyers reached) lowers it as it lasts. Undefined until
 * two runs admitted someone: one run is no rate.
 */
export const measuredAdmissionRate = (room: RoomState, now: Date): number | undefined => {
  const recent = room.admissions.filter((entry) => entry.at > now.getTime() - RATE_WINDOW_MS);
  const [oldest, ...later] = recent;
  if (oldest === undefined || later.length === 0) return undefined;
  const seconds = (now.getTime() - oldest.at) / 1_000;
  if (seconds <= 0) return undefined;
  return later.reduce((sum, entry) => sum + entry.count, 0) / seconds;
};
