import { isTerminalStatus, purchaseRecordSchema, STATUS_RANK } from '#domain/orders/purchase';

const record = {
  purchaseId: 'purchase-0001',
  buyerId: 'buyer-1',
  concertId: 'rock-night',
  seatIds: ['A-1', 'A-2'],
  paymentToken: 'tok_approve',
  paymentRef: 'tok_…rove',
  idempotencyKey: 'key-1',
  requestHash: 'hash',
  correlationId: 'corr-1',
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  status: 'QUEUED',
  statusRank: 0,
  pendingShard: 'pending-3',
  pendingSince: '2026-11-26T10:00:00.000Z',
};

test('accepts a purchase record as create-purchase writes it', () => {
  // Act
  const parsed = purchaseRecordSchema.safeParse(record);

  // Assess
  expect(parsed.error).toBeUndefined();
});

test.each([
  ['no seat', { seatIds: [] }],
  ['more than 10 seats', { seatIds: Array.from({ length: 11 }, (_, n) => `A-${n + 1}`) }],
  ['an empty buyer', { buyerId: '' }],
  ['an empty payment token', { paymentToken: '' }],
])('refuses a record with %s', (_, change) => {
  // Act
  const parsed = purchaseRecordSchema.safeParse({ ...record, ...change });

  // Assess
  expect(parsed.success).toBe(false);
});

test('ranks the statuses in the order a purchase moves through them, the two ends on the same top rank', () => {
  // Assess: a projection applies a status only above the stored rank, so nothing ever replaces CONFIRMED or FAILED.
  expect(STATUS_RANK.QUEUED).toBeLessThan(STATUS_RANK.RESERVED);
  expect(STATUS_RANK.RESERVED).toBeLessThan(STATUS_RANK.PAID);
  expect(STATUS_RANK.PAID).toBeLessThan(STATUS_RANK.CONFIRMED);
  expect(STATUS_RANK.FAILED).toBe(STATUS_RANK.CONFIRMED);
});

test.each([
  ['QUEUED', false],
  ['RESERVED', false],
  ['PAID', false],
  ['CONFIRMED', true],
  ['FAILED', true],
] as const)('calls %s terminal: %s', (status, terminal) => {
  // Assess: the terminal update removes the payment token, so only the ends may be terminal.
  expect(isTerminalStatus(status)).toBe(terminal);
});
