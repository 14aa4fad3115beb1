import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createConcert } from '#domain/catalog/create-concert';
import { createDynamoDbConcertStore } from '#domain/catalog/adapters/dynamodb-concert-store';
import { parsePriceBands } from '#domain/catalog/seat-layout';
import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';
import { signAdmissionToken } from '#domain/waiting-room/admission-token';
import { configureOnSale } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { createDynamoDbRoomAdmissionStore, registerRoom } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import type { OnSale } from '#domain/waiting-room/on-sale';
import { LOCAL_REGION } from '#local/index';
import type { ApiClient } from '#test/e2e/support/api-client';
import { errorBodySchema, waitForTerminalPurchase } from '#test/e2e/support/purchases';
import { useLocalRuntime } from '#test/e2e/support/runtime';
import { eventually } from '#test/support/eventually';
import { createClients } from '#tools/ops/clients';
import { acceptedPurchaseSchema, queueTicketSchema } from '#tools/openapi/contract';

/**
 * A gated on-sale on the local runtime: 200 buyers join before the start,
 * the admitter (the template's scheduled rule, its minute scaled to about a
 * second) shuffles them at the start and admits them in order, and each
 * buys with its admission token.
 */

/** rate(1 minute) runs every 1.2 s. */
const SCHEDULE_SCALE = 0.02;
const BUYERS = 200;
const CONCERT_ID = 'room-e2e';
const ROWS = 'ABCDEFGHIJ';
const SEATS_PER_ROW = 25;
/** Calls in flight at once: a crowd, within what a 2-core machine serves without timeouts. */
const CONCURRENCY = 16;
/** The draw waits DRAW_GRACE_SECONDS past the start, then 200 buyers at 25 a run take 8 runs; cold starts and a loaded machine on top. */
const ADMISSION_DEADLINE_MS = 120_000;
/** Purchases in flight: each starts a saga, which is what loads the machine. */
const PURCHASE_CONCURRENCY = 8;
const PURCHASE_RETRIES = 2;
const SAGA_DEADLINE_MS = 120_000;

const ON_SALE: Omit<OnSale, 'startsAt'> = { admissionsPerMinute: 25, maxActiveBuyers: 1_000, admissionTtlSeconds: 600 };

/** The ticket as the published contract describes it, of this test's concert. */
const ticketSchema = queueTicketSchema.extend({ concertId: z.literal(CONCERT_ID) });
type Ticket = z.infer<typeof ticketSchema>;

const buyerIdOf = (index: number) => `room-buyer-${String(index).padStart(3, '0')}`;
const seatOf = (index: number) => `${ROWS[Math.floor(index / SEATS_PER_ROW)]}-${(index % SEATS_PER_ROW) + 1}`;
const indexes = Array.from({ length: BUYERS }, (_, index) => index);

