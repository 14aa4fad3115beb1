import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createSimulatedPaymentProvider, ledgerEntrySchema } from '#domain/billing/adapters/simulated-payment-provider';
import { TEST_TOKENS } from '#domain/billing/simulated-outcome';
import { InvoiceVoidedError, PaymentVoidedError } from '#domain/errors';
import { createDynamoDbInvoiceStore } from '#domain/invoicing/adapters/dynamodb-invoice-store';
import { createInvoice } from '#domain/invoicing/create-invoice';
import { voidInvoice } from '#domain/invoicing/void-invoice';
import { useLocalDynamoDb } from '#test/support/dynamodb';

/**
 * A step whose caller gave up can still finish later: a charge the provider
 * answers after the saga moved on to its refund, an invoice written after
 * the saga voided it. On DynamoDB Local, with the real conditional writes,
 * the compensation that ran first must win: no money is taken and no
 * invoice is issued for a purchase the saga already undid.
 */
const db = useLocalDynamoDb();

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const NOW = new Date('2027-01-01T20:00:00Z');

/** A sleep the test releases by hand: the provider's slow approval waits on it. */
const gate = () => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let waiting: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    waiting = resolve;
  });
  return {
    sleep: async () => {
      waiting();
      await opened;
    },
    reached,
    open: () => open(),
  };
};

const ledgerOf = async (purchaseId: string) => {
  const { documentClient, tables } = db();
  const { Item } = await documentClient.send(new GetCommand({ TableName: tables.payments, Key: { purchaseId }, ConsistentRead: true }));
  return Item ? ledgerEntrySchema.parse(Item) : undefined;
};

describe('a refund that finds no charge', () => {
  it('voids the key, so a charge asked for later takes no money', async () => {
    // Prepare
    const { documentClient, tables } = db();
    const provider = createSimulatedPaymentProvider({ client: documentClient, tableName: tables.payments, now: () => NOW });

    // Act
    const refund = await provider.refund({ idempotencyKey: 'void-then-charge-0001' });
    const lateCharge = provider.charge({ idempotencyKey: 'void-then-charge-0001', amount: eur(5_000), token: TEST_TOKENS.approve });

    // Assess
    expect(refund).toBeUndefined();
    await expect(lateCharge).rejects.toThrow(PaymentVoidedError);
    expect(await ledgerOf('void-then-charge-0001')).toMatchObject({ status: 'VOIDED', voidedAt: NOW.toISOString() });
    expect((await ledgerOf('void-then-charge-0001'))?.chargeId).toBeUndefined();
  });

  it('voids the key while a slow approval is on its way: the approval lands nothing', async () => {
    // Prepare
    const { documentClient, tables } = db();
    const slow = gate();
    const provider = createSimulatedPaymentProvider({ client: documentClient, tableName: tables.payments, now: () => NOW, sleep: slow.sleep });
    const inFlight = provider.charge({ idempotencyKey: 'slow-charge-0001', amount: eur(5_000), token: TEST_TOKENS.slow });
    await slow.reached;

    // Act
    const refund = await provider.refund({ idempotencyKey: 'slow-charge-0001' });
    slow.open();

    // Assess
    expect(refund).toBeUndefined();
    await expect(inFlight).rejects.toThrow(PaymentVoidedError);
    expect((await ledgerOf('slow-charge-0001'))?.chargeId).toBeUndefined();
  });

  it('refunds a charge that landed first, and voids nothing', async () => {
    // Prepare
    const { documentClient, tables } = db();
    const provider = createSimulatedPaymentProvider({ client: documentClient, tableName: tables.payments, now: () => NOW });
    await provider.charge({ idempotencyKey: 'charge-then-refund-0001', amount: eur(5_000), token: TEST_TOKENS.approve });

    // Act
    const refund = await provider.refund({ idempotencyKey: 'charge-then-refund-0001' });

    // Assess
    expect(refund).toEqual({ refundId: 're_charge-then-refund-0001', chargeId: 'ch_charge-then-refund-0001', amount: eur(5_000) });
    expect(await ledgerOf('charge-then-refund-0001')).toMatchObject({ status: 'REFUNDED' });
    expect((await ledgerOf('charge-then-refund-0001'))?.voidedAt).toBeUndefined();
  });
});

describe('two approvals racing for one key', () => {
  it('record one charge: the ledger counts what it recorded, and both callers get that charge', async () => {
    // Prepare: both attempts are past the ledger check and waiting on the slow approval at once.
    const { documentClient, tables } = db();
    let arrived = 0;
    let bothArrived: () => void = () => undefined;
    const both = new Promise<void>((resolve) => {
      bothArrived = resolve;
    });
    const slow = gate();
    const sleep = async () => {
      arrived += 1;
      if (arrived === 2) bothArrived();
      await slow.sleep();
    };
    const provider = createSimulatedPaymentProvider({ client: documentClient, tableName: tables.payments, now: () => NOW, sleep });
    const charge = () => provider.charge({ idempotencyKey: 'racing-charge-0001', amount: eur(5_000), token: TEST_TOKENS.slow });
    const racing = [charge(), charge()];
    await both;

    // Act
    slow.open();
    const receipts = await Promise.all(racing);

    // Assess
    expect(receipts).toEqual([
      { chargeId: 'ch_racing-charge-0001', amount: eur(5_000) },
      { chargeId: 'ch_racing-charge-0001', amount: eur(5_000) },
    ]);
    expect(await ledgerOf('racing-charge-0001')).toMatchObject({ status: 'CHARGED', attempts: 2, charges: 1 });
  });
});

describe('voiding an invoice', () => {
  const request = (purchaseId: string) => ({
    purchaseId,
    buyerId: 'buyer-1',
    concertId: 'late-night',
    seats: [{ seatId: 'A-1', price: eur(5_000) }],
    total: eur(5_000),
  });

  it('before it exists leaves a mark, so a late CreateInvoice issues none', async () => {
    // Prepare
    const { documentClient, tables } = db();
    const store = createDynamoDbInvoiceStore({ client: documentClient, tableName: tables.invoices });

    // Act
    const outcome = await voidInvoice(store, 'late-invoice-0001', NOW);
    const lateInvoice = createInvoice(store, request('late-invoice-0001'), NOW);

    // Assess
    expect(outcome).toEqual({ voided: false });
    await expect(lateInvoice).rejects.toThrow(InvoiceVoidedError);
  });

  it('after it exists marks it void once, keeping the first time', async () => {
    // Prepare
    const { documentClient, tables } = db();
    const store = createDynamoDbInvoiceStore({ client: documentClient, tableName: tables.invoices });
    await createInvoice(store, request('voided-invoice-0001'), NOW);

    // Act
    const first = await voidInvoice(store, 'voided-invoice-0001', NOW);
    const again = await voidInvoice(store, 'voided-invoice-0001', new Date(NOW.getTime() + 60_000));

    // Assess
    expect(first).toMatchObject({ voided: true, invoice: { invoiceId: 'INV-voided-invoice-0001', voidedAt: NOW.toISOString() } });
    expect(again).toMatchObject({ voided: true, invoice: { voidedAt: NOW.toISOString() } });
  });
});
