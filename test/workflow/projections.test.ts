import { BatchWriteCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbConcertStore } from '#domain/catalog/adapters/dynamodb-concert-store';
import { createConcert } from '#domain/catalog/create-concert';
import { parsePriceBands } from '#domain/catalog/seat-layout';
import { createDynamoDbPurchaseStore } from '#domain/orders/adapters/dynamodb-purchase-store';
import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';
import type { PurchaseRecord } from '#domain/orders/purchase';
import { maskPaymentToken } from '#domain/orders/purchase-request';
import { EVENT_CATALOG } from '#events/catalog';
import { eventIdFor } from '#events/metadata';
import { useLocalDynamoDb } from '#test/support/dynamodb';

/**
 * Invariant 5 of DESIGN.md for the two read models: EventBridge replays are
 * not ordered and deliveries may repeat, so the projections must converge on
 * the same items whatever the order and however often each event arrives.
 * The real projection handlers run against DynamoDB Local.
 */

type Projection = (event: unknown) => Promise<void>;

const getDynamoDb = useLocalDynamoDb({ env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' } });
let projectPurchaseStatus: Projection;
let projectSeatAvailability: Projection;

const CONCERT_ID = 'rock-night';
const CURRENCY = 'EUR';
const SEAT_PRICE = 12000;
const SHUFFLE_SEED = 20261126;
/** Deliveries in flight at once, as EventBridge invokes targets concurrently. */
const DELIVERY_CONCURRENCY = 8;

// ---------------------------------------------------------------------------
// The saga histories: each purchase's events as the steps publish them, with
// seat versions as the seats table would have numbered them (1 at creation,
// +1 per write).

interface SeatVersion {
  readonly seatId: string;
  readonly version: number;
}

interface Delivery {
  readonly 'detail-type': string;
  readonly source: string;
  readonly detail: Record<string, unknown>;
}

const money = (amount: number) => ({ amount, currency: CURRENCY });
const sourceOf = (detailType: string) => {
  const definition = EVENT_CATALOG.find((d) => d.detailType === detailType);
  if (!definition) throw new Error(`no event ${detailType} in the catalog`);
  return definition.source;
};

/** Builds one purchase's events with increasing times, as its saga would publish them. */
const history = (purchaseId: string, startMinute: number) => {
  const deliveries: Delivery[] = [];
  const emit = (detailType: string, detail: Record<string, unknown>) => {
    const second = String(deliveries.length).padStart(2, '0');
    deliveries.push({
      'detail-type': detailType,
      source: sourceOf(detailType),
      detail: {
        eventId: eventIdFor(purchaseId, detailType),
        purchaseId,
        concertId: CONCERT_ID,
        occurredAt: `2026-11-26T10:${String(startMinute).padStart(2, '0')}:${second}.000Z`,
        correlationId: `corr-${purchaseId}`,
        ...detail,
      },
    });
  };
  const builder = {
    requested: (buyerId: string, seatIds: string[]) => {
      emit('PurchaseRequested.v1', { buyerId, seatIds, paymentRef: maskPaymentToken('tok_approve') });
      return builder;
    },
    reserved: (seats: SeatVersion[]) => {
      emit('SeatsReserved.v1', {
        seats: seats.map((seat) => ({ ...seat, price: money(SEAT_PRICE) })),
        total: money(SEAT_PRICE * seats.length),
        holdExpiresAt: '2026-11-26T10:59:00.000Z',
      });
      return builder;
    },
    charged: (amount: number) => {
      emit('PaymentCharged.v1', { chargeId: `ch-${purchaseId}`, amount: money(amount), paymentRef: maskPaymentToken('tok_approve') });
      return builder;
    },
    invoiced: (amount: number) => {
      emit('InvoiceCreated.v1', {
        invoiceId: `INV-${purchaseId}`,
        lines: [{ seatId: 'A-1', description: 'Seat', price: money(amount) }],
        subtotal: money(amount),
        tax: money(0),
        total: money(amount),
      });
      return builder;
    },
    confirmed: (seats: SeatVersion[]) => {
      emit('PurchaseConfirmed.v1', { seats, invoiceId: `INV-${purchaseId}`, total: money(SEAT_PRICE * seats.length) });
      return builder;
    },
    refunded: (amount: number) => {
      emit('PaymentRefunded.v1', { refundId: `rf-${purchaseId}`, chargeId: `ch-${purchaseId}`, amount: money(amount) });
      return builder;
    },
    released: (seats: SeatVersion[]) => {
      emit('SeatsReleased.v1', { seats });
      return builder;
    },
    failed: (reason: string, failedStep: string, flags: { paymentRefunded: boolean; seatsReleased: boolean }) => {
      emit('PurchaseFailed.v1', { reason, failedStep, message: `Failed at ${failedStep}`, ...flags });
      return builder;
    },
    deliveries,
  };
  return builder;
};

/** Six purchases over one small concert, covering every path and seats that change hands. */
const PURCHASES = [
  // Confirmed.
  { id: 'purchase-confirmed', buyerId: 'buyer-1', seatIds: ['A-1', 'A-2'], events: history('purchase-confirmed', 0)
      .requested('buyer-1', ['A-1', 'A-2']).reserved([{ seatId: 'A-1', version: 2 }, { seatId: 'A-2', version: 2 }])
      .charged(24000).invoiced(24000).confirmed([{ seatId: 'A-1', version: 3 }, { seatId: 'A-2', version: 3 }]).deliveries },
  // Declined: holds A-3, releases it.
  { id: 'purchase-declined', buyerId: 'buyer-2', seatIds: ['A-3'], events: history('purchase-declined', 1)
      .requested('buyer-2', ['A-3']).reserved([{ seatId: 'A-3', version: 2 }]).released([{ seatId: 'A-3', version: 3 }])
      .failed('PAYMENT_DECLINED', 'ChargePayment', { paymentRefunded: false, seatsReleased: true }).deliveries },
  // Buys A-3 after the declined purchase released it, and B-1.
  { id: 'purchase-second-hand', buyerId: 'buyer-3', seatIds: ['A-3', 'B-1'], events: history('purchase-second-hand', 2)
      .requested('buyer-3', ['A-3', 'B-1']).reserved([{ seatId: 'A-3', version: 4 }, { seatId: 'B-1', version: 2 }])
      .charged(24000).invoiced(24000).confirmed([{ seatId: 'A-3', version: 5 }, { seatId: 'B-1', version: 3 }]).deliveries },
  // Seats taken: fails at ReserveSeats, holds nothing.
  { id: 'purchase-too-late', buyerId: 'buyer-4', seatIds: ['A-1'], events: history('purchase-too-late', 3)
      .requested('buyer-4', ['A-1']).failed('SEATS_UNAVAILABLE', 'ReserveSeats', { paymentRefunded: false, seatsReleased: false }).deliveries },
  // Invoice failure: charged, refunded, B-2 released.
  { id: 'purchase-refunded', buyerId: 'buyer-5', seatIds: ['B-2'], events: history('purchase-refunded', 4)
      .requested('buyer-5', ['B-2']).reserved([{ seatId: 'B-2', version: 2 }]).charged(12000).refunded(12000)
      .released([{ seatId: 'B-2', version: 3 }])
      .failed('INVOICE_FAILED', 'CreateInvoice', { paymentRefunded: true, seatsReleased: true }).deliveries },
  // Still running: paid, B-3 held.
  { id: 'purchase-in-flight', buyerId: 'buyer-6', seatIds: ['B-3'], events: history('purchase-in-flight', 5)
      .requested('buyer-6', ['B-3']).reserved([{ seatId: 'B-3', version: 2 }]).charged(12000).deliveries },
];

const ALL_DELIVERIES: readonly Delivery[] = PURCHASES.flatMap((purchase) => purchase.events);

const envelopeOf = (delivery: Delivery, index: number) => ({
  version: '0',
  id: `delivery-${index}`,
  account: '000000000000',
  region: 'us-east-1',
  time: String(delivery.detail.occurredAt),
  resources: [],
  ...delivery,
});

// ---------------------------------------------------------------------------
// Delivering, seeding and reading the projections.

/** Both rules' targets receive the event, as the bus would route it. */
const deliver = async (delivery: Delivery, index: number) => {
  const event = envelopeOf(delivery, index);
  await projectPurchaseStatus(event);
  await projectSeatAvailability(event);
};

/** A deterministic shuffle (mulberry32 + Fisher-Yates), so a failure can be replayed. */
const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
};

const scanAll = async (tableName: string) => {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: getDynamoDb().documentClient }, { TableName: tableName, ConsistentRead: true })) {
    items.push(...(page.Items ?? []));
  }
  const keyOf = (item: Record<string, unknown>) => `${String(item.purchaseId ?? item.concertId)}/${String(item.seatId ?? '')}`;
  return items.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
};

