import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { z } from 'zod';
import type { StepHandler } from '#commons/step-handler';
import { buildConcertItems } from '#domain/catalog/create-concert';
import { inventorySeatSchema } from '#domain/inventory/seat';
import { putItems, useLocalDynamoDb } from '#test/support/dynamodb';

/**
 * Every saga step, run twice with the same input through its real handler
 * module against DynamoDB Local, has one effect. Twice in a row exercises the
 * Powertools idempotency layer; twice with the idempotency record gone in
 * between (it expired, or the layer failed to save it) exercises each
 * step's own conditional writes.
 */
const db = useLocalDynamoDb({ env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_TRACE_ENABLED: 'false', POWERTOOLS_METRICS_DISABLED: 'true' } });
const eventBridge = mockClient(EventBridgeClient);

const CONCERT_ID = 'idempotency-night';
const SEAT_PRICE = 12000;
/** Two seats for each of the 14 tests. */
const SEATS = 60;
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const context: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'step',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:step',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/step',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

type Handlers = {
  reserveSeats: StepHandler<{ seats: Array<{ seatId: string; price: { amount: number; currency: string }; version: number }>; total: { amount: number; currency: string }; holdExpiresAt: string }>;
  chargePayment: StepHandler<{ chargeId: string; amount: { amount: number; currency: string } }>;
  createInvoice: StepHandler<{ invoiceId: string; total: { amount: number; currency: string } }>;
  confirmPurchase: StepHandler<{ seats: Array<{ seatId: string; version: number }> }>;
  voidInvoice: StepHandler<{ voided: boolean }>;
  refundPayment: StepHandler<{ refunded: boolean }>;
  releaseSeats: StepHandler<{ seats: Array<{ seatId: string; version: number }> }>;
  recordPurchaseFailure: StepHandler<{ reason: string; failedStep: string }>;
};
let steps: Handlers;

beforeAll(async () => {
  const { documentClient, tables } = db();
  const { seats } = buildConcertItems({
    concertId: CONCERT_ID,
    name: 'Idempotency Night',
    venue: 'Test Hall',
    startsAt: '2027-01-01T20:00:00Z',
    currency: 'EUR',
    rows: 1,
    seatsPerRow: SEATS,
    priceBands: [{ fromRow: 'A', toRow: 'A', amount: SEAT_PRICE }],
  });
  await putItems(documentClient, tables.seats, seats);
  // The handlers read their configuration when loaded: load them once the environment points at DynamoDB Local.
  steps = {
    reserveSeats: (await import('#handlers/reserve-seats')).handler,
    chargePayment: (await import('#handlers/charge-payment')).handler,
    createInvoice: (await import('#handlers/create-invoice')).handler,
    confirmPurchase: (await import('#handlers/confirm-purchase')).handler,
    voidInvoice: (await import('#handlers/void-invoice')).handler,
    refundPayment: (await import('#handlers/refund-payment')).handler,
    releaseSeats: (await import('#handlers/release-seats')).handler,
    recordPurchaseFailure: (await import('#handlers/record-purchase-failure')).handler,
  };
});

beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
});

// Each test buys its own two seats, so tests share nothing but the tables.
let nextSeat = 1;
const newPurchase = async (name: string) => {
  const purchaseId = `${name}-${String(nextSeat).padStart(4, '0')}`;
  const seatIds = [`A-${nextSeat}`, `A-${nextSeat + 1}`];
  nextSeat += 2;
  const { documentClient, tables } = db();
  await documentClient.send(new PutCommand({ TableName: tables.purchases, Item: { purchaseId, paymentToken: 'tok_approve', paymentRef: 'tok_…rove' } }));
  return { purchaseId, concertId: CONCERT_ID, correlationId: `corr-${purchaseId}`, buyerId: 'buyer-1', seatIds };
};
type Purchase = Awaited<ReturnType<typeof newPurchase>>;

