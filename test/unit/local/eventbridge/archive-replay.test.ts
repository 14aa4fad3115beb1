import { LocalEventBridge, type LocalEventBridgeOptions } from '#local/eventbridge/bus';
import { z } from 'zod';
import type { EventBridgeArchive, EventBridgeModel } from '#local/eventbridge/model';
import { eventually } from '#test/support/eventually';
import { eventBusArn, lambdaFunctionArn } from '#local/arns';
import { archive, entry, FakeFunctions, gate, recordingLogger, rule, target } from './fakes.ts';

const STATUS = lambdaFunctionArn('ProjectPurchaseStatus');
const SEATS = lambdaFunctionArn('ProjectSeatAvailability');
const ARCHIVE_ARN = 'arn:aws:events:us-east-1:000000000000:archive/TicketingArchive';
const STATUS_RULE_ARN = 'arn:aws:events:us-east-1:000000000000:rule/ticketing/PurchaseStatus';

const model = (overrides: Partial<EventBridgeArchive> = {}): EventBridgeModel => ({
  eventBuses: [{ name: 'ticketing' }, { name: 'other' }],
  rules: [
    rule('PurchaseStatus', { eventPattern: { source: ['ticketing.orders'] }, targets: [target('status', STATUS)] }),
    rule('SeatAvailability', { eventPattern: { source: ['ticketing.orders'] }, targets: [target('seats', SEATS)] }),
  ],
  archives: [archive('TicketingArchive', { eventPattern: { source: [{ prefix: 'ticketing.' }] }, ...overrides })],
});

const at = (iso: string) => ({ Time: Date.parse(iso) / 1000 });

const createBridge = (functions: FakeFunctions, options: Partial<LocalEventBridgeOptions> = {}) =>
  LocalEventBridge.create({ model: model(), ports: { functions }, retryDelayMs: () => 1, logger: recordingLogger(), ...options });

const replayWindow = (start: string, end: string, destination: { FilterArns?: string[] } = {}) => ({
  EventSourceArn: ARCHIVE_ARN,
  EventStartTime: new Date(start),
  EventEndTime: new Date(end),
  Destination: { Arn: eventBusArn('ticketing'), ...destination },
});

const deliveredPurchase = z.object({ detail: z.object({ purchaseId: z.string() }) });
const purchaseIdOf = (event: unknown) => deliveredPurchase.parse(event).detail.purchaseId;
const purchaseIdsDelivered = (functions: FakeFunctions, target: string) => functions.eventsFor(target).map(purchaseIdOf);

describe('archive', () => {
  test('keeps the events of its bus that match its pattern', async () => {
    // Prepare
    const bridge = await createBridge(new FakeFunctions());

    // Act
    await bridge.putEventEntries([
      entry('PurchaseRequested.v1', { purchaseId: 'p-1' }),
      entry('Audit.v1', { purchaseId: 'p-2' }, { Source: 'backoffice' }),
      entry('PurchaseRequested.v1', { purchaseId: 'p-3' }, { EventBusName: 'other' }),
    ]);

    // Assess
    expect(bridge.describeArchive('TicketingArchive')).toMatchObject({
      ArchiveArn: ARCHIVE_ARN,
      EventSourceArn: eventBusArn('ticketing'),
      State: 'ENABLED',
      EventCount: 1,
      EventPattern: '{"source":[{"prefix":"ticketing."}]}',
    });
  });

  test('no longer replays events older than its retention', async () => {
    // Prepare
    let clock = Date.parse('2026-03-01T00:00:00Z');
    const functions = new FakeFunctions();
    const bridge = await LocalEventBridge.create({
      model: model({ retentionDays: 1 }),
      ports: { functions },
      now: () => clock,
      logger: recordingLogger(),
    });
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'old' })]);
    clock += 2 * 86_400_000;
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'recent' })]);
    await bridge.whenIdle();
    functions.invocations.length = 0;

    // Act
    await bridge.startReplay({ ReplayName: 'retention', ...replayWindow('2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z', { FilterArns: [STATUS_RULE_ARN] }) });
    await bridge.whenIdle();

    // Assess
    expect(purchaseIdsDelivered(functions, STATUS)).toEqual(['recent']);
    expect(bridge.describeArchive('TicketingArchive').EventCount).toBe(1);
  });
});