/** Both read models, item by item. */
const snapshot = async () => ({
  purchases: await scanAll(getDynamoDb().tables.purchases),
  seatAvailability: await scanAll(getDynamoDb().tables.seatAvailability),
});

const emptyPurchases = async () => {
  const { documentClient, tables } = getDynamoDb();
  const items = await scanAll(tables.purchases);
  for (let start = 0; start < items.length; start += 25) {
    const deletes = items.slice(start, start + 25).map((item) => ({ DeleteRequest: { Key: { purchaseId: item.purchaseId } } }));
    await documentClient.send(new BatchWriteCommand({ RequestItems: { [tables.purchases]: deletes } }));
  }
};

/**
 * The state before any event: the concert's seats as the concert tool
 * creates them, and each purchase as POST /purchases records it.
 */
const seedFreshProjections = async () => {
  const { documentClient, tables } = getDynamoDb();
  const concerts = createDynamoDbConcertStore({
    client: documentClient,
    tables: { concerts: tables.concerts, seats: tables.seats, seatAvailability: tables.seatAvailability },
  });
  await createConcert(
    concerts,
    {
      concertId: CONCERT_ID,
      name: 'Rock Night',
      venue: 'Arena',
      startsAt: '2026-12-31T20:00:00Z',
      currency: CURRENCY,
      rows: 2,
      seatsPerRow: 4,
      priceBands: parsePriceBands(`A-B:${SEAT_PRICE}`),
    },
    { replace: true },
  );
  await emptyPurchases();
  const purchases = createDynamoDbPurchaseStore({ client: documentClient, tableName: tables.purchases });
  for (const [index, purchase] of PURCHASES.entries()) {
    const createdAt = `2026-11-26T09:59:0${index}.000Z`;
    const record: PurchaseRecord = {
      purchaseId: purchase.id,
      buyerId: purchase.buyerId,
      concertId: CONCERT_ID,
      seatIds: purchase.seatIds,
      paymentToken: 'tok_approve',
      paymentRef: maskPaymentToken('tok_approve'),
      requestHash: `hash-${purchase.id}`,
      correlationId: `corr-${purchase.id}`,
      createdAt,
      updatedAt: createdAt,
      status: 'QUEUED',
      statusRank: 0,
    };
    await purchases.create(record);
  }
};

