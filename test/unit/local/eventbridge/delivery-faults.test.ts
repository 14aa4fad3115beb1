import { LocalEventBridge } from '#local/eventbridge/bus';
import type { DeliveryFaultSource } from '#local/eventbridge/delivery';
import { lambdaFunctionArn } from '#local/arns';
import { entry, FakeFunctions, recordingLogger, rule, target, ticketingModel } from './fakes.ts';

const PROJECTION = lambdaFunctionArn('ProjectPurchaseStatus');

const RULE = rule('PurchaseEvents', { eventPattern: { source: [{ prefix: 'ticketing.' }] }, targets: [target('projection', PROJECTION)] });

const createBridge = (functions: FakeFunctions, deliveryFaults: DeliveryFaultSource) =>
  LocalEventBridge.create({ model: ticketingModel({ rules: [RULE] }), retryDelayMs: () => 1, logger: recordingLogger(), ports: { functions }, deliveryFaults });

const purchaseIdsDelivered = (functions: FakeFunctions) => functions.eventsFor(PROJECTION).map((event) => (event as { detail: { purchaseId: string } }).detail.purchaseId);

describe('LocalEventBridge delivery faults', () => {
  test('a duplicated delivery reaches the target twice', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge(functions, () => ({ copies: 2, delayMs: 0 }));

    // Act
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);
    await bridge.whenIdle();

    // Assess
    expect(purchaseIdsDelivered(functions)).toEqual(['p-1', 'p-1']);
  });

  test('a late delivery reaches the target after events put after it', async () => {
    // Prepare
    const functions = new FakeFunctions();
    let first = true;
    const bridge = await createBridge(functions, () => {
      const fault = first ? { copies: 1, delayMs: 200 } : undefined;
      first = false;
      return fault;
    });

    // Act
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-early' })]);
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-later' })]);
    await bridge.whenIdle();

    // Assess
    expect(purchaseIdsDelivered(functions)).toEqual(['p-later', 'p-early']);
  });
});