describe('replay', () => {
  test('re-delivers the archived events of the window with replay-name, then completes', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge(functions);
    await bridge.putEventEntries([
      entry('PurchaseRequested.v1', { purchaseId: 'before' }, at('2026-03-01T09:59:59Z')),
      entry('PurchaseRequested.v1', { purchaseId: 'first' }, at('2026-03-01T10:00:00Z')),
      entry('PurchaseRequested.v1', { purchaseId: 'last' }, at('2026-03-01T10:30:00Z')),
      entry('PurchaseRequested.v1', { purchaseId: 'after' }, at('2026-03-01T11:00:01Z')),
    ]);
    await bridge.whenIdle();
    functions.invocations.length = 0;

    // Act
    const started = await bridge.startReplay({ ReplayName: 'morning', ...replayWindow('2026-03-01T10:00:00Z', '2026-03-01T11:00:00Z') });
    await bridge.whenIdle();

    // Assess
    expect(started).toMatchObject({ ReplayArn: 'arn:aws:events:us-east-1:000000000000:replay/morning', State: 'STARTING' });
    expect(purchaseIdsDelivered(functions, STATUS).sort()).toEqual(['first', 'last']);
    expect(functions.eventsFor(STATUS)).toEqual([
      expect.objectContaining({ 'replay-name': 'morning', version: '0', 'detail-type': 'PurchaseRequested.v1' }),
      expect.objectContaining({ 'replay-name': 'morning' }),
    ]);
    expect(bridge.describeReplay('morning')).toMatchObject({
      State: 'COMPLETED',
      EventLastReplayedTime: new Date('2026-03-01T10:30:00Z'),
      ReplayEndTime: expect.any(Date),
    });
  });

  test('keeps the original event id and time', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge(functions);
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' }, at('2026-03-01T10:00:00Z'))]);
    await bridge.whenIdle();
    const [original] = functions.eventsFor(STATUS);

    // Act
    await bridge.startReplay({ ReplayName: 'same-ids', ...replayWindow('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z') });
    await bridge.whenIdle();

    // Assess
    expect(functions.eventsFor(STATUS)[1]).toEqual({ ...z.record(z.string(), z.unknown()).parse(original), 'replay-name': 'same-ids' });
  });

  test('with FilterArns only those rules receive the replayed events', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge(functions);
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' }, at('2026-03-01T10:00:00Z'))]);
    await bridge.whenIdle();
    functions.invocations.length = 0;

    // Act
    await bridge.startReplay({ ReplayName: 'status-only', ...replayWindow('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', { FilterArns: [STATUS_RULE_ARN] }) });
    await bridge.whenIdle();

    // Assess
    expect(purchaseIdsDelivered(functions, STATUS)).toEqual(['p-1']);
    expect(functions.eventsFor(SEATS)).toEqual([]);
  });

  test('replayed events are not archived again', async () => {
    // Prepare
    const bridge = await createBridge(new FakeFunctions());
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' }, at('2026-03-01T10:00:00Z'))]);

    // Act
    await bridge.startReplay({ ReplayName: 'once', ...replayWindow('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z') });
    await bridge.whenIdle();

    // Assess
    expect(bridge.describeArchive('TicketingArchive').EventCount).toBe(1);
  });

  test('progress is observable while the replay runs, and waits when too many deliveries are unsettled', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge(functions, { replayBatchSize: 1, replayMaxUnsettledEvents: 1 });
    await bridge.putEventEntries([
      entry('PurchaseRequested.v1', { purchaseId: 'p-1' }, at('2026-03-01T10:00:00Z')),
      entry('PurchaseRequested.v1', { purchaseId: 'p-2' }, at('2026-03-01T10:05:00Z')),
    ]);
    await bridge.whenIdle();
    functions.invocations.length = 0;
    const release = gate();
    functions.respondWith(async (event) => {
      if (purchaseIdOf(event) === 'p-1') await release.opened;
      return null;
    });

    // Act
    await bridge.startReplay({ ReplayName: 'slow', ...replayWindow('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', { FilterArns: [STATUS_RULE_ARN] }) });
    await eventually(() => bridge.describeReplay('slow'), (replay) => replay.EventLastReplayedTime !== undefined, { what: 'the first batch to be sent' });

    // Assess
    expect(bridge.describeReplay('slow')).toMatchObject({ State: 'RUNNING', EventLastReplayedTime: new Date('2026-03-01T10:00:00Z') });
    expect(purchaseIdsDelivered(functions, STATUS)).toEqual(['p-1']);
    release.open();
    await bridge.whenIdle();
    expect(bridge.describeReplay('slow')).toMatchObject({ State: 'COMPLETED', EventLastReplayedTime: new Date('2026-03-01T10:05:00Z') });
    expect(purchaseIdsDelivered(functions, STATUS)).toEqual(['p-1', 'p-2']);
  });

  test('one delivery still in its retries does not hold back the rest of the replay', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge(functions, { replayBatchSize: 1 });
    await bridge.putEventEntries(
      ['p-1', 'p-2', 'p-3'].map((purchaseId, minute) => entry('PurchaseRequested.v1', { purchaseId }, at(`2026-03-01T10:0${minute}:00Z`))),
    );
    await bridge.whenIdle();
    functions.invocations.length = 0;
    const release = gate();
    functions.respondWith(async (event) => {
      // A consumer that keeps failing this one event, as a target does between its retries.
      if (purchaseIdOf(event) === 'p-1') await release.opened;
      return null;
    });

    // Act
    await bridge.startReplay({ ReplayName: 'unblocked', ...replayWindow('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', { FilterArns: [STATUS_RULE_ARN] }) });
    await eventually(() => purchaseIdsDelivered(functions, STATUS), (delivered) => delivered.length === 3, { what: 'every replayed event to be sent' });

    // Assess
    expect(bridge.describeReplay('unblocked')).toMatchObject({ State: 'RUNNING', EventLastReplayedTime: new Date('2026-03-01T10:02:00Z') });
    release.open();
    await bridge.whenIdle();
    expect(bridge.describeReplay('unblocked').State).toBe('COMPLETED');
  });

  test('a cancelled replay sends no batch after the cancel', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge(functions, { replayBatchSize: 1, replayMaxUnsettledEvents: 1 });
    await bridge.putEventEntries([
      entry('PurchaseRequested.v1', { purchaseId: 'p-1' }, at('2026-03-01T10:00:00Z')),
      entry('PurchaseRequested.v1', { purchaseId: 'p-2' }, at('2026-03-01T10:05:00Z')),
    ]);
    await bridge.whenIdle();
    functions.invocations.length = 0;
    const release = gate();
    functions.respondWith(() => release.opened);
    await bridge.startReplay({ ReplayName: 'cancelled', ...replayWindow('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', { FilterArns: [STATUS_RULE_ARN] }) });
    await eventually(() => functions.invocations.length, (count) => count === 1, { what: 'the first replayed delivery' });

    // Act
    const cancelled = await bridge.cancelReplay('cancelled');
    release.open();
    await bridge.whenIdle();

    // Assess
    expect(cancelled.State).toBe('CANCELLING');
    expect(bridge.describeReplay('cancelled').State).toBe('CANCELLED');
    expect(purchaseIdsDelivered(functions, STATUS)).toEqual(['p-1']);
  });

  test('ListReplays and ListArchives summarise what exists', async () => {
    // Prepare
    const bridge = await createBridge(new FakeFunctions());
    await bridge.startReplay({ ReplayName: 'listed', ...replayWindow('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z') });
    await bridge.whenIdle();

    // Act
    const replays = bridge.listReplays({ NamePrefix: 'list' });
    const archives = bridge.listArchives({ EventSourceArn: eventBusArn('ticketing') });

    // Assess
    expect(replays).toEqual([expect.objectContaining({ ReplayName: 'listed', State: 'COMPLETED', EventSourceArn: ARCHIVE_ARN })]);
    expect(archives).toEqual([expect.objectContaining({ ArchiveName: 'TicketingArchive', EventCount: 0, State: 'ENABLED' })]);
  });

  test.each([
    ['a name already used', 'ResourceAlreadyExistsException', { ReplayName: 'taken' }],
    ['an unknown archive', 'ResourceNotFoundException', { EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/Nope' }],
    ['another destination bus', 'ValidationException', { Destination: { Arn: eventBusArn('other') } }],
    ['an end before the start', 'ValidationException', { EventEndTime: new Date('2026-02-01T00:00:00Z') }],
    ['a filter rule not on the bus', 'ResourceNotFoundException', { Destination: { Arn: eventBusArn('ticketing'), FilterArns: ['arn:aws:events:us-east-1:000000000000:rule/ticketing/Nope'] } }],
  ])('StartReplay with %s fails with %s', async (_title, type, override) => {
    // Prepare
    const bridge = await createBridge(new FakeFunctions());
    await bridge.startReplay({ ReplayName: 'taken', ...replayWindow('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z') });

    // Act
    const start = bridge.startReplay({ ReplayName: 'new', ...replayWindow('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z'), ...override });

    // Assess
    await expect(start).rejects.toMatchObject({ type });
    await bridge.whenIdle();
  });
});
