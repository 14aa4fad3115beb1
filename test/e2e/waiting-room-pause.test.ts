import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { createConcert } from '#domain/catalog/create-concert';
import { createDynamoDbConcertStore } from '#domain/catalog/adapters/dynamodb-concert-store';
import { parsePriceBands } from '#domain/catalog/seat-layout';
import { TEST_TOKENS } from '#domain/billing/simulated-outcome';
import { DRAW_GRACE_SECONDS } from '#domain/waiting-room/admit-buyers';
import { configureOnSale } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { createDynamoDbQueueTicketStore, registerRoom } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import { LOCAL_REGION } from '#local/index';
import { placePurchase } from '#test/e2e/support/purchases';
import { DEMO_CONCERT_ID, useLocalRuntime } from '#test/e2e/support/runtime';
import { eventually } from '#test/support/eventually';
import { createClients } from '#tools/ops/clients';
import { queueTicketSchema } from '#tools/openapi/contract';

/**
 * A purchase saga execution that FAILED (a compensation that kept failing,
 * the ExecutionNeedsAPerson alarm's condition) pauses a room whose on-sale
 * has started, with nothing in any dead-letter queue: the admitter draws
 * the line on time, admits nobody, and names the execution.
 */

/** rate(1 minute) runs every 1.2 s. */
const SCHEDULE_SCALE = 0.02;
const CONCERT_ID = 'room-pause-e2e';
const BUYERS = ['pause-buyer-1', 'pause-buyer-2', 'pause-buyer-3'];
/** More failures than ReleaseSeats' settling Retry has attempts: the execution gives up in that task. */
const RELEASE_SEATS_DOWN = { failTimes: 100, errorType: 'Lambda.ServiceException', message: 'The Lambda service is unavailable' };
/** Eleven retries at a hundredth of their intervals, cold starts on top. */
const EXECUTION_DEADLINE_MS = 60_000;
/** A few admitter runs, each after a cold start on a loaded machine. */
const PAUSE_DEADLINE_MS = 30_000;

describe('the waiting room while a purchase saga execution needs a person', () => {
  const local = useLocalRuntime({ scheduleIntervalScale: SCHEDULE_SCALE });

  const clients = () => {
    const { info } = local().runtime;
    return { ...createClients({ target: 'local', region: LOCAL_REGION, endpoints: info.endpoints, outputs: info.outputs }), outputs: info.outputs };
  };
  const configure = async (startsAt: Date) => {
    const { documents, outputs } = clients();
    const onSale = { startsAt: startsAt.toISOString(), admissionsPerMinute: 25, maxActiveBuyers: 100, admissionTtlSeconds: 600 };
    expect(await configureOnSale({ client: documents, tableName: outputs.ConcertsTableName }, CONCERT_ID, onSale)).toBe('configured');
  };
  const functionNamed = (handler: string) => {
    const fn = local().runtime.app.functions.find((each) => each.environment.POWERTOOLS_SERVICE_NAME === handler);
    if (!fn) throw new Error(`no function runs ${handler}`);
    return fn.name;
  };

  beforeAll(async () => {
    const { documents, outputs } = clients();
    const store = createDynamoDbConcertStore({
      client: documents,
      tables: { concerts: outputs.ConcertsTableName!, seats: outputs.SeatsTableName!, seatAvailability: outputs.SeatAvailabilityTableName! },
    });
    await createConcert(store, {
      concertId: CONCERT_ID,
      name: 'Paused Room Night',
      venue: 'Local Arena',
      startsAt: '2027-07-02T20:00:00Z',
      currency: 'EUR',
      rows: 1,
      seatsPerRow: 10,
      priceBands: parsePriceBands('A:5000'),
    });
    // The start an hour away: the buyers below wait in the pre-queue.
    await configure(new Date(Date.now() + 60 * 60 * 1_000));
    await registerRoom({ client: documents, tableName: outputs.WaitingRoomTableName! }, CONCERT_ID);
    for (const buyer of BUYERS) {
      const response = await (await local().apiAs(buyer)).post(`/concerts/${CONCERT_ID}/queue`, undefined);
      if (response.status !== 201) throw new Error(`${buyer} could not join: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    }
  });

  it('draws the line at the start but admits nobody, naming the FAILED execution', async () => {
    // Prepare: a declined purchase whose ReleaseSeats never succeeds ends FAILED, in the task that gave up.
    const { sfn, documents, outputs } = clients();
    local().runtime.functions.setFaultPlan({ [functionNamed('release-seats')]: RELEASE_SEATS_DOWN });
    const purchaseId = await placePurchase(await local().apiAs('pause-decliner'), { concertId: DEMO_CONCERT_ID, seatIds: ['T-25'], paymentToken: TEST_TOKENS.decline });
    await eventually(
      () => sfn.send(new ListExecutionsCommand({ stateMachineArn: outputs.StateMachineArn, statusFilter: 'FAILED' })),
      ({ executions }) => (executions ?? []).some((execution) => execution.name === purchaseId),
      { what: `execution ${purchaseId} to fail`, timeoutMs: EXECUTION_DEADLINE_MS, intervalMs: 250 },
    );
    local().runtime.functions.setFaultPlan({});

    // Act: the on-sale started long enough ago for the next run to draw.
    await configure(new Date(Date.now() - (DRAW_GRACE_SECONDS + 5) * 1_000));
    const { room } = await eventually(
      () => createDynamoDbQueueTicketStore({ client: documents, tableName: outputs.WaitingRoomTableName! }).readLine(CONCERT_ID),
      (reading) => reading.room.pausedReason !== undefined,
      { what: 'the admitter to pause the room', timeoutMs: PAUSE_DEADLINE_MS, intervalMs: 250, describe: (reading) => JSON.stringify(reading.room) },
    );

    // Assess
    expect(room.pausedReason).toContain(purchaseId);
    expect(room.pausedReason).toContain('FAILED');
    expect(room.preQueueSize).toBe(BUYERS.length);
    expect(room.admittedThrough).toBe(0);
    const poll = await (await local().apiAs(BUYERS[0]!)).get(`/concerts/${CONCERT_ID}/queue/${await ticketIdOf(BUYERS[0]!)}`);
    expect(queueTicketSchema.parse(poll.body)).toMatchObject({ status: 'WAITING', position: expect.any(Number) });
  });

  /** Joining again answers the buyer's own ticket. */
  const ticketIdOf = async (buyer: string) => queueTicketSchema.parse((await (await local().apiAs(buyer)).post(`/concerts/${CONCERT_ID}/queue`, undefined)).body).ticketId;
});