const deliverInOrderOnce = async () => {
  for (const [index, delivery] of ALL_DELIVERIES.entries()) await deliver(delivery, index);
};

// ---------------------------------------------------------------------------

let inOrderOnce: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  ({ handler: projectPurchaseStatus } = await import('#handlers/project-purchase-status'));
  ({ handler: projectSeatAvailability } = await import('#handlers/project-seat-availability'));
  await seedFreshProjections();
  await deliverInOrderOnce();
  inOrderOnce = await snapshot();
});

test('delivered in order once, the projections show what each saga did', () => {
  const statuses = Object.fromEntries(inOrderOnce.purchases.map((item) => [item.purchaseId, item.status]));
  const seats = Object.fromEntries(inOrderOnce.seatAvailability.map((item) => [item.seatId, [item.status, item.purchaseId ?? null, item.version]]));

  expect(statuses).toEqual({
    'purchase-confirmed': 'CONFIRMED',
    'purchase-declined': 'FAILED',
    'purchase-second-hand': 'CONFIRMED',
    'purchase-too-late': 'FAILED',
    'purchase-refunded': 'FAILED',
    'purchase-in-flight': 'PAID',
  });
  // Only a purchase still under way keeps the payment token; the orderings below converge on this too.
  expect(inOrderOnce.purchases.filter((item) => 'paymentToken' in item).map((item) => item.purchaseId)).toEqual(['purchase-in-flight']);
  expect(seats).toEqual({
    'A-1': ['SOLD', 'purchase-confirmed', 3],
    'A-2': ['SOLD', 'purchase-confirmed', 3],
    'A-3': ['SOLD', 'purchase-second-hand', 5],
    'A-4': ['AVAILABLE', null, 1],
    'B-1': ['SOLD', 'purchase-second-hand', 3],
    'B-2': ['AVAILABLE', null, 3],
    'B-3': ['HELD', 'purchase-in-flight', 2],
    'B-4': ['AVAILABLE', null, 1],
  });
});

test('replaying every event twice, shuffled and concurrently, leaves both projections unchanged', async () => {
  await seedFreshProjections();
  await deliverInOrderOnce();

  const replay = shuffled([...ALL_DELIVERIES, ...ALL_DELIVERIES], SHUFFLE_SEED);
  await mapWithConcurrency(replay, DELIVERY_CONCURRENCY, deliver);

  expect(await snapshot()).toEqual(inOrderOnce);
});

test('every event delivered twice in shuffled order from the start ends in the same projections as in order once', async () => {
  await seedFreshProjections();

  const outOfOrder = shuffled([...ALL_DELIVERIES, ...ALL_DELIVERIES], SHUFFLE_SEED + 1);
  await mapWithConcurrency(outOfOrder, DELIVERY_CONCURRENCY, deliver);

  expect(await snapshot()).toEqual(inOrderOnce);
});