const reserve = (p: Purchase) => steps.reserveSeats({ ...p, saga: { ...p } }, context);
/** Two hours of hold left, as ReserveSeats answers. */
const holdExpiresAt = () => new Date(Date.now() + 7_200_000).toISOString();
const charge = (p: Purchase) => steps.chargePayment({ ...p, amount: eur(2 * SEAT_PRICE), holdExpiresAt: holdExpiresAt() }, context);
const invoice = async (p: Purchase) => {
  const seats = p.seatIds.map((seatId) => ({ seatId, price: eur(SEAT_PRICE), version: 2 }));
  return steps.createInvoice({ ...p, seats, total: eur(2 * SEAT_PRICE) }, context);
};
const confirm = (p: Purchase) => steps.confirmPurchase({ ...p, invoiceId: `INV-${p.purchaseId}`, total: eur(2 * SEAT_PRICE) }, context);
const voidTheInvoice = (p: Purchase) => steps.voidInvoice({ ...p }, context);
const refund = (p: Purchase) => steps.refundPayment({ ...p }, context);
const release = (p: Purchase) => steps.releaseSeats({ ...p, saga: { ...p } }, context);
const recordFailure = (p: Purchase) =>
  steps.recordPurchaseFailure(
    {
      saga: {
        ...p,
        chargePaymentError: { Error: 'PaymentDeclined', Cause: JSON.stringify({ errorType: 'PaymentDeclined', errorMessage: 'The payment was declined' }) },
        releaseSeats: { seats: [{ seatId: p.seatIds[0], version: 3 }] },
      },
    },
    context,
  );

/** Deletes every Powertools idempotency record, as if they had expired. */
const forgetIdempotencyRecords = async () => {
  const { documentClient, tables } = db();
  const { Items = [] } = await documentClient.send(new ScanCommand({ TableName: tables.idempotency, ConsistentRead: true }));
  for (const item of Items) await documentClient.send(new DeleteCommand({ TableName: tables.idempotency, Key: { id: item.id } }));
};

const seatsOf = async (p: Purchase) => {
  const { documentClient, tables } = db();
  const { Items = [] } = await documentClient.send(new ScanCommand({ TableName: tables.seats, ConsistentRead: true }));
  return Items.map((item) => inventorySeatSchema.parse(item)).filter((seat) => p.seatIds.includes(seat.seatId));
};

const itemOf = async (table: 'payments' | 'invoices', purchaseId: string) => {
  const { documentClient, tables } = db();
  return (await documentClient.send(new GetCommand({ TableName: tables[table], Key: { purchaseId }, ConsistentRead: true }))).Item;
};

const publishedDetailSchema = z.looseObject({ eventId: z.string(), occurredAt: z.string() });

/** The events of one detail-type published so far: however many times, one event id and one content. */
const publishedOf = (detailType: string) => {
  const details = eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .filter((entry) => entry.DetailType === detailType)
    .map((entry) => publishedDetailSchema.parse(JSON.parse(entry.Detail ?? 'null')));
  const withoutTime = details.map(({ occurredAt: _occurredAt, ...rest }) => JSON.stringify(rest));
  return { count: details.length, eventIds: new Set(details.map((d) => d.eventId)), contents: new Set(withoutTime) };
};

/** However often the step published, it published one event: one id, one content (only occurredAt may differ). */
const expectOneEvent = (detailType: string, purchaseId: string) => {
  const published = publishedOf(detailType);
  expect(published.count).toBeGreaterThan(0);
  expect([...published.eventIds]).toEqual([`${purchaseId}:${detailType}`]);
  expect(published.contents.size).toBe(1);
};

/** Runs the step twice, optionally forgetting the idempotency records in between. */
const twice = async <T>(run: () => Promise<T>, forget: boolean): Promise<[T, T]> => {
  const first = await run();
  if (forget) await forgetIdempotencyRecords();
  const second = await run();
  return [first, second];
};

