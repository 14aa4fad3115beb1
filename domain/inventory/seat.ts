import * as z from 'zod';
import { seatSchema } from '#domain/catalog/concert';
import { TABLES } from '#domain/tables';
import type { Money } from '#events/metadata';

/**
 * A seat as the saga reads and writes it: the catalog's seats item plus
 * `releasedFromPurchaseId`, which ReleaseSeats leaves behind so that running
 * it again still reports the seats it freed (the event must say so even when
 * the first run stopped before publishing). The next hold removes it.
 */
export const inventorySeatSchema = seatSchema.extend({
  releasedFromPurchaseId: z.string().optional(),
});
export type InventorySeat = z.infer<typeof inventorySeatSchema>;

export const SEAT_STATUS = { available: 'AVAILABLE', held: 'HELD', sold: 'SOLD' } as const;

/** The key of a seats item. */
export const seatKey = (concertId: string, seatId: string) => ({
  [TABLES.seats.partitionKey]: concertId,
  [TABLES.seats.sortKey]: seatId,
});

/** Epoch seconds, the unit of holdExpiresAt (and of a DynamoDB TTL attribute). */
export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** Held by this purchase and the hold has not run out. */
export const isActivelyHeldBy = (seat: InventorySeat, purchaseId: string, now: Date): boolean =>
  seat.status === SEAT_STATUS.held && seat.holderPurchaseId === purchaseId && !isHoldExpired(seat, now);

/** A HELD seat whose hold ran out counts as available: its saga timed out without releasing it. */
export const isHoldExpired = (seat: InventorySeat, now: Date): boolean =>
  seat.status === SEAT_STATUS.held && seat.holdExpiresAt !== undefined && seat.holdExpiresAt < epochSeconds(now);

/** Whether this purchase may hold the seat now. */
export const canBeHeldBy = (seat: InventorySeat, purchaseId: string, now: Date): boolean =>
  seat.status === SEAT_STATUS.available ||
  (seat.status === SEAT_STATUS.held && (seat.holderPurchaseId === purchaseId || isHoldExpired(seat, now)));

export class MixedCurrenciesError extends Error {
  override readonly name = 'MixedCurrenciesError';
}

/** The sum of prices that share one currency (a concert has a single currency). */
export const sumPrices = (prices: readonly Money[]): Money => {
  const [first] = prices;
  if (!first) throw new RangeError('cannot sum an empty list of prices');
  const currencies = new Set(prices.map((price) => price.currency));
  if (currencies.size > 1) throw new MixedCurrenciesError(`prices in more than one currency: ${[...currencies].join(', ')}`);
  return { amount: prices.reduce((sum, price) => sum + price.amount, 0), currency: first.currency };
};

/** The requested seat ids in request order, each once: a transaction may touch an item only once. */
export const distinctSeatIds = (seatIds: readonly string[]): string[] => [...new Set(seatIds)];
