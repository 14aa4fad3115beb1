import { DependencyUnavailableError } from '#domain/errors';
import { SeatWriteConflictError, type SeatStore, type SeatTransition } from './ports.ts';
import type { InventorySeat } from './seat.ts';

/** What to write given the seats as read, and what the step returns once it is written. */
export interface SeatPlan<TResult> {
  readonly transitions: readonly SeatTransition[];
  readonly result: TResult;
}

/** Decides from a fresh read; throws the step's error when the seats do not allow it. */
export type PlanSeats<TResult> = (seats: ReadonlyMap<string, InventorySeat>) => SeatPlan<TResult>;

export interface OptimisticWriteOptions {
  /** Read-plan-write rounds before giving up on a seat that keeps changing. @default 4 */
  readonly maxAttempts?: number;
  /** Waits between rounds. @default full-jitter exponential backoff from 20 ms */
  readonly pause?: (attempt: number) => Promise<void>;
}

const DEFAULT_MAX_ATTEMPTS = 4;
const BASE_PAUSE_MS = 20;

/** Full jitter, so that purchases that collided once do not collide again in lockstep. */
const jitteredPause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * BASE_PAUSE_MS * 2 ** (attempt - 1)));

/**
 * Read the seats (consistently), plan, and write with each seat's read
 * version as the condition. A conflict means someone wrote a seat in
 * between: read again and plan again, so that the plan either succeeds or
 * throws the precise error for the new state (e.g. which seats are taken).
 * Seats that keep changing for every round end in DependencyUnavailableError,
 * which the state machine retries with backoff.
 */
export const writeSeatsOptimistically = async <TResult>(
  store: SeatStore,
  concertId: string,
  seatIds: readonly string[],
  plan: PlanSeats<TResult>,
  options: OptimisticWriteOptions = {},
): Promise<TResult> => {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const pause = options.pause ?? jitteredPause;
  for (let attempt = 1; ; attempt++) {
    const seats = await store.getSeats(concertId, seatIds);
    const { transitions, result } = plan(seats);
    if (transitions.length === 0) return result;
    try {
      await store.applyTransitions(concertId, transitions);
      return result;
    } catch (error) {
      if (!(error instanceof SeatWriteConflictError)) throw error;
      if (attempt >= maxAttempts) {
        throw new DependencyUnavailableError(`Seats kept changing during ${attempt} attempts: ${error.seatIds.join(', ')}`, { cause: error });
      }
      await pause(attempt);
    }
  }
};