describe.each([
  ['run twice in a row', false],
  ['run twice with the idempotency record gone in between', true],
])('every step %s has one effect', (_scenario, forget) => {
  test('ReserveSeats holds each seat once: one version bump, the same reservation', async () => {
    const p = await newPurchase('reserve');

    const [first, second] = await twice(() => reserve(p), forget);

    expect(second).toEqual(first);
    expect(await seatsOf(p)).toEqual(p.seatIds.map((seatId) => expect.objectContaining({ seatId, status: 'HELD', holderPurchaseId: p.purchaseId, version: 2 })));
    expectOneEvent('SeatsReserved.v1', p.purchaseId);
  });

  test('ChargePayment charges once: one ledger charge, the same charge id', async () => {
    const p = await newPurchase('charge');
    await reserve(p);

    const [first, second] = await twice(() => charge(p), forget);

    expect(second).toEqual(first);
    // Without its idempotency record the repeat reaches the provider again, and still the ledger records one charge.
    expect(await itemOf('payments', p.purchaseId)).toMatchObject({
      chargeId: first.chargeId,
      amount: eur(2 * SEAT_PRICE),
      status: 'CHARGED',
      attempts: forget ? 2 : 1,
      charges: 1,
    });
    expectOneEvent('PaymentCharged.v1', p.purchaseId);
  });

  test('CreateInvoice issues one invoice', async () => {
    const p = await newPurchase('invoice');
    await reserve(p);
    await charge(p);

    let issued: unknown;
    const [first, second] = await twice(async () => {
      const answer = await invoice(p);
      issued ??= await itemOf('invoices', p.purchaseId);
      return answer;
    }, forget);

    expect(second).toEqual(first);
    // The invoice is keyed by purchase, so a second issue would overwrite it: the item is still the first one, issue time included.
    expect(await itemOf('invoices', p.purchaseId)).toEqual(issued);
    expectOneEvent('InvoiceCreated.v1', p.purchaseId);
  });

  test('ConfirmPurchase sells each seat once: one version bump', async () => {
    const p = await newPurchase('confirm');
    await reserve(p);
    await charge(p);
    await invoice(p);

    const [first, second] = await twice(() => confirm(p), forget);

    expect(second).toEqual(first);
    expect(await seatsOf(p)).toEqual(p.seatIds.map((seatId) => expect.objectContaining({ seatId, status: 'SOLD', holderPurchaseId: p.purchaseId, version: 3 })));
    expectOneEvent('PurchaseConfirmed.v1', p.purchaseId);
  });

  test('VoidInvoice voids the invoice once, keeping the first time', async () => {
    const p = await newPurchase('void');
    await reserve(p);
    await charge(p);
    await invoice(p);

    const [first, second] = await twice(() => voidTheInvoice(p), forget);

    expect([first, second]).toEqual([{ voided: true }, { voided: true }]);
    const voidedAt = (await itemOf('invoices', p.purchaseId))?.['voidedAt'];
    expect(voidedAt).toEqual(expect.any(String));
    expectOneEvent('InvoiceVoided.v1', p.purchaseId);
  });

  test('RefundPayment refunds once', async () => {
    const p = await newPurchase('refund');
    await reserve(p);
    await charge(p);

    const [first, second] = await twice(() => refund(p), forget);

    expect([first, second]).toEqual([{ refunded: true }, { refunded: true }]);
    expect(await itemOf('payments', p.purchaseId)).toMatchObject({ status: 'REFUNDED', refundId: `re_${p.purchaseId}` });
    expectOneEvent('PaymentRefunded.v1', p.purchaseId);
  });

  test('ReleaseSeats releases each seat once: one version bump, the same released seats', async () => {
    const p = await newPurchase('release');
    await reserve(p);

    const [first, second] = await twice(() => release(p), forget);

    expect(second).toEqual(first);
    expect(first.seats).toHaveLength(2);
    expect(await seatsOf(p)).toEqual(p.seatIds.map((seatId) => expect.objectContaining({ seatId, status: 'AVAILABLE', version: 3 })));
    expectOneEvent('SeatsReleased.v1', p.purchaseId);
  });

  test('RecordPurchaseFailure publishes one failure', async () => {
    const p = await newPurchase('failure');

    const [first, second] = await twice(() => recordFailure(p), forget);

    expect(second).toEqual(first);
    expectOneEvent('PurchaseFailed.v1', p.purchaseId);
  });
});

describe('the idempotency key of a step is the purchaseId alone', () => {
  test('a repeat that differs in anything but the purchaseId answers from the first run: nothing runs twice', async () => {
    const p = await newPurchase('key');
    await reserve(p);
    await charge(p);
    const publishedBefore = publishedOf('PaymentCharged.v1').count;

    // A redrive or a duplicate invocation may carry other fields (here a later hold time and another correlation id).
    const again = await steps.chargePayment({ ...p, correlationId: `other-${p.correlationId}`, amount: eur(2 * SEAT_PRICE), holdExpiresAt: holdExpiresAt() }, context);

    expect(again).toEqual({ chargeId: `ch_${p.purchaseId}`, amount: eur(2 * SEAT_PRICE) });
    expect(publishedOf('PaymentCharged.v1').count).toBe(publishedBefore);
    expect(await itemOf('payments', p.purchaseId)).toMatchObject({ attempts: 1, charges: 1 });
  });
});
