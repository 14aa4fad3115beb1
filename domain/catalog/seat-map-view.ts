import type { Money } from '#events/metadata';
import type { Concert, SeatAvailability, SeatStatus } from './concert.ts';
import { parseSeatId, rowIndex } from './seat-layout.ts';

interface SeatMapSeat {
  readonly seatId: string;
  readonly number: number;
  readonly price?: Money;
  readonly status: SeatStatus;
}

interface SeatMapRow {
  readonly row: string;
  readonly seats: readonly SeatMapSeat[];
}

export interface SeatMapView {
  readonly concert: Concert;
  readonly counts: { readonly total: number; readonly available: number; readonly held: number; readonly sold: number };
  readonly rows: readonly SeatMapRow[];
}

/**
 * A hold whose expiry has passed belongs to a saga that ended without
 * releasing it (it timed out): the seats table already treats such a seat as
 * available, so the map does too.
 */
export const effectiveStatus = (seat: SeatAvailability, now: Date): SeatStatus =>
  seat.status === 'HELD' && seat.holdExpiresAt !== undefined && Date.parse(seat.holdExpiresAt) <= now.getTime()
    ? 'AVAILABLE'
    : seat.status;

/** The seat map of GET /concerts/{concertId}/seats: rows in venue order, seats by number, with counts. */
export const seatMapView = (concert: Concert, availability: readonly SeatAvailability[], now: Date): SeatMapView => {
  const rows = new Map<string, SeatMapSeat[]>();
  const counts = { total: 0, available: 0, held: 0, sold: 0 };
  for (const item of availability) {
    const { row, number } = parseSeatId(item.seatId);
    const status = effectiveStatus(item, now);
    counts.total++;
    if (status === 'AVAILABLE') counts.available++;
    else if (status === 'HELD') counts.held++;
    else counts.sold++;
    const seats = rows.get(row) ?? [];
    seats.push({ seatId: item.seatId, number, ...(item.price ? { price: item.price } : {}), status });
    rows.set(row, seats);
  }
  return {
    concert,
    counts,
    rows: [...rows.entries()]
      .sort(([a], [b]) => rowIndex(a) - rowIndex(b))
      .map(([row, seats]) => ({ row, seats: seats.sort((a, b) => a.number - b.number) })),
  };
};
