import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { inventorySeatSchema, seatKey } from '#domain/inventory/seat';
import {
  errorBodySchema,
  placePurchase,
  readPurchase,
  waitForSeats,
  waitForTerminalPurchase,
  type PurchaseRequest,
} from '#test/e2e/support/purchases';
import { DEMO_CONCERT_ID, useLocalRuntime } from '#test/e2e/support/runtime';

/**
 * The whole system through its HTTP API on an in-memory local runtime: the
 * API, the queue, the starter, the state machine, the step functions, the bus
 * and its projections, all from the synthesized template. Each test buys its
 * own seats of the demo concert, so the tests do not depend on each other.
 */

/** A saga with cold starts on a loaded 2-core machine takes seconds; this is the point where waiting longer would hide a bug. */
const SAGA_DEADLINE_MS = 90_000;
const PROJECTION_DEADLINE_MS = 30_000;

const purchaseOf = (seatIds: readonly string[], paymentToken = 'tok_approve'): PurchaseRequest => ({ concertId: DEMO_CONCERT_ID, seatIds, paymentToken });

describe('the local runtime through its HTTP API', () => {
  const local = useLocalRuntime();

  /** The seat as the inventory holds it (the seats table, not the projection behind the seat map). */
  const inventorySeat = async (seatId: string) => {
    const { runtime } = local();
    const { Item } = await runtime.documentClient.send(
      new GetCommand({ TableName: runtime.info.outputs.SeatsTableName, Key: seatKey(DEMO_CONCERT_ID, seatId), ConsistentRead: true }),
    );
    return inventorySeatSchema.parse(Item);
  };

  it('confirms an approved purchase with an invoice and shows its seats SOLD', async () => {
    // Prepare
    const api = await local().apiAs('buyer-happy');
    const seatIds = ['A-1', 'A-2'];

    // Act
    const purchaseId = await placePurchase(api, purchaseOf(seatIds));
    const purchase = await waitForTerminalPurchase(api, purchaseId, SAGA_DEADLINE_MS);

    // Assess
    expect(purchase).toMatchObject({ purchaseId, status: 'CONFIRMED', seatIds, invoiceId: expect.stringContaining(purchaseId) });
    expect(purchase.total?.amount).toBeGreaterThan(0);
    expect(await waitForSeats(api, DEMO_CONCERT_ID, seatIds, 'SOLD', PROJECTION_DEADLINE_MS)).toEqual({ 'A-1': 'SOLD', 'A-2': 'SOLD' });
  });

  it('fails a declined payment with PAYMENT_DECLINED and makes its seats available again', async () => {
    // Prepare
    const api = await local().apiAs('buyer-declined');
    const seatIds = ['B-1', 'B-2'];

    // Act
    const purchaseId = await placePurchase(api, purchaseOf(seatIds, 'tok_decline'));
    const purchase = await waitForTerminalPurchase(api, purchaseId, SAGA_DEADLINE_MS);

    // Assess
    expect(purchase).toMatchObject({ purchaseId, status: 'FAILED', failure: { reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' } });
    expect(purchase.invoiceId).toBeUndefined();
    expect(await waitForSeats(api, DEMO_CONCERT_ID, seatIds, 'AVAILABLE', PROJECTION_DEADLINE_MS)).toEqual({ 'B-1': 'AVAILABLE', 'B-2': 'AVAILABLE' });
  });

  it('returns the same purchase for a repeated POST with the same Idempotency-Key', async () => {
    // Prepare
    const api = await local().apiAs('buyer-retrying');
    const key = randomUUID();
    const firstId = await placePurchase(api, purchaseOf(['C-1']), key);

    // Act
    const secondId = await placePurchase(api, purchaseOf(['C-1']), key);

    // Assess
    expect(secondId).toBe(firstId);
  });

  it('answers 409 to another request with an Idempotency-Key already used', async () => {
    // Prepare
    const api = await local().apiAs('buyer-reusing-key');
    const key = randomUUID();
    await placePurchase(api, purchaseOf(['C-3']), key);

    // Act
    const response = await api.post('/purchases', purchaseOf(['C-4']), { headers: { 'Idempotency-Key': key } });

    // Assess
    expect(response.status).toBe(409);
    expect(errorBodySchema.parse(response.body)).toMatchObject({ error: 'IdempotencyKeyReused' });
  });

  it("answers 404 to a buyer who asks for another buyer's purchase", async () => {
    // Prepare
    const owner = await local().apiAs('buyer-owner');
    const stranger = await local().apiAs('buyer-stranger');
    const purchaseId = await placePurchase(owner, purchaseOf(['D-1']));

    // Act
    const response = await stranger.get(`/purchases/${purchaseId}`);

    // Assess
    expect(response.status).toBe(404);
    expect(errorBodySchema.parse(response.body)).toMatchObject({ error: 'PurchaseNotFound' });
    expect((await readPurchase(owner, purchaseId)).purchaseId).toBe(purchaseId);
  });

  it('answers 400 naming the invalid field, and the seat is never touched', async () => {
    // Prepare
    const api = await local().apiAs('buyer-invalid');

    // Act
    const response = await api.post('/purchases', { concertId: DEMO_CONCERT_ID, seatIds: ['E-1'], paymentToken: 'visa-4242' });
    // E-1 is AVAILABLE before anything happens: only once a valid purchase sent after the refused one has gone through the
    // queue, the starter and the saga would a purchase the 400 had let through have reserved (and released) the seat.
    const later = await placePurchase(api, purchaseOf(['E-2']));
    await waitForTerminalPurchase(api, later, SAGA_DEADLINE_MS);

    // Assess
    expect(response.status).toBe(400);
    const body = errorBodySchema.parse(response.body);
    expect(body.error).toBe('ValidationError');
    expect(body.issues?.map((issue) => issue.field)).toEqual(['paymentToken']);
    // Version 1 is the seat as the demo seed created it: not even held and released since.
    expect(await inventorySeat('E-1')).toMatchObject({ status: 'AVAILABLE', version: 1 });
    expect(await waitForSeats(api, DEMO_CONCERT_ID, ['E-1'], 'AVAILABLE', PROJECTION_DEADLINE_MS)).toEqual({ 'E-1': 'AVAILABLE' });
  });

  it('buys the best two adjacent seats of a price band by quantity, and shows the seats chosen', async () => {
    // Prepare
    const api = await local().apiAs('buyer-best-available');

    // Act
    const purchaseId = await placePurchase(api, { concertId: DEMO_CONCERT_ID, quantity: 2, priceBand: 'K-T', paymentToken: 'tok_approve' }, randomUUID());
    const purchase = await waitForTerminalPurchase(api, purchaseId, SAGA_DEADLINE_MS);

    // Assess
    expect(purchase).toMatchObject({ purchaseId, status: 'CONFIRMED', bestAvailable: { quantity: 2, priceBand: 'K-T' } });
    const seats = await Promise.all((purchase.seatIds ?? []).map((seatId) => inventorySeat(seatId)));
    expect(seats).toHaveLength(2);
    expect(seats.every((seat) => seat.row === seats[0]?.row && seat.row >= 'K' && seat.row <= 'T')).toBe(true);
    expect(Math.abs((seats[0]?.number ?? 0) - (seats[1]?.number ?? 0))).toBe(1);
    expect(seats.every((seat) => seat.status === 'SOLD' && seat.holderPurchaseId === purchaseId)).toBe(true);
  });

  it('answers 400 naming quantity when a body names seats and asks for a quantity too', async () => {
    // Prepare
    const api = await local().apiAs('buyer-both-ways');

    // Act
    const response = await api.post('/purchases', { concertId: DEMO_CONCERT_ID, seatIds: ['F-9'], quantity: 1, paymentToken: 'tok_approve' });

    // Assess
    expect(response.status).toBe(400);
    expect(errorBodySchema.parse(response.body).issues?.map((issue) => issue.field)).toEqual(['quantity']);
  });

  it('answers 401 to a request without a token', async () => {
    // Act
    const response = await local().anonymousApi.post('/purchases', purchaseOf(['F-1']));

    // Assess
    expect(response.status).toBe(401);
  });
});
