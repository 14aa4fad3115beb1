import { SagaStateError, SeatsUnavailableError } from '#domain/errors';
import type { Money } from '#events/metadata';
import { writeSeatsOptimistically, type OptimisticWriteOptions, type SeatPlan } from './optimistic-seat-write.ts';
import type { SeatStore } from './ports.ts';
import {
  MixedCurrenciesError,
  SEAT_STATUS,
  canBeHeldBy,
  distinctSeatIds,
  epochSeconds,
  isActivelyHeldBy,
  sumPrices,
  type InventorySeat,
} from './seat.ts';

export interface ReserveSeatsRequest {
  readonly purchaseId: string;
  readonly concertId: string;
  readonly seatIds: readonly string[];
}

interface ReservedSeat {
  readonly seatId: string;
  readonly price: Money;
  /** The seat's version after the hold: projections order seat changes by it. */
  readonly version: number;
}

export interface Reservation {
  readonly seats: readonly ReservedSeat[];
  readonly total: Money;
  /** Epoch seconds. */
  readonly holdExpiresAt: number;
}

export interface ReserveSeatsOptions extends OptimisticWriteOptions {
  readonly now: Date;
  /** How long a new hold lasts: the saga's to say (it outlives the whole execution, see workflows/purchase-saga.ts). */
  readonly holdDurationSeconds: number;
}

const totalOf = (seats: readonly ReservedSeat[]): Money => {
  try {
    return sumPrices(seats.map((seat) => seat.price));
  } catch (error) {
    if (error instanceof MixedCurrenciesError) throw new SagaStateError(`The requested seats are priced in different currencies`, { cause: error });
    throw error;
  }
};

/**
 * The plan for a fresh read of the seats:
 * - an unknown seat, or one held (unexpired) or sold to someone else: SeatsUnavailable naming exactly those seats;
 * - every seat already actively held by this purchase: nothing to write, the stored hold is the result (a rerun);
 * - otherwise every seat becomes HELD by the purchase until now + hold duration, version + 1.
 */
const planReservation = (
  request: ReserveSeatsRequest,
  seats: ReadonlyMap<string, InventorySeat>,
  now: Date,
  holdDurationSeconds: number,
): SeatPlan<Reservation> => {
  const seatIds = distinctSeatIds(request.seatIds);
  const unavailable = seatIds.filter((seatId) => {
    const seat = seats.get(seatId);
    return !seat || !canBeHeldBy(seat, request.purchaseId, now);
  });
  if (unavailable.length > 0) throw new SeatsUnavailableError(unavailable);

  const requested = seatIds.map((seatId) => seats.get(seatId)).filter((seat) => seat !== undefined);
  if (requested.every((seat) => isActivelyHeldBy(seat, request.purchaseId, now))) return { transitions: [], result: reservationHeld(requested) };
  return planHold(requested, request.purchaseId, now, holdDurationSeconds);
};

/** The reservation a purchase already has: its seats as stored, held until the earliest of their expiries. */
export const reservationHeld = (heldSeats: readonly InventorySeat[]): Reservation => {
  const held = heldSeats.map(({ seatId, price, version }) => ({ seatId, price, version }));
  const holdExpiresAt = Math.min(...heldSeats.map((seat) => seat.holdExpiresAt ?? 0));
  return { seats: held, total: totalOf(held), holdExpiresAt };
};

/** Every seat becomes HELD by the purchase until now + hold duration, version + 1. */
export const planHold = (seats: readonly InventorySeat[], purchaseId: string, now: Date, holdDurationSeconds: number): SeatPlan<Reservation> => {
  const holdExpiresAt = epochSeconds(now) + holdDurationSeconds;
  const held = seats.map(({ seatId, price, version }) => ({ seatId, price, version: version + 1 }));
  return {
    transitions: seats.map((seat) => ({
      seatId: seat.seatId,
      expectedVersion: seat.version,
      change: { status: SEAT_STATUS.held, holderPurchaseId: purchaseId, holdExpiresAt },
    })),
    result: { seats: held, total: totalOf(held), holdExpiresAt },
  };
};

/**
 * Holds every requested seat for the purchase in one transaction, or none.
 * Safe to run again: a purchase that already holds its seats gets them back
 * unchanged, with no write.
 */
export const reserveSeats = (store: SeatStore, request: ReserveSeatsRequest, options: ReserveSeatsOptions): Promise<Reservation> =>
  writeSeatsOptimistically(
    store,
    request.concertId,
    distinctSeatIds(request.seatIds),
    (seats) => planReservation(request, seats, options.now, options.holdDurationSeconds),
    options,
  );
