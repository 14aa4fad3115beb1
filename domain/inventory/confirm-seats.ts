import { SeatsNoLongerHeldError } from '#domain/errors';
import type { SeatVersion } from '#events/metadata';
import { writeSeatsOptimistically, type OptimisticWriteOptions, type SeatPlan } from './optimistic-seat-write.ts';
import type { SeatStore } from './ports.ts';
import { SEAT_STATUS, distinctSeatIds, type InventorySeat } from './seat.ts';

export interface ConfirmSeatsRequest {
  readonly purchaseId: string;
  readonly concertId: string;
  readonly seatIds: readonly string[];
}

const isSoldTo = (seat: InventorySeat, purchaseId: string) => seat.status === SEAT_STATUS.sold && seat.holderPurchaseId === purchaseId;
const isHeldBy = (seat: InventorySeat, purchaseId: string) => seat.status === SEAT_STATUS.held && seat.holderPurchaseId === purchaseId;

/**
 * Seats HELD by the purchase become SOLD (version + 1); seats already SOLD to
 * it are done. A hold that ran out still belongs to the purchase as long as
 * nobody took the seat: the version condition guarantees that. A seat the
 * purchase neither holds nor owns was lost after its hold ran out (a run
 * that stalled or was redriven late): SeatsNoLongerHeld, and the saga undoes
 * the invoice and the charge.
 */
const planConfirmation = (request: ConfirmSeatsRequest, seats: ReadonlyMap<string, InventorySeat>): SeatPlan<SeatVersion[]> => {
  const seatIds = distinctSeatIds(request.seatIds);
  const lost = seatIds.filter((seatId) => {
    const seat = seats.get(seatId);
    return !seat || !(isHeldBy(seat, request.purchaseId) || isSoldTo(seat, request.purchaseId));
  });
  if (lost.length > 0) throw new SeatsNoLongerHeldError(lost);

  const requested = seatIds.map((seatId) => seats.get(seatId)).filter((seat) => seat !== undefined);
  const toSell = requested.filter((seat) => isHeldBy(seat, request.purchaseId));
  return {
    transitions: toSell.map((seat) => ({
      seatId: seat.seatId,
      expectedVersion: seat.version,
      change: { status: SEAT_STATUS.sold, holderPurchaseId: request.purchaseId },
    })),
    result: requested.map((seat) => ({ seatId: seat.seatId, version: isHeldBy(seat, request.purchaseId) ? seat.version + 1 : seat.version })),
  };
};

/** Sells the purchase's held seats in one transaction. Safe to run again: sold seats stay as they are. */
export const confirmSeats = (store: SeatStore, request: ConfirmSeatsRequest, options: OptimisticWriteOptions = {}): Promise<SeatVersion[]> =>
  writeSeatsOptimistically(store, request.concertId, distinctSeatIds(request.seatIds), (seats) => planConfirmation(request, seats), options);
