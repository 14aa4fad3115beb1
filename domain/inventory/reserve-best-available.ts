import { rowIndex, rowRangeOfBand } from '#domain/catalog/seat-layout';
import { SeatsUnavailableError } from '#domain/errors';
import { chooseBestSeats } from './best-available-seats.ts';
import { SeatWriteConflictError, type SeatStore } from './ports.ts';
import { planHold, reservationHeld, type Reservation, type ReserveSeatsOptions } from './reserve-seats.ts';
import { canBeHeldBy, isActivelyHeldBy, type InventorySeat } from './seat.ts';

export interface ReserveBestAvailableRequest {
  readonly purchaseId: string;
  readonly concertId: string;
  readonly quantity: number;
  /** A band name such as "A-E"; without one, the whole venue. */
  readonly priceBand?: string;
}

/** Picks that lose a race before the purchase gives up with SeatsUnavailable. */
const DEFAULT_MAX_ATTEMPTS = 6;
const BASE_PAUSE_MS = 10;

/** Full jitter, so that purchases that collided once do not read and pick again in lockstep. */
const jitteredPause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * BASE_PAUSE_MS * 2 ** (attempt - 1)));

const seatOrder = (a: InventorySeat, b: InventorySeat) => rowIndex(a.row) - rowIndex(b.row) || a.number - b.number;

/**
 * Holds the best `quantity` seats still free in the band (see
 * best-available-seats.ts for what best means) in one transaction.
 *
 * - Safe to run again: a purchase that already holds seats in the band gets
 *   them back unchanged, with no write, so a retried step returns the seats
 *   the first run chose.
 * - Safe under concurrency: every hold is conditional on the versions read. A
 *   lost race means another purchase took some of the seats: read again, and
 *   pick again without the seats just seen taken, from a wider choice. After
 *   `maxAttempts` lost races, or when fewer seats than asked are free,
 *   SeatsUnavailable, the business outcome the saga already handles.
 */
export const reserveBestAvailable = async (
  store: SeatStore,
  request: ReserveBestAvailableRequest,
  options: ReserveSeatsOptions,
): Promise<Reservation> => {
  const { purchaseId, concertId, quantity, priceBand } = request;
  const rows = priceBand === undefined ? undefined : rowRangeOfBand(priceBand);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const pause = options.pause ?? jitteredPause;
  const seenTaken = new Set<string>();
  const where = priceBand === undefined ? 'the venue' : `band ${priceBand}`;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const seats = await store.listSeatsOpenTo(concertId, purchaseId, options.now, rows);
    const alreadyHeld = seats.filter((seat) => isActivelyHeldBy(seat, purchaseId, options.now)).sort(seatOrder);
    if (alreadyHeld.length > 0) return reservationHeld(alreadyHeld);

    const choice = chooseBestSeats({
      seats,
      isFree: (seat) => !seenTaken.has(seat.seatId) && canBeHeldBy(seat, purchaseId, options.now),
      quantity,
      purchaseId,
      attempt,
    });
    if (!choice) throw new SeatsUnavailableError([], { message: `Fewer than ${quantity} seats are left in ${where}` });

    const plan = planHold([...choice.seats].sort(seatOrder), purchaseId, options.now, options.holdDurationSeconds);
    try {
      await store.applyTransitions(concertId, plan.transitions);
      return plan.result;
    } catch (error) {
      if (!(error instanceof SeatWriteConflictError)) throw error;
      for (const seatId of error.seatIds) seenTaken.add(seatId);
      if (attempt < maxAttempts) await pause(attempt);
    }
  }
  throw new SeatsUnavailableError([], { message: `Other buyers kept taking the best seats in ${where} (${maxAttempts} attempts)` });
};
