import type { StoredPurchase } from '#domain/orders/purchase';
import { purchaseViewFor } from '#domain/orders/purchase-view';

const stored: StoredPurchase = {
  purchaseId: 'purchase-0001',
  buyerId: 'buyer-1',
  concertId: 'rock-night',
  seatIds: ['A-1', 'A-2'],
  paymentRef: 'tok_…rove',
  requestHash: 'hash',
  correlationId: 'corr-1',
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:05.000Z',
  status: 'CONFIRMED',
  statusRank: 3,
  total: { amount: 24000, currency: 'EUR' },
  invoiceId: 'INV-1',
};

test('shows its buyer the status, seats, total and invoice', () => {
  expect(purchaseViewFor(stored, 'buyer-1')).toEqual({
    purchaseId: 'purchase-0001',
    status: 'CONFIRMED',
    concertId: 'rock-night',
    seatIds: ['A-1', 'A-2'],
    total: { amount: 24000, currency: 'EUR' },
    invoiceId: 'INV-1',
    paymentRef: 'tok_…rove',
    createdAt: '2026-11-26T10:00:00.000Z',
    updatedAt: '2026-11-26T10:00:05.000Z',
  });
});

test('shows nothing to another buyer', () => {
  expect(purchaseViewFor(stored, 'buyer-2')).toBeUndefined();
});

test('shows nothing for a record without a buyer (rebuilt from events only)', () => {
  const { buyerId: _buyerId, ...withoutBuyer } = stored;

  expect(purchaseViewFor(withoutBuyer, 'buyer-1')).toBeUndefined();
});

test('shows nothing for an unknown purchase', () => {
  expect(purchaseViewFor(undefined, 'buyer-1')).toBeUndefined();
});

test('explains a failure and whether the payment was refunded', () => {
  const failed: StoredPurchase = {
    ...stored,
    status: 'FAILED',
    failureReason: 'INVOICE_FAILED',
    failureMessage: 'The invoice could not be created',
    failedStep: 'CreateInvoice',
    paymentRefunded: true,
  };

  expect(purchaseViewFor(failed, 'buyer-1')?.failure).toEqual({
    reason: 'INVOICE_FAILED',
    message: 'The invoice could not be created',
    failedStep: 'CreateInvoice',
    paymentRefunded: true,
  });
});

test('never includes the payment token, even when the item holds one', () => {
  const withToken = { ...stored, paymentToken: 'tok_approve' } as StoredPurchase;

  expect(JSON.stringify(purchaseViewFor(withToken, 'buyer-1'))).not.toContain('tok_approve');
});

test('says no refund was made when a failed purchase records none', () => {
  // Arrange
  const failed: StoredPurchase = { ...stored, status: 'FAILED', failureReason: 'PAYMENT_DECLINED' };

  // Act
  const view = purchaseViewFor(failed, 'buyer-1');

  // Assess
  expect(view?.failure).toEqual({ reason: 'PAYMENT_DECLINED', paymentRefunded: false });
});

test('shows a buyer who asked by quantity what they asked for, and the seats chosen once held', () => {
  const { seatIds: _none, ...asked } = stored;
  const queued: StoredPurchase = { ...asked, bestAvailable: { quantity: 2, priceBand: 'A-E' }, status: 'QUEUED', statusRank: 0 };

  expect(purchaseViewFor(queued, 'buyer-1')).toMatchObject({ bestAvailable: { quantity: 2, priceBand: 'A-E' } });
  expect(purchaseViewFor(queued, 'buyer-1')).not.toHaveProperty('seatIds');
  expect(purchaseViewFor({ ...queued, seatIds: ['B-3', 'B-4'], status: 'RESERVED', statusRank: 1 }, 'buyer-1')).toMatchObject({ seatIds: ['B-3', 'B-4'] });
});
