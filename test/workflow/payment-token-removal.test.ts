import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { TEST_TOKENS } from '#domain/billing/simulated-outcome';
import { EVENT_CATALOG } from '#events/catalog';
import { CONCERT_ID, useSagaRig, type PublishedEvent } from './support/saga-harness.ts';

/**
 * The buyer's payment token is kept only while a step may still charge it:
 * the status projection removes it in the update that records CONFIRMED or
 * FAILED. What a refund needs (the charge, by purchaseId) is in the ledger,
 * so a compensation that comes after the purchase ended still refunds.
 */
const rig = useSagaRig();
let projectPurchaseStatus: (event: unknown) => Promise<void>;

beforeAll(async () => {
  ({ handler: projectPurchaseStatus } = await import('#handlers/project-purchase-status'));
});

const sourceOf = (detailType: string) => {
  const definition = EVENT_CATALOG.find((candidate) => candidate.detailType === detailType);
  if (!definition) throw new Error(`no event ${detailType} in the catalog`);
  return definition.source;
};

/** Delivers the events to the status projection, as the bus's rule would. */
const project = async (events: readonly PublishedEvent[]) => {
  for (const [index, event] of events.entries()) {
    await projectPurchaseStatus({
      version: '0',
      id: `delivery-${index}`,
      account: '000000000000',
      region: 'us-east-1',
      time: new Date().toISOString(),
      resources: [],
      'detail-type': event.detailType,
      source: sourceOf(event.detailType),
      detail: event.detail,
    });
  }
};

const projectEventsOf = (purchaseId: string) => project(rig().eventsOf(purchaseId));

const purchaseItem = async (purchaseId: string) => {
  const { documentClient, tables } = rig().db;
  const { Item } = await documentClient.send(new GetCommand({ TableName: tables.purchases, Key: { purchaseId }, ConsistentRead: true }));
  return Item;
};

describe('the payment token once a purchase ends', () => {
  it('is gone from a CONFIRMED purchase, which keeps its masked reference', async () => {
    // Prepare
    const purchaseId = 'token-confirmed-0001';
    await rig().runPurchase({ purchaseId, seatIds: ['A-1'], paymentToken: TEST_TOKENS.approve });

    // Act
    await projectEventsOf(purchaseId);

    // Assess
    const item = await purchaseItem(purchaseId);
    expect(item).toMatchObject({ status: 'CONFIRMED', paymentRef: 'tok_…rove' });
    expect(item).not.toHaveProperty('paymentToken');
  });

  it('is gone from a FAILED purchase', async () => {
    // Prepare
    const purchaseId = 'token-declined-0001';
    await rig().runPurchase({ purchaseId, seatIds: ['A-2'], paymentToken: TEST_TOKENS.decline });

    // Act
    await projectEventsOf(purchaseId);

    // Assess
    const item = await purchaseItem(purchaseId);
    expect(item).toMatchObject({ status: 'FAILED', failureReason: 'PAYMENT_DECLINED' });
    expect(item).not.toHaveProperty('paymentToken');
  });

  it('stays while the purchase is under way, for ChargePayment to read', async () => {
    // Prepare
    const purchaseId = 'token-paid-0001';
    await rig().runPurchase({ purchaseId, seatIds: ['A-3'], paymentToken: TEST_TOKENS.approve });
    const untilCharged = rig().eventsOf(purchaseId).filter((event) => ['SeatsReserved.v1', 'PaymentCharged.v1'].includes(event.detailType));

    // Act
    await project(untilCharged);

    // Assess
    expect(await purchaseItem(purchaseId)).toMatchObject({ status: 'PAID', paymentToken: TEST_TOKENS.approve });
  });

  it('is not needed by a compensation that comes after the purchase ended: the refund reads the ledger', async () => {
    // Prepare
    const purchaseId = 'token-late-refund-0001';
    await rig().runPurchase({ purchaseId, seatIds: ['A-4'], paymentToken: TEST_TOKENS.approve });
    await projectEventsOf(purchaseId);
    const refundPayment = rig().invoker.functionFor('refund-payment');

    // Act
    const result = await rig().invoker.invoke(refundPayment.name, { purchaseId, concertId: CONCERT_ID, correlationId: `corr-${purchaseId}` });

    // Assess
    expect(await purchaseItem(purchaseId)).not.toHaveProperty('paymentToken');
    expect(result).toEqual({ refunded: true });
    expect(await rig().ledger(purchaseId)).toMatchObject({ status: 'REFUNDED', charges: 1 });
    expect(rig().eventsOf(purchaseId).at(-1)).toMatchObject({ detailType: 'PaymentRefunded.v1' });
  });
});
