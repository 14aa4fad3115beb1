import { isRowInRange, type RowRange } from '#domain/catalog/seat-layout';
import { SeatWriteConflictError, type SeatStore, type SeatTransition } from '#domain/inventory/ports';
import type { InventorySeat } from '#domain/inventory/seat';

/**
 * A SeatStore that keeps seats in a map and applies the same version
 * conditions as the DynamoDB adapter, all or nothing. `beforeWrite` lets a
 * test play a concurrent writer between a read and a write.
 */
export class InMemorySeatStore implements SeatStore {
  readonly seats = new Map<string, InventorySeat>();
  readonly writes: SeatTransition[][] = [];
  beforeWrite: ((store: InMemorySeatStore, transitions: readonly SeatTransition[]) => void) | undefined;

  constructor(seats: readonly InventorySeat[] = []) {
    for (const seat of seats) this.seats.set(seat.seatId, { ...seat });
  }

  async getSeats(_concertId: string, seatIds: readonly string[]): Promise<Map<string, InventorySeat>> {
    return new Map(seatIds.flatMap((seatId) => {
      const seat = this.seats.get(seatId);
      return seat ? [[seatId, { ...seat }] as const] : [];
    }));
  }

  async listSeatsOpenTo(_concertId: string, purchaseId: string, now: Date, rows?: RowRange): Promise<InventorySeat[]> {
    const openTo = (seat: InventorySeat) =>
      seat.status === 'AVAILABLE' ||
      seat.holderPurchaseId === purchaseId ||
      seat.releasedFromPurchaseId === purchaseId ||
      (seat.holdExpiresAt !== undefined && seat.holdExpiresAt < now.getTime() / 1000);
    return [...this.seats.values()].filter((seat) => openTo(seat) && (rows === undefined || isRowInRange(seat.row, rows))).map((seat) => ({ ...seat }));
  }

  async applyTransitions(_concertId: string, transitions: readonly SeatTransition[]): Promise<void> {
    const interfere = this.beforeWrite;
    this.beforeWrite = undefined;
    interfere?.(this, transitions);
    const conflicting = transitions.filter((t) => this.seats.get(t.seatId)?.version !== t.expectedVersion).map((t) => t.seatId);
    if (conflicting.length > 0) throw new SeatWriteConflictError(conflicting);
    this.writes.push([...transitions]);
    for (const { seatId, expectedVersion, change } of transitions) {
      const seat = this.seats.get(seatId) as InventorySeat;
      const base = { concertId: seat.concertId, seatId, row: seat.row, number: seat.number, price: seat.price, version: expectedVersion + 1 };
      this.seats.set(seatId, change.status === 'AVAILABLE' ? { ...base, status: 'AVAILABLE', releasedFromPurchaseId: change.releasedFromPurchaseId } : { ...base, ...change });
    }
  }
}

export const CONCERT_ID = 'rock-night';
export const NOW = new Date('2026-11-26T10:00:00.000Z');
export const NOW_SECONDS = NOW.getTime() / 1000;

/** A seat of the test concert: AVAILABLE at version 1 unless told otherwise. */
export const seat = (seatId: string, overrides: Partial<InventorySeat> = {}): InventorySeat => {
  const [row = 'A', number = '1'] = seatId.split('-');
  return {
    concertId: CONCERT_ID,
    seatId,
    row,
    number: Number(number),
    price: { amount: 12000, currency: 'EUR' },
    status: 'AVAILABLE',
    version: 1,
    ...overrides,
  };
};
