import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createConsoleApi, type ConsoleAbout, type ConsolePorts } from '#tools/console/api';
import { CONTEXT_MAP_PAGE } from '#tools/context-map/embedded-model';
import { execution, fakeExecutions } from '#test/unit/tools/ops/support';
import { loadHistory } from '#test/unit/tools/ops/history-fixtures';
import { queueTicketView } from '#domain/waiting-room/queue-ticket';
import {
  ADMISSION_KEY,
  CONFIRMED,
  DECLINED,
  DRAWN_ROOM,
  LEAKED_TOKEN,
  NOW,
  RETRIED,
  ROOM_LINES,
  STOPPED,
  UNDRAWN_ROOM,
  fakeConsolePorts,
  fakeWaitingRooms,
  sagaStateMachine,
} from './support.ts';

const ABOUT: ConsoleAbout = { target: 'local', name: 'local runtime', region: 'us-east-1', stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga' };

const get = (path: string, ports: ConsolePorts = fakeConsolePorts()) => createConsoleApi({ ports, about: ABOUT, now: () => NOW })('GET', new URL(path, 'http://127.0.0.1'));

const listSchema = z.object({
  executions: z.array(
    z.object({
      purchaseId: z.string(),
      status: z.string(),
      outcome: z.enum(['CONFIRMED', 'FAILED']).optional(),
      reason: z.string().optional(),
      needsAPerson: z.boolean(),
      step: z.string().optional(),
      error: z.string().optional(),
    }),
  ),
  searchedBy: z.enum(['name', 'latest']).optional(),
});

const pageSchema = z.object({
  verdict: z.string(),
  status: z.string(),
  live: z.boolean(),
  failure: z.object({ step: z.string(), error: z.string().optional() }).optional(),
  outcome: z.object({ outcome: z.string(), reason: z.string().optional(), failedStep: z.string().optional(), invoiceId: z.string().optional() }).optional(),
  personNeeded: z.looseObject({ stoppedIn: z.string().optional(), action: z.string() }).optional(),
  compensation: z.object({ ran: z.boolean(), ended: z.string(), steps: z.array(z.object({ name: z.string(), outcome: z.string() })) }),
  graph: z.object({ nodes: z.array(z.object({ id: z.string(), outcome: z.string(), attempts: z.number().optional() })) }),
  history: z.array(z.object({ type: z.string(), state: z.string().optional(), data: z.array(z.object({ label: z.string(), text: z.string() })) })),
  events: z.object({ source: z.string(), items: z.array(z.object({ detailType: z.string(), detail: z.unknown() })) }),
  record: z.record(z.string(), z.unknown()).optional(),
});

describe('GET /api/executions', () => {
  test('lists every execution, newest first, a rejected purchase apart from a confirmed one and from one that needs a person', async () => {
    const response = await get('/api/executions');

    expect(response.status).toBe(200);
    const list = listSchema.parse(response.body);
    expect(list.executions.map((e) => e.purchaseId)).toEqual([DECLINED, CONFIRMED, RETRIED, STOPPED]);
    expect(list.executions[0]).toEqual({ purchaseId: DECLINED, status: 'SUCCEEDED', outcome: 'FAILED', reason: 'PAYMENT_DECLINED', needsAPerson: false, step: 'ChargePayment' });
    expect(list.executions[1]).toMatchObject({ status: 'SUCCEEDED', outcome: 'CONFIRMED', needsAPerson: false });
    expect(list.executions[3]).toMatchObject({ status: 'FAILED', needsAPerson: true, step: 'RefundPayment', error: 'DependencyUnavailable' });
  });

  test('filters by status', async () => {
    const response = await get('/api/executions?status=SUCCEEDED');

    expect(listSchema.parse(response.body).executions.map((e) => e.purchaseId)).toEqual([DECLINED, CONFIRMED, RETRIED]);
  });

  test('the Failed filter lists every execution that needs a person: FAILED, TIMED_OUT and ABORTED, newest first', async () => {
    const executions = fakeExecutions([
      { details: execution('failed-000001', { status: 'FAILED', startedAt: new Date('2026-11-26T12:01:00Z') }) },
      { details: execution('timed-out-0001', { status: 'TIMED_OUT', startedAt: new Date('2026-11-26T12:03:00Z') }) },
      { details: execution('confirmed-0001', { startedAt: new Date('2026-11-26T12:04:00Z') }) },
      { details: execution('aborted-000001', { status: 'ABORTED', startedAt: new Date('2026-11-26T12:02:00Z') }) },
    ]).port;

    const response = await get('/api/executions?status=NEEDS_A_PERSON', fakeConsolePorts({ executions }));

    const list = listSchema.parse(response.body);
    expect(list.executions.map((e) => [e.purchaseId, e.needsAPerson])).toEqual([
      ['timed-out-0001', true],
      ['aborted-000001', true],
      ['failed-000001', true],
    ]);
  });

  test('a rejected purchase is not in the Failed filter: it is settled', async () => {
    const response = await get(`/api/executions?status=NEEDS_A_PERSON&search=${DECLINED}`);

    expect(listSchema.parse(response.body).executions).toEqual([]);
  });

  test('an empty status field means no filter', async () => {
    const response = await get('/api/executions?status=&search=');

    expect(listSchema.parse(response.body).executions).toHaveLength(4);
  });

  test('a whole purchaseId is looked up by name', async () => {
    const response = await get(`/api/executions?search=${CONFIRMED}`);

    const list = listSchema.parse(response.body);
    expect(list.searchedBy).toBe('name');
    expect(list.executions.map((e) => e.purchaseId)).toEqual([CONFIRMED]);
  });

  test('a part of a purchaseId matches among the latest executions', async () => {
    const response = await get(`/api/executions?search=${RETRIED.slice(0, 6).toUpperCase()}`);

    const list = listSchema.parse(response.body);
    expect(list.searchedBy).toBe('latest');
    expect(list.executions.map((e) => e.purchaseId)).toEqual([RETRIED]);
  });

  test.each([
    ['an unknown status', '/api/executions?status=BROKEN'],
    ['a limit out of range', '/api/executions?limit=0'],
    ['a limit that is not a number', '/api/executions?limit=ten'],
  ])('%s is a 400 with a message', async (_case, path) => {
    const response = await get(path);

    expect(response.status).toBe(400);
    expect(z.object({ error: z.string().min(1) }).parse(response.body).error).toBeTruthy();
  });
});

describe('GET /api/purchases/<purchaseId>', () => {
  test('a rejected purchase shows its outcome, the failed step, the compensation and the verdict, and needs nobody', async () => {
    const response = await get(`/api/purchases/${DECLINED}`);

    expect(response.status).toBe(200);
    const page = pageSchema.parse(response.body);
    expect(page.status).toBe('SUCCEEDED');
    expect(page.outcome).toEqual({ outcome: 'FAILED', reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' });
    expect(page.verdict).toMatch(/^FAILED at ChargePayment: PaymentDeclined; seats released/);
    expect(page.failure).toEqual({ step: 'ChargePayment', error: 'PaymentDeclined: card *** was declined' });
    expect(page.compensation).toEqual({ ran: true, ended: 'completed', steps: [expect.objectContaining({ name: 'ReleaseSeats', outcome: 'succeeded' })] });
    expect(page.personNeeded).toBeUndefined();
    expect(page.live).toBe(false);
  });

  test('an execution that needs a person says what to do, in the words of npm run inspect', async () => {
    const response = await get(`/api/purchases/${STOPPED}`);

    const page = pageSchema.parse(response.body);
    expect(page.personNeeded).toEqual({
      stoppedIn: 'RefundPayment',
      error: 'DependencyUnavailable',
      afterRetries: true,
      unsettled: 'the charge is not refunded yet',
      wentWrongAt: { step: 'ChargePayment', error: 'PaymentProviderUnavailable' },
      action: `fix the cause, then npm run redrive -- ${STOPPED}`,
    });
    expect(page.verdict).toBe(
      'FAILED in RefundPayment after its retries (DependencyUnavailable): the charge is not refunded yet; ' +
        `went wrong first at ChargePayment (PaymentProviderUnavailable); needs a person — fix the cause, then npm run redrive -- ${STOPPED}`,
    );
    expect(page.outcome).toBeUndefined();
  });

  test('the graph colours each state by how the execution went through it', async () => {
    const response = await get(`/api/purchases/${DECLINED}`);

    const outcomes = Object.fromEntries(pageSchema.parse(response.body).graph.nodes.map((node) => [node.id, node.outcome]));
    expect(outcomes).toMatchObject({
      ReserveSeats: 'succeeded',
      ChargePayment: 'caught',
      ReleaseSeats: 'succeeded',
      RecordPurchaseFailure: 'succeeded',
      PurchaseFailed: 'succeeded',
      CreateInvoice: 'not-visited',
      VoidInvoice: 'not-visited',
      RefundPayment: 'not-visited',
    });
  });

  test('the graph shows the task an execution that needs a person stopped in as failed', async () => {
    const response = await get(`/api/purchases/${STOPPED}`);

    const outcomes = Object.fromEntries(pageSchema.parse(response.body).graph.nodes.map((node) => [node.id, node.outcome]));
    expect(outcomes).toMatchObject({ ChargePayment: 'caught', RefundPayment: 'failed', ReleaseSeats: 'not-visited', PurchaseFailed: 'not-visited' });
  });

  test('a step that succeeded after a retry is coloured as retried, with its attempts', async () => {
    const response = await get(`/api/purchases/${RETRIED}`);

    const nodes = pageSchema.parse(response.body).graph.nodes.filter((node) => node.outcome === 'retried');
    expect(nodes).toEqual([expect.objectContaining({ id: 'ChargePayment', attempts: 2 })]);
  });

  test('the graph is drawn from the definition the execution ran with', async () => {
    const stateMachine = sagaStateMachine();

    await get(`/api/purchases/${DECLINED}`, fakeConsolePorts({ stateMachine }));

    expect(stateMachine.calls).toEqual([`definitionForExecution:${DECLINED}`]);
  });

  test('no payment token reaches the page: history inputs, error causes, events and record are masked', async () => {
    const response = await get(`/api/purchases/${DECLINED}`);

    const text = JSON.stringify(response.body);
    expect(text).not.toContain(LEAKED_TOKEN);
    const page = pageSchema.parse(response.body);
    expect(page.history[0]?.data).toEqual([{ label: 'input', text: `{\n  "purchaseId": "${DECLINED}",\n  "paymentToken": "***"\n}` }]);
    expect(page.events).toMatchObject({ source: 'archive', items: [{ detailType: 'PurchaseFailed.v1', detail: expect.objectContaining({ paymentToken: '***' }) }] });
    expect(page.record).toMatchObject({ paymentRef: 'tok_…line' });
  });

  test('a purchase still in the queue has no execution yet and keeps the page polling', async () => {
    const queued = { record: { purchaseId: 'queued-0001', status: 'QUEUED', createdAt: '2026-11-26T12:09:00.000Z' }, problems: [] };
    const ports = fakeConsolePorts({ purchases: { find: async (id) => (id === queued.record.purchaseId ? queued : undefined) } });

    const response = await get('/api/purchases/queued-0001', ports);

    const page = pageSchema.parse(response.body);
    expect(page).toMatchObject({ status: 'QUEUED', live: true, history: [] });
    expect(page.graph.nodes.every((node) => node.outcome === 'not-visited')).toBe(true);
  });

  test('a running execution keeps the page polling and shows the state it is in', async () => {
    const running = loadHistory('happyPath').filter((event) => event.id <= 8);
    const ports = fakeConsolePorts({ executions: fakeExecutions([{ details: execution(CONFIRMED, { status: 'RUNNING', stoppedAt: undefined }), history: running }]).port });

    const response = await get(`/api/purchases/${CONFIRMED}`, ports);

    const page = pageSchema.parse(response.body);
    expect(page).toMatchObject({ status: 'RUNNING', live: true, verdict: expect.stringMatching(/^RUNNING for .*, in ChargePayment$/) });
    expect(page.graph.nodes.find((node) => node.id === 'ChargePayment')?.outcome).toBe('running');
  });

  test('an unknown purchase is a 404 that says so', async () => {
    const response = await get('/api/purchases/unknown-0001');

    expect(response).toEqual({ status: 404, body: { error: 'unknown purchase unknown-0001: no purchase record and no execution with this id' } });
  });

  test('a malformed purchase id is a 400', async () => {
    const response = await get('/api/purchases/..%2F..%2Fetc');

    expect(response.status).toBe(400);
  });
});

const roomSchema = z.object({
  concertId: z.string(),
  onSale: z.object({ startsAt: z.string(), admissionsPerMinute: z.number(), maxActiveBuyers: z.number(), admissionTtlSeconds: z.number() }).strict().nullable(),
  draw: z.object({ drawn: z.boolean(), at: z.string().nullable().optional(), preQueueSize: z.number().optional() }),
  waiting: z.number(),
  admittedThrough: z.number(),
  admittedPerMinute: z.number().nullable(),
  backOfLineWaitSeconds: z.number().nullable(),
  pause: z.object({ paused: z.boolean(), reason: z.string().nullable(), lastRunPausedReason: z.string().nullable() }),
});
const roomsSchema = z.object({ rooms: z.array(roomSchema) });

describe('GET /api/waiting-rooms', () => {
  test('lists every gated concert of the rooms registry with its line, measured rate, wait at the back and on-sale configuration', async () => {
    // Act
    const response = await get('/api/waiting-rooms');

    // Assess
    expect(response.status).toBe(200);
    const { rooms } = roomsSchema.parse(response.body);
    expect(rooms.map((room) => room.concertId)).toEqual([UNDRAWN_ROOM, DRAWN_ROOM]);
    // 200 admitted in the 240 s since the oldest run of the window: 50 a minute, though 100 are configured; 60 wait, so 72 s at the back.
    expect(rooms[1]).toEqual({
      concertId: DRAWN_ROOM,
      onSale: { startsAt: '2026-11-26T12:00:00.000Z', admissionsPerMinute: 100, maxActiveBuyers: 400, admissionTtlSeconds: 600 },
      draw: { drawn: true, at: '2026-11-26T12:00:15.000Z', preQueueSize: 120 },
      waiting: 60,
      admittedThrough: 300,
      admittedPerMinute: 50,
      backOfLineWaitSeconds: 72,
      pause: { paused: false, reason: null, lastRunPausedReason: null },
    });
  });

  test('before the draw the line is the pre-queue, with no order and so no wait at the back', async () => {
    // Act
    const { rooms } = roomsSchema.parse((await get('/api/waiting-rooms')).body);

    // Assess
    expect(rooms[0]).toMatchObject({ concertId: UNDRAWN_ROOM, draw: { drawn: false }, waiting: 42, admittedPerMinute: null, backOfLineWaitSeconds: null });
  });

  test('the wait at the back of the line is what the last buyer in it is told', async () => {
    // Arrange: the last position issued, 360, is shard 7's 30th line number.
    const { room, shardCounts } = ROOM_LINES[DRAWN_ROOM]!;
    const onSale = { startsAt: '2026-11-26T12:00:00.000Z', admissionsPerMinute: 100, maxActiveBuyers: 400, admissionTtlSeconds: 600 };
    const last = { ticketId: 'AAAAAAAAAAAAAAAAAAAAAA', concertId: DRAWN_ROOM, buyerId: 'buyer-last', joinedAt: '2026-11-26T12:01:00.000Z', lineShard: 7, lineNumber: 30 };
    const told = queueTicketView({ ticket: last, room, shardCounts, onSale, now: NOW });

    // Act
    const response = await get(`/api/waiting-rooms/${DRAWN_ROOM}`);

    // Assess
    expect(told).toMatchObject({ position: 360, peopleAhead: 59 });
    expect(roomSchema.parse(response.body).backOfLineWaitSeconds).toBe(told.estimatedWaitSeconds);
  });

  test('once everyone is admitted the line is empty and the back of it waits for nothing', async () => {
    // Arrange
    const lines = { [DRAWN_ROOM]: { ...ROOM_LINES[DRAWN_ROOM]!, room: { ...ROOM_LINES[DRAWN_ROOM]!.room, admittedThrough: 360 } } };

    // Act
    const response = await get(`/api/waiting-rooms/${DRAWN_ROOM}`, fakeConsolePorts({ waitingRooms: fakeWaitingRooms({ lines }) }));

    // Assess
    expect(roomSchema.parse(response.body)).toMatchObject({ waiting: 0, backOfLineWaitSeconds: 0 });
  });

  test('a room is paused while the purchase dead-letter queue holds a message, and says so', async () => {
    // Arrange
    const lines = { [DRAWN_ROOM]: { ...ROOM_LINES[DRAWN_ROOM]!, room: { ...ROOM_LINES[DRAWN_ROOM]!.room, pausedReason: 'the purchase dead-letter queue holds 2 message(s)' } } };
    const ports = fakeConsolePorts({ waitingRooms: fakeWaitingRooms({ lines, deadLetters: 2 }) });

    // Act
    const response = await get(`/api/waiting-rooms/${DRAWN_ROOM}`, ports);

    // Assess
    expect(roomSchema.parse(response.body).pause).toEqual({
      paused: true,
      reason: 'the purchase dead-letter queue holds 2 message(s)',
      lastRunPausedReason: 'the purchase dead-letter queue holds 2 message(s)',
    });
  });

  test("never sends a concert's admission key, even when the port reads it", async () => {
    // Act
    const list = await get('/api/waiting-rooms');
    const one = await get(`/api/waiting-rooms/${DRAWN_ROOM}`);

    // Assess
    expect(JSON.stringify(list.body)).not.toContain(ADMISSION_KEY);
    expect(JSON.stringify(one.body)).not.toContain(ADMISSION_KEY);
    expect(JSON.stringify(one.body)).not.toContain('admissionKey');
  });

  test('an unknown concert is a 404 and a malformed id a 400', async () => {
    // Act
    const unknown = await get('/api/waiting-rooms/no-such-concert');
    const malformed = await get('/api/waiting-rooms/Not%20An%20Id');

    // Assess
    expect(unknown).toEqual({ status: 404, body: { error: 'unknown concert no-such-concert' } });
    expect(malformed.status).toBe(400);
  });
});

describe('GET /api/context-map', () => {
  test('returns the model embedded in the page, laid out', async () => {
    const page = readFileSync(CONTEXT_MAP_PAGE, 'utf8');

    const response = await get('/api/context-map', fakeConsolePorts({ contextMapPage: async () => page }));

    expect(response.status).toBe(200);
    const body = z.object({ model: z.object({ handlers: z.array(z.object({ name: z.string() })) }), layout: z.object({ nodes: z.array(z.object({ id: z.string() })) }) }).parse(response.body);
    expect(body.layout.nodes.map((node) => node.id)).toEqual(expect.arrayContaining(['handler:create-purchase', 'event:PurchaseRequested.v1', 'consumer:project-purchase-status']));
  });

  test('says in words what runs each handler, so the page keeps no wording of its own', async () => {
    const page = readFileSync(CONTEXT_MAP_PAGE, 'utf8');

    const response = await get('/api/context-map', fakeConsolePorts({ contextMapPage: async () => page }));

    const body = z.object({ runsOn: z.record(z.string(), z.array(z.string())) }).parse(response.body);
    expect(body.runsOn['admit-buyers']).toEqual(['schedule rate(1 minute)']);
    expect(body.runsOn['create-purchase']).toEqual(['POST /purchases']);
    expect(body.runsOn['refund-payment']).toEqual([expect.stringMatching(/^state RefundPayment \(.+\)$/)]);
  });

  test('a missing page is a 404 that says how to generate it', async () => {
    const response = await get('/api/context-map');

    expect(response).toEqual({ status: 404, body: { error: 'docs/context-map.md does not exist: generate it with npm run context-map' } });
  });

  test('a page without its model is a 500 naming the page', async () => {
    const response = await get('/api/context-map', fakeConsolePorts({ contextMapPage: async () => '# Bounded-context map\n' }));

    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).toContain('docs/context-map.md: the page has no embedded model');
  });
});

describe('errors', () => {
  test('the API is read-only', async () => {
    const response = await createConsoleApi({ ports: fakeConsolePorts(), about: ABOUT })('POST', new URL('http://127.0.0.1/api/executions'));

    expect(response.status).toBe(405);
  });

  test('an unknown API path is a 404', async () => {
    const response = await get('/api/redrive');

    expect(response.status).toBe(404);
  });

  test('a refused connection to the local runtime is a 502 saying it is not running', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8083'), { code: 'ECONNREFUSED' });
    const ports = fakeConsolePorts({ executions: { ...fakeConsolePorts().executions, list: async () => Promise.reject(refused) } });

    const response = await get('/api/executions', ports);

    expect(response).toEqual({ status: 502, body: { error: 'the local runtime is not running: start it with npm start (connection refused)' } });
  });

  test('an unexpected error is a 500 with its message, reported to onError', async () => {
    const reported: unknown[] = [];
    const failure = new Error('throttled');
    const ports = fakeConsolePorts({ executions: { ...fakeConsolePorts().executions, list: async () => Promise.reject(failure) } });

    const response = await createConsoleApi({ ports, about: ABOUT, onError: (error) => reported.push(error) })('GET', new URL('http://127.0.0.1/api/executions'));

    expect(response).toEqual({ status: 500, body: { error: 'Error: throttled' } });
    expect(reported).toEqual([failure]);
  });
});

test('GET /api/about says what the console reads', async () => {
  const response = await get('/api/about');

  expect(response).toEqual({ status: 200, body: ABOUT });
});

