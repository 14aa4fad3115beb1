import { rowRangeOfBand } from '#domain/catalog/seat-layout';
import type { SeatVersion } from '#events/metadata';
import { writeSeatsOptimistically, type OptimisticWriteOptions, type SeatPlan } from './optimistic-seat-write.ts';
import type { SeatStore } from './ports.ts';
import { SEAT_STATUS, distinctSeatIds, type InventorySeat } from './seat.ts';

export interface ReleaseSeatsRequest {
  readonly purchaseId: string;
  readonly concertId: string;
  readonly seatIds: readonly string[];
}

const isHeldBy = (seat: InventorySeat, purchaseId: string) => seat.status === SEAT_STATUS.held && seat.holderPurchaseId === purchaseId;
const wasReleasedBy = (seat: InventorySeat, purchaseId: string) =>
  seat.status === SEAT_STATUS.available && seat.releasedFromPurchaseId === purchaseId;

/**
 * Seats HELD by the purchase become AVAILABLE (version + 1). Seats it does not
 * hold are skipped, never touched: they may be free, or another purchase's.
 * Seats this purchase released before and nobody took since are reported
 * again with their version, so a rerun publishes the same release.
 */
const planRelease = (request: ReleaseSeatsRequest, seats: ReadonlyMap<string, InventorySeat>): SeatPlan<SeatVersion[]> => {
  const requested = distinctSeatIds(request.seatIds)
    .map((seatId) => seats.get(seatId))
    .filter((seat) => seat !== undefined);
  const toRelease = requested.filter((seat) => isHeldBy(seat, request.purchaseId));
  const released = requested.flatMap((seat) => {
    if (isHeldBy(seat, request.purchaseId)) return [{ seatId: seat.seatId, version: seat.version + 1 }];
    if (wasReleasedBy(seat, request.purchaseId)) return [{ seatId: seat.seatId, version: seat.version }];
    return [];
  });
  return {
    transitions: toRelease.map((seat) => ({
      seatId: seat.seatId,
      expectedVersion: seat.version,
      change: { status: SEAT_STATUS.available, releasedFromPurchaseId: request.purchaseId },
    })),
    result: released,
  };
};

/** Frees the purchase's holds in one transaction; returns the seats it released (possibly none). */
export const releaseSeats = (store: SeatStore, request: ReleaseSeatsRequest, options: OptimisticWriteOptions = {}): Promise<SeatVersion[]> =>
  writeSeatsOptimistically(store, request.concertId, distinctSeatIds(request.seatIds), (seats) => planRelease(request, seats), options);

/**
 * The seats this purchase holds, or released and nobody took since, in the
 * band (the whole venue without one). For a purchase by quantity whose
 * ReserveSeats gave no answer: only the seats table knows what it chose.
 */
export const seatIdsOfPurchaseIn = async (store: SeatStore, concertId: string, purchaseId: string, priceBand?: string): Promise<string[]> => {
  const seats = await store.listSeatsOpenTo(concertId, purchaseId, new Date(), priceBand === undefined ? undefined : rowRangeOfBand(priceBand));
  return seats.filter((seat) => isHeldBy(seat, purchaseId) || wasReleasedBy(seat, purchaseId)).map((seat) => seat.seatId);
};
