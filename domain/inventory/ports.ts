import type { RowRange } from '#domain/catalog/seat-layout';
import type { InventorySeat } from './seat.ts';

/** What a seat becomes in a transition. Every transition also bumps the version by one. */
export type SeatChange =
  | { readonly status: 'HELD'; readonly holderPurchaseId: string; readonly holdExpiresAt: number }
  | { readonly status: 'SOLD'; readonly holderPurchaseId: string }
  | { readonly status: 'AVAILABLE'; readonly releasedFromPurchaseId: string };

/**
 * One seat's write, conditional on the version that was read: if anyone wrote
 * the seat in between, the whole transaction is cancelled (optimistic
 * concurrency), so a seat can never be given to two purchases.
 */
export interface SeatTransition {
  readonly seatId: string;
  readonly expectedVersion: number;
  readonly change: SeatChange;
}

/** The seats table, as the inventory context uses it. */
export interface SeatStore {
  /** Strongly consistent reads of the given seats; unknown seat ids are absent from the map. */
  getSeats(concertId: string, seatIds: readonly string[]): Promise<Map<string, InventorySeat>>;
  /**
   * Strongly consistent read of the seats in the rows (the whole concert
   * without rows) that the purchase could take or has touched: AVAILABLE
   * seats, holds that ran out, and seats it holds, bought or released. Seats
   * other purchases hold or bought are left in the table: as an on-sale goes
   * on, most seats are theirs, and not reading them keeps each pick cheap.
   */
  listSeatsOpenTo(concertId: string, purchaseId: string, now: Date, rows?: RowRange): Promise<InventorySeat[]>;
  /**
   * Applies every transition or none (one transaction). Throws
   * SeatWriteConflictError when a seat's version changed since it was read.
   */
  applyTransitions(concertId: string, transitions: readonly SeatTransition[]): Promise<void>;
}

/** The transaction was cancelled because these seats were written by someone else (or are being written). */
export class SeatWriteConflictError extends Error {
  override readonly name = 'SeatWriteConflictError';
  constructor(
    readonly seatIds: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Seats changed while being written: ${seatIds.join(', ')}`, options);
  }
}
