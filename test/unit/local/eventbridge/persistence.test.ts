import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalEventBridge } from '#local/eventbridge/bus';
import { eventually } from '#test/support/eventually';
import { eventBusArn, lambdaFunctionArn } from '#local/arns';
import { archive, entry, FakeFunctions, gate, recordingLogger, rule, target, ticketingModel } from './fakes.ts';

const STATUS = lambdaFunctionArn('ProjectPurchaseStatus');
const ARCHIVE_ARN = 'arn:aws:events:us-east-1:000000000000:archive/TicketingArchive';

const model = ticketingModel({
  rules: [rule('PurchaseStatus', { eventPattern: { source: ['ticketing.orders'] }, targets: [target('status', STATUS)] })],
  archives: [archive('TicketingArchive')],
});

const replayOfMarch = (name: string) => ({
  ReplayName: name,
  EventSourceArn: ARCHIVE_ARN,
  EventStartTime: new Date('2026-03-01T00:00:00Z'),
  EventEndTime: new Date('2026-03-02T00:00:00Z'),
  Destination: { Arn: eventBusArn('ticketing') },
});

const inMarch = (minute: number) => ({ Time: Date.parse(`2026-03-01T10:${String(minute).padStart(2, '0')}:00Z`) / 1000 });

describe('persistence in the data folder', () => {
  let dataDir: string;
  const open = (functions: FakeFunctions, replayBatchSize = 100) =>
    LocalEventBridge.create({ model, ports: { functions }, dataDir, replayBatchSize, logger: recordingLogger() });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'eventbridge-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a new instance over the same folder keeps the archive and the replays', async () => {
    // Prepare
    const first = await open(new FakeFunctions());
    await first.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' }, inMarch(0))]);
    await first.startReplay(replayOfMarch('before-restart'));
    await first.whenIdle();
    const creationTime = first.describeArchive('TicketingArchive').CreationTime;
    await first.stop();

    // Act
    const functions = new FakeFunctions();
    const second = await open(functions);
    await second.startReplay(replayOfMarch('after-restart'));
    await second.whenIdle();

    // Assess
    expect(second.describeArchive('TicketingArchive')).toMatchObject({ EventCount: 1, CreationTime: creationTime });
    expect(second.describeReplay('before-restart').State).toBe('COMPLETED');
    expect(functions.eventsFor(STATUS)).toEqual([expect.objectContaining({ 'replay-name': 'after-restart', detail: { purchaseId: 'p-1' } })]);
    await second.stop();
  });

  test('a replay interrupted by a stop runs again from its start after a restart', async () => {
    // Prepare
    const release = gate();
    const first = await open(new FakeFunctions(() => release.opened), 1);
    await first.putEventEntries([1, 2, 3].map((minute) => entry('PurchaseRequested.v1', { purchaseId: `p-${minute}` }, inMarch(minute))));
    await first.startReplay(replayOfMarch('interrupted'));
    await eventually(() => first.describeReplay('interrupted').State, (state) => state === 'RUNNING', { what: 'the replay to run' });
    const stopping = first.stop();
    release.open();
    await stopping;
    const stateAtStop = first.describeReplay('interrupted').State;

    // Act
    const functions = new FakeFunctions();
    const second = await open(functions, 1);
    await second.whenIdle();

    // Assess
    expect(stateAtStop).toBe('RUNNING');
    expect(second.describeReplay('interrupted').State).toBe('COMPLETED');
    // Only the replayed copies, first event included: the originals were delivered (and settled) before the first stop returned.
    expect(functions.eventsFor(STATUS)).toEqual(
      ['p-1', 'p-2', 'p-3'].map((purchaseId) => expect.objectContaining({ 'replay-name': 'interrupted', detail: { purchaseId } })),
    );
    await second.stop();
  });

  test('a stop does not wait out the retry delay of a replayed delivery', async () => {
    // Prepare
    const failing = FakeFunctions.failing(2);
    const first = await LocalEventBridge.create({ model, ports: { functions: new FakeFunctions() }, dataDir, logger: recordingLogger() });
    await first.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' }, inMarch(1))]);
    await first.stop();
    const retryDelayMs = 20_000;
    const second = await LocalEventBridge.create({ model, ports: { functions: failing }, dataDir, retryDelayMs: () => retryDelayMs, logger: recordingLogger() });
    await second.startReplay(replayOfMarch('retrying'));
    await eventually(() => failing.invocations.length, (count) => count === 1, { what: 'the first attempt to fail' });

    // Act
    const stop = await Promise.race([second.stop().then(() => 'stopped'), new Promise((resolve) => setTimeout(resolve, retryDelayMs / 4, 'still stopping'))]);

    // Assess
    expect(stop).toBe('stopped');
    expect(second.describeReplay('retrying').State).toBe('RUNNING');
  }, 10_000);

  test('a line torn by a crash mid-write is skipped', async () => {
    // Prepare
    const first = await open(new FakeFunctions());
    await first.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);
    await first.stop();
    await appendFile(join(dataDir, 'archives', 'TicketingArchive.jsonl'), '{"archivedAt": 17');

    // Act
    const second = await open(new FakeFunctions());

    // Assess
    expect(second.describeArchive('TicketingArchive').EventCount).toBe(1);
    await second.stop();
  });

  test('the archive is JSON lines in the data folder', async () => {
    // Prepare
    const bridge = await open(new FakeFunctions());

    // Act
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);

    // Assess
    expect((await readdir(join(dataDir, 'archives'))).sort()).toEqual(['TicketingArchive.archive.json', 'TicketingArchive.jsonl']);
    await bridge.stop();
  });
});
