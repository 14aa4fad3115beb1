import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalEventBridge } from '#local/eventbridge/bus';
import { eventually } from '#test/support/eventually';
import { lambdaFunctionArn } from '#local/arns';
import { entry, FakeFunctions, gate, recordingLogger, rule, target, ticketingModel } from './fakes.ts';

/**
 * A runtime killed between PutEvents and the delivery of the event (no stop,
 * no exit hook) must not lose the delivery: the next bus over the same data
 * folder delivers it, as AWS delivers every event it accepted.
 */

const STATUS = lambdaFunctionArn('ProjectPurchaseStatus');

const model = ticketingModel({
  rules: [rule('PurchaseStatus', { eventPattern: { source: ['ticketing.orders'] }, targets: [target('status', STATUS)] })],
});

describe('deliveries owed across a crash', () => {
  let dataDir: string;
  const open = (functions: FakeFunctions) => LocalEventBridge.create({ model, ports: { functions }, dataDir, logger: recordingLogger() });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'eventbridge-owed-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('an event whose delivery was cut short by a crash is delivered by the next bus over the same folder', async () => {
    // Prepare
    const stuck = gate();
    const crashed = await open(new FakeFunctions(() => stuck.opened));
    const { Entries } = await crashed.putEventEntries([entry('PurchaseConfirmed.v1', { purchaseId: 'p-crash' })]);
    const eventId = Entries[0] && 'EventId' in Entries[0] ? Entries[0].EventId : undefined;

    // Act
    const functions = new FakeFunctions();
    const restarted = await open(functions);
    await restarted.whenIdle();

    // Assess
    expect(functions.eventsFor(STATUS)).toEqual([expect.objectContaining({ id: eventId, detail: { purchaseId: 'p-crash' } })]);
    await restarted.stop();
    stuck.open();
    await crashed.stop();
  });

  test('a settled delivery is not delivered again', async () => {
    // Prepare
    const first = await open(new FakeFunctions());
    await first.putEventEntries([entry('PurchaseConfirmed.v1', { purchaseId: 'p-delivered' })]);
    await first.whenIdle();

    // Act
    const functions = new FakeFunctions();
    const second = await open(functions);
    await second.whenIdle();

    // Assess
    expect(functions.invocations).toEqual([]);
    await first.stop();
    await second.stop();
  });

  test('a delivery abandoned by a stop stays owed and is delivered on the next start', async () => {
    // Prepare
    const failing = FakeFunctions.failing(1);
    const first = await open(failing);
    await first.putEventEntries([entry('PurchaseConfirmed.v1', { purchaseId: 'p-retrying' })]);
    await eventually(() => failing.invocations.length, (count) => count === 1, { what: 'the first attempt to fail' });
    await first.stop();

    // Act
    const functions = new FakeFunctions();
    const second = await open(functions);
    await second.whenIdle();

    // Assess
    expect(functions.eventsFor(STATUS)).toEqual([expect.objectContaining({ detail: { purchaseId: 'p-retrying' } })]);
    await second.stop();
  });
});
