import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { buildConcertItems } from '#domain/catalog/create-concert';
import { DependencyUnavailableError, SeatsUnavailableError } from '#domain/errors';
import { createDynamoDbSeatStore } from '#domain/inventory/adapters/dynamodb-seat-store';
import { reserveSeats, type Reservation } from '#domain/inventory/reserve-seats';
import { inventorySeatSchema } from '#domain/inventory/seat';
import { mulberry32 } from '#local/index';
import { putItems, useLocalDynamoDb } from '#test/support/dynamodb';
import { HOLD_DURATION_SECONDS } from '#workflows/purchase-saga';

/**
 * 200 purchases race for overlapping sets of 20 seats on DynamoDB Local. The
 * seats table must end up with every seat held by at most one purchase, and
 * exactly by the purchases that were told they hold it.
 */
const db = useLocalDynamoDb();

const CONCERT_ID = 'contention-night';
const PURCHASES = 200;
const ROW_LENGTH = 10;

const seatSetsFor = (seatIds: readonly string[]) => {
  // A seeded generator, so every run races for the same seat sets.
  const random = mulberry32(42);
  return Array.from({ length: PURCHASES }, () => {
    const size = 1 + Math.floor(random() * 4);
    const start = Math.floor(random() * seatIds.length);
    // Neighbouring seats, as buyers pick them: heavy overlap between purchases.
    return Array.from({ length: size }, (_, offset) => seatIds[(start + offset) % seatIds.length] as string);
  });
};

type Outcome =
  | { purchaseId: string; seatIds: string[]; kind: 'reserved'; reservation: Reservation }
  | { purchaseId: string; seatIds: string[]; kind: 'unavailable'; taken: readonly string[] }
  | { purchaseId: string; seatIds: string[]; kind: 'contended' };

let outcomes: Outcome[] = [];
let finalSeats: ReturnType<typeof inventorySeatSchema.parse>[] = [];

beforeAll(async () => {
  const { documentClient, tables } = db();
  const { seats } = buildConcertItems({
    concertId: CONCERT_ID,
    name: 'Contention Night',
    venue: 'Test Hall',
    startsAt: '2027-01-01T20:00:00Z',
    currency: 'EUR',
    rows: 2,
    seatsPerRow: ROW_LENGTH,
    priceBands: [{ fromRow: 'A', toRow: 'B', amount: 5000 }],
  });
  await putItems(documentClient, tables.seats, seats);

  const store = createDynamoDbSeatStore({ client: documentClient, tableName: tables.seats });
  const now = new Date();
  outcomes = await Promise.all(
    seatSetsFor(seats.map((seat) => seat.seatId)).map(async (seatIds, index): Promise<Outcome> => {
      const purchaseId = `purchase-${String(index).padStart(4, '0')}`;
      try {
        const reservation = await reserveSeats(store, { purchaseId, concertId: CONCERT_ID, seatIds }, { now, holdDurationSeconds: HOLD_DURATION_SECONDS });
        return { purchaseId, seatIds, kind: 'reserved', reservation };
      } catch (error) {
        if (error instanceof SeatsUnavailableError) return { purchaseId, seatIds, kind: 'unavailable', taken: error.takenSeatIds };
        if (error instanceof DependencyUnavailableError) return { purchaseId, seatIds, kind: 'contended' };
        throw error;
      }
    }),
  );

  const scan = await documentClient.send(new ScanCommand({ TableName: tables.seats, ConsistentRead: true }));
  finalSeats = (scan.Items ?? []).map((item) => inventorySeatSchema.parse(item));
});

const reserved = () => outcomes.filter((o): o is Extract<Outcome, { kind: 'reserved' }> => o.kind === 'reserved');
const holderOf = (seatId: string) => finalSeats.find((seat) => seat.seatId === seatId)?.holderPurchaseId;

test('some purchases win and most lose: the race really contended', () => {
  expect(reserved().length).toBeGreaterThan(0);
  expect(outcomes.filter((o) => o.kind === 'unavailable').length).toBeGreaterThan(PURCHASES / 2);
});

test('no seat is promised to two purchases', () => {
  const promised = reserved().flatMap((o) => o.reservation.seats.map((seat) => seat.seatId));

  expect(new Set(promised).size).toBe(promised.length);
});

test('every successful reservation holds exactly its seats, at the versions it reported', () => {
  for (const outcome of reserved()) {
    expect(outcome.reservation.seats.map((seat) => seat.seatId)).toEqual(outcome.seatIds);
    for (const seat of outcome.reservation.seats) {
      const stored = finalSeats.find((s) => s.seatId === seat.seatId);
      expect(stored).toMatchObject({ status: 'HELD', holderPurchaseId: outcome.purchaseId, version: seat.version });
    }
  }
});

test('the held seats in the table are exactly the seats of the successful reservations', () => {
  const held = finalSeats.filter((seat) => seat.status === 'HELD').map((seat) => `${seat.seatId}:${seat.holderPurchaseId}`);
  const promised = reserved().flatMap((o) => o.seatIds.map((seatId) => `${seatId}:${o.purchaseId}`));

  expect(held.sort()).toEqual(promised.sort());
  expect(finalSeats.filter((seat) => seat.status !== 'HELD').every((seat) => seat.status === 'AVAILABLE' && seat.version === 1)).toBe(true);
});

test('a refused purchase names only requested seats that another purchase holds', () => {
  for (const outcome of outcomes.filter((o): o is Extract<Outcome, { kind: 'unavailable' }> => o.kind === 'unavailable')) {
    expect(outcome.taken.length).toBeGreaterThan(0);
    for (const seatId of outcome.taken) {
      expect(outcome.seatIds).toContain(seatId);
      expect(holderOf(seatId)).toBeDefined();
      expect(holderOf(seatId)).not.toBe(outcome.purchaseId);
    }
  }
});
