import { rowLabel, seatIdOf } from '#domain/catalog/seat-layout';
import { mulberry32 } from '#local/index';

/**
 * What each simulated buyer asks for: deterministic for a seed, so two runs
 * of `npm run onsale` with the same flags send the same requests. Buyers
 * crowd the front rows, as real buyers do, so many of them compete for the
 * same seats.
 */

export interface HallShape {
  readonly rows: number;
  readonly seatsPerRow: number;
}

export interface BuyerRequest {
  readonly buyerId: string;
  readonly idempotencyKey: string;
  readonly seatIds: readonly string[];
  readonly paymentToken: string;
}

/** Share of buyers per payment outcome; the rest pay with tok_approve. */
const TOKEN_MIX: ReadonlyArray<readonly [number, string]> = [
  [0.05, 'tok_decline'],
  [0.02, 'tok_insufficient_funds'],
  [0.03, 'tok_unavailable_once'],
];
const SEATS_PER_BUYER = [1, 2, 2, 2, 3, 4];

const pickToken = (r: number): string => {
  let threshold = 0;
  for (const [share, token] of TOKEN_MIX) {
    threshold += share;
    if (r < threshold) return token;
  }
  return 'tok_approve';
};

/** The hall for about `seats` seats: rows of 25 (fewer when the hall is smaller). */
export const hallFor = (seats: number): HallShape => {
  const seatsPerRow = Math.min(25, seats);
  return { rows: Math.ceil(seats / seatsPerRow), seatsPerRow };
};

export const planBuyers = (count: number, hall: HallShape, seed: number, runId: string): BuyerRequest[] => {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, index) => {
    const wanted = Math.min(SEATS_PER_BUYER[Math.floor(random() * SEATS_PER_BUYER.length)] ?? 2, hall.seatsPerRow);
    // Squaring skews choices towards the front rows, where contention is.
    const row = Math.floor(random() ** 2 * hall.rows);
    const first = 1 + Math.floor(random() * (hall.seatsPerRow - wanted + 1));
    const seatIds = Array.from({ length: wanted }, (_, offset) => seatIdOf(rowLabel(row), first + offset));
    return {
      buyerId: `buyer-${index + 1}`,
      idempotencyKey: `${runId}-${index + 1}`,
      seatIds,
      paymentToken: pickToken(random()),
    };
  });
};
