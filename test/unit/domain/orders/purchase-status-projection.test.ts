import { PROJECTED_PURCHASE_EVENTS, purchaseStatusUpdateFor } from '#domain/orders/purchase-status-projection';

const metadata = (detailType: string, occurredAt = '2026-11-26T10:00:00.000Z') => ({
  eventId: `purchase-0001:${detailType}`,
  purchaseId: 'purchase-0001',
  concertId: 'rock-night',
  occurredAt,
  correlationId: 'corr-1',
});
const eur = (amount: number) => ({ amount, currency: 'EUR' });

test('PurchaseRequested only fills the baseline of the record', () => {
  const update = purchaseStatusUpdateFor('PurchaseRequested.v1', {
    ...metadata('PurchaseRequested.v1'),
    buyerId: 'buyer-1',
    seatIds: ['A-1'],
    paymentRef: 'tok_…rove',
  });

  expect(update).toEqual({
    purchaseId: 'purchase-0001',
    baseline: {
      buyerId: 'buyer-1',
      concertId: 'rock-night',
      seatIds: ['A-1'],
      paymentRef: 'tok_…rove',
      correlationId: 'corr-1',
      createdAt: '2026-11-26T10:00:00.000Z',
    },
    facts: {},
  });
});

test('PurchaseRequested.v2 of a purchase by quantity fills the baseline with what was asked, and no seats', () => {
  const update = purchaseStatusUpdateFor('PurchaseRequested.v2', {
    ...metadata('PurchaseRequested.v2', '2026-11-26T10:00:00.000Z'),
    buyerId: 'buyer-1',
    bestAvailable: { quantity: 2, priceBand: 'A-E' },
    paymentRef: 'tok_…rove',
  });

  expect(update?.baseline).toEqual({
    buyerId: 'buyer-1',
    concertId: 'rock-night',
    bestAvailable: { quantity: 2, priceBand: 'A-E' },
    paymentRef: 'tok_…rove',
    correlationId: expect.any(String),
    createdAt: '2026-11-26T10:00:00.000Z',
  });
});

test('SeatsReserved moves the purchase to RESERVED and records the total and the seats held', () => {
  const update = purchaseStatusUpdateFor('SeatsReserved.v1', {
    ...metadata('SeatsReserved.v1', '2026-11-26T10:00:01.000Z'),
    seats: [{ seatId: 'A-1', version: 2, price: eur(12000) }],
    total: eur(12000),
    holdExpiresAt: '2026-11-26T10:20:01.000Z',
  });

  expect(update).toEqual({
    purchaseId: 'purchase-0001',
    statusChange: { status: 'RESERVED', rank: 1, at: '2026-11-26T10:00:01.000Z' },
    facts: { total: eur(12000), seatIds: ['A-1'] },
  });
});

test('PaymentCharged moves the purchase to PAID', () => {
  const update = purchaseStatusUpdateFor('PaymentCharged.v1', {
    ...metadata('PaymentCharged.v1'),
    chargeId: 'ch_1',
    amount: eur(12000),
    paymentRef: 'tok_…rove',
  });

  expect(update?.statusChange).toMatchObject({ status: 'PAID', rank: 2 });
});

test('InvoiceCreated records the invoice id without a status change', () => {
  const update = purchaseStatusUpdateFor('InvoiceCreated.v1', {
    ...metadata('InvoiceCreated.v1'),
    invoiceId: 'INV-1',
    lines: [{ seatId: 'A-1', description: 'Seat A-1', price: eur(10000) }],
    subtotal: eur(10000),
    tax: eur(2000),
    total: eur(12000),
  });

  expect(update).toEqual({ purchaseId: 'purchase-0001', facts: { invoiceId: 'INV-1' } });
});

test('PurchaseConfirmed moves the purchase to CONFIRMED with its invoice, total and seats', () => {
  const update = purchaseStatusUpdateFor('PurchaseConfirmed.v1', {
    ...metadata('PurchaseConfirmed.v1'),
    seats: [{ seatId: 'A-1', version: 3 }],
    invoiceId: 'INV-1',
    total: eur(12000),
  });

  expect(update).toEqual({
    purchaseId: 'purchase-0001',
    statusChange: { status: 'CONFIRMED', rank: 3, at: '2026-11-26T10:00:00.000Z' },
    // Events may arrive out of order: a CONFIRMED purchase by quantity shows its seats even before SeatsReserved is projected.
    facts: { invoiceId: 'INV-1', total: eur(12000), seatIds: ['A-1'] },
  });
});

test('PurchaseFailed moves the purchase to FAILED with the reason, message and step', () => {
  const update = purchaseStatusUpdateFor('PurchaseFailed.v1', {
    ...metadata('PurchaseFailed.v1'),
    reason: 'PAYMENT_DECLINED',
    failedStep: 'ChargePayment',
    message: 'The payment was declined',
    paymentRefunded: false,
    seatsReleased: true,
  });

  expect(update).toEqual({
    purchaseId: 'purchase-0001',
    statusChange: {
      status: 'FAILED',
      rank: 3,
      at: '2026-11-26T10:00:00.000Z',
      failure: { reason: 'PAYMENT_DECLINED', message: 'The payment was declined', failedStep: 'ChargePayment' },
    },
    // A false flag is left out: it must never undo a true one set by PaymentRefunded.
    facts: { seatsReleased: true },
  });
});

test('PaymentRefunded only sets the refunded flag', () => {
  const update = purchaseStatusUpdateFor('PaymentRefunded.v1', {
    ...metadata('PaymentRefunded.v1'),
    refundId: 'rf_1',
    chargeId: 'ch_1',
    amount: eur(12000),
  });

  expect(update).toEqual({ purchaseId: 'purchase-0001', facts: { paymentRefunded: true } });
});

test('SeatsReleased only sets the released flag', () => {
  const update = purchaseStatusUpdateFor('SeatsReleased.v1', { ...metadata('SeatsReleased.v1'), seats: [] });

  expect(update).toEqual({ purchaseId: 'purchase-0001', facts: { seatsReleased: true } });
});

test('ignores a detail-type it does not follow', () => {
  expect(purchaseStatusUpdateFor('ConcertAnnounced.v1', {})).toBeUndefined();
});

test('throws on a detail that does not match its schema', () => {
  expect(() => purchaseStatusUpdateFor('SeatsReleased.v1', { purchaseId: 'purchase-0001' })).toThrow();
});

test('PurchaseFailed records a refund it reports', () => {
  // Act
  const update = purchaseStatusUpdateFor('PurchaseFailed.v1', {
    ...metadata('PurchaseFailed.v1'),
    reason: 'INVOICE_FAILED',
    failedStep: 'CreateInvoice',
    message: 'The purchase could not be completed.',
    paymentRefunded: true,
    seatsReleased: false,
  });

  // Assess
  expect(update?.facts).toEqual({ paymentRefunded: true });
});

test('follows every event that changes what a buyer sees of a purchase', () => {
  // Assess: the list is what the projection's subscription is built from.
  expect([...PROJECTED_PURCHASE_EVENTS].sort()).toEqual([
    'InvoiceCreated.v1',
    'PaymentCharged.v1',
    'PaymentRefunded.v1',
    'PurchaseConfirmed.v1',
    'PurchaseFailed.v1',
    'PurchaseRequested.v1',
    'PurchaseRequested.v2',
    'SeatsReleased.v1',
    'SeatsReserved.v1',
  ]);
});
