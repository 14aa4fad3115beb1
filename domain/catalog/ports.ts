import type { Concert, Seat, SeatAvailability } from './concert.ts';
import type { SeatAvailabilityChange } from './seat-availability-projection.ts';

/** Reports how far a long write has come (seat items are written 25 at a time). */
export type ProgressListener = (progress: { readonly phase: 'deleting' | 'writing'; readonly done: number; readonly total: number }) => void;

/** The concerts, seats and seatAvailability tables, as the concert tool and the API use them. */
export interface ConcertStore {
  getConcert(concertId: string): Promise<Concert | undefined>;
  listConcerts(): Promise<Concert[]>;
  /** `exists` (and nothing written) when the concert is there and `overwrite` is false. */
  putConcert(concert: Concert, options: { readonly overwrite: boolean }): Promise<'written' | 'exists'>;
  /** Writes seats and their availability items; overwrites items with the same keys. */
  putSeats(seats: readonly Seat[], availability: readonly SeatAvailability[], onProgress?: ProgressListener): Promise<void>;
  /** Deletes every seat and availability item of the concert; returns how many items it deleted. */
  deleteSeats(concertId: string, onProgress?: ProgressListener): Promise<number>;
}

/** The seatAvailability read model, as the projection and the seat map use it. */
export interface SeatAvailabilityStore {
  /** Every availability item of the concert, across as many pages as it takes. */
  listSeats(concertId: string): Promise<SeatAvailability[]>;
  /** Applies the change when its seat version is newer than the stored one; `stale` otherwise. */
  applyChange(change: SeatAvailabilityChange): Promise<'applied' | 'stale'>;
}