describe('the waiting room of a gated on-sale', () => {
  const local = useLocalRuntime({ scheduleIntervalScale: SCHEDULE_SCALE });
  const apis: ApiClient[] = [];
  const tickets = new Map<number, Ticket[]>();

  const clients = () => {
    const { info } = local().runtime;
    return { ...createClients({ target: 'local', region: LOCAL_REGION, endpoints: info.endpoints, outputs: info.outputs }), outputs: info.outputs };
  };
  const configure = async (startsAt: Date) => {
    const { documents, outputs } = clients();
    expect(await configureOnSale({ client: documents, tableName: outputs.ConcertsTableName }, CONCERT_ID, { ...ON_SALE, startsAt: startsAt.toISOString() })).toBe('configured');
  };
  const join = async (index: number): Promise<Ticket> => {
    const response = await apis[index]!.post(`/concerts/${CONCERT_ID}/queue`, undefined);
    if (response.status !== 201) throw new Error(`buyer ${index} could not join: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    return ticketSchema.parse(response.body);
  };
  const poll = async (index: number): Promise<Ticket> => {
    const first = tickets.get(index)?.[0];
    if (!first) throw new Error(`buyer ${index} has no ticket`);
    const response = await apis[index]!.get(`/concerts/${CONCERT_ID}/queue/${first.ticketId}`);
    if (response.status !== 200) throw new Error(`buyer ${index} could not poll: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    const ticket = ticketSchema.parse(response.body);
    tickets.get(index)?.push(ticket);
    return ticket;
  };
  const latest = (index: number) => tickets.get(index)?.at(-1);
  /**
   * Buys one seat with the buyer's admission token, the way a buyer's app
   * does: with an Idempotency-Key, so a 5xx (a function that timed out on a
   * loaded machine) is safely sent again and never buys twice.
   */
  const buyAdmitted = async (index: number) => {
    const send = () =>
      apis[index]!.post(
        '/purchases',
        { concertId: CONCERT_ID, seatIds: [seatOf(index)], paymentToken: 'tok_approve' },
        { headers: { 'X-Admission-Token': latest(index)?.admissionToken ?? '', 'Idempotency-Key': `room-e2e-${index}` } },
      );
    let answer = await send();
    for (let retry = 0; retry < PURCHASE_RETRIES && answer.status >= 500; retry += 1) answer = await send();
    return answer;
  };

  beforeAll(async () => {
    const { documents, outputs } = clients();
    const store = createDynamoDbConcertStore({
      client: documents,
      tables: { concerts: outputs.ConcertsTableName!, seats: outputs.SeatsTableName!, seatAvailability: outputs.SeatAvailabilityTableName! },
    });
    await createConcert(store, {
      concertId: CONCERT_ID,
      name: 'Waiting Room Night',
      venue: 'Local Arena',
      startsAt: '2027-07-01T20:00:00Z',
      currency: 'EUR',
      rows: ROWS.length,
      seatsPerRow: SEATS_PER_ROW,
      priceBands: parsePriceBands('A-J:5000'),
    });
    // Gated, with the start an hour away: every join below lands in the pre-queue.
    await configure(new Date(Date.now() + 60 * 60 * 1_000));
    await registerRoom({ client: documents, tableName: outputs.WaitingRoomTableName! }, CONCERT_ID);
    for (const index of indexes) apis.push(await local().apiAs(buyerIdOf(index)));
  });

  it('puts buyers who arrive before the start in the pre-queue, with no position until the draw', async () => {
    // Act
    const joined = await mapWithConcurrency(indexes, CONCURRENCY, join);
    for (const [index, ticket] of joined.entries()) tickets.set(index, [ticket]);

    // Assess
    expect(new Set(joined.map((ticket) => ticket.ticketId)).size).toBe(BUYERS);
    expect(joined.every((ticket) => ticket.status === 'WAITING' && ticket.position === null && ticket.peopleAhead === null)).toBe(true);
  });

  it('answers a buyer who joins again with the same ticket', async () => {
    // Act
    const again = await join(7);

    // Assess
    expect(again.ticketId).toBe(tickets.get(7)?.[0]?.ticketId);
  });

  it("answers 404 for another buyer's ticket", async () => {
    // Act
    const response = await apis[1]!.get(`/concerts/${CONCERT_ID}/queue/${tickets.get(2)?.[0]?.ticketId}`);

    // Assess
    expect(response.status).toBe(404);
    expect(errorBodySchema.parse(response.body).error).toBe('TicketNotFound');
  });

  it('refuses a purchase of the gated concert without an admission token, naming the waiting room', async () => {
    // Act
    const response = await apis[0]!.post('/purchases', { concertId: CONCERT_ID, seatIds: [seatOf(0)], paymentToken: 'tok_approve' });

    // Assess
    expect(response.status).toBe(403);
    const body = errorBodySchema.parse(response.body);
    expect(body.error).toBe('AdmissionRequired');
    expect(body.message).toContain('waiting room');
  });

  it('shuffles the pre-queue at the start into the positions 1..200, each once', async () => {
    // Arrange
    await configure(new Date());

    // Act
    const drawn = await eventually(
      () => mapWithConcurrency(indexes, CONCURRENCY, poll),
      (polled) => polled.every((ticket) => ticket.position !== null),
      { what: 'every buyer to have a position', timeoutMs: ADMISSION_DEADLINE_MS, intervalMs: 500, describe: (polled) => `${polled.filter((t) => t.position !== null).length} with a position` },
    );

    // Assess
    const positions = drawn.map((ticket) => ticket.position);
    expect([...positions].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(indexes.map((index) => index + 1));
    // In join order the positions are not 1, 2, 3...: the draw, not the arrival, decided them.
    expect(positions).not.toEqual(indexes.map((index) => index + 1));
  });

  it('admits every buyer in the order of their positions while the people ahead of each only ever decrease', async () => {
    // Act
    await eventually(
      () => mapWithConcurrency(indexes.filter((index) => latest(index)?.status === 'WAITING'), CONCURRENCY, poll),
      (polled) => polled.every((ticket) => ticket.status !== 'WAITING'),
      { what: 'every buyer to be admitted', timeoutMs: ADMISSION_DEADLINE_MS, intervalMs: 200, describe: (polled) => `${polled.filter((t) => t.status === 'WAITING').length} still waiting` },
    );

    // Assess
    for (const index of indexes) {
      const seen = (tickets.get(index) ?? []).filter((ticket) => ticket.position !== null);
      expect(new Set(seen.map((ticket) => ticket.position)).size).toBe(1);
      const ahead = seen.map((ticket) => ticket.peopleAhead ?? 0);
      expect(ahead).toEqual([...ahead].sort((a, b) => b - a));
      expect(latest(index)?.status).toBe('ADMITTED');
    }
    const inLineOrder = indexes.map((index) => latest(index)!).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    const expiries = inLineOrder.map((ticket) => Date.parse(ticket.admissionExpiresAt ?? ''));
    expect(expiries).toEqual([...expiries].sort((a, b) => a - b));
    // Admitted over several runs, none above the rate (two runs may fall in one second, so the room's record says, not the expiries).
    const { documents, outputs } = clients();
    const { room } = await createDynamoDbRoomAdmissionStore({ client: documents, tableName: outputs.WaitingRoomTableName! }).readLineConsistently(CONCERT_ID);
    const admittedPerRun = room.admissions.map((run) => run.count);
    expect(admittedPerRun.reduce((sum, count) => sum + count, 0)).toBe(BUYERS);
    expect(Math.max(...admittedPerRun)).toBeLessThanOrEqual(ON_SALE.admissionsPerMinute);
  });

  it('lets each admitted buyer buy with its admission token', async () => {
    // Act
    const answers = await mapWithConcurrency(indexes, PURCHASE_CONCURRENCY, (index) => buyAdmitted(index));

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(indexes.map(() => 202));
    const first = acceptedPurchaseSchema.parse(answers[0]?.body);
    expect((await waitForTerminalPurchase(apis[0]!, first.purchaseId, SAGA_DEADLINE_MS)).status).toBe('CONFIRMED');
  });

  it('refuses an admission that has expired', async () => {
    // Arrange: the concert's own key signs an admission of this buyer that ended a minute ago.
    const { documents, outputs } = clients();
    const { Item } = await documents.send(new GetCommand({ TableName: outputs.ConcertsTableName, Key: { concertId: CONCERT_ID } }));
    const expired = signAdmissionToken(String(Item?.admissionKey), { concertId: CONCERT_ID, buyerId: buyerIdOf(3), expiresAt: Math.floor(Date.now() / 1_000) - 60 });

    // Act
    const response = await apis[3]!.post('/purchases', { concertId: CONCERT_ID, seatIds: ['J-25'], paymentToken: 'tok_approve' }, { headers: { 'X-Admission-Token': expired } });

    // Assess
    expect(response.status).toBe(403);
    const body = errorBodySchema.parse(response.body);
    expect(body.error).toBe('AdmissionExpired');
    expect(body.message).toContain('waiting room');
  });
});
