import { UnknownEventError, parseDomainEvent } from '#events/envelope';

const envelope = (detailType: string, detail: unknown) => ({
  version: '0',
  id: 'a1b2',
  'detail-type': detailType,
  source: 'ticketing.billing',
  account: '000000000000',
  time: '2026-11-26T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail,
});

const charged = {
  eventId: 'purchase-0001:PaymentCharged.v1',
  purchaseId: 'purchase-0001',
  concertId: 'rock-night',
  occurredAt: '2026-11-26T10:00:00.000Z',
  correlationId: 'corr-1',
  chargeId: 'ch_1',
  amount: { amount: 12000, currency: 'EUR' },
  paymentRef: 'tok_…rove',
};

test('parses the envelope and the detail with the schema of its detail-type', () => {
  const parsed = parseDomainEvent(envelope('PaymentCharged.v1', charged));

  expect(parsed.detailType).toBe('PaymentCharged.v1');
  expect(parsed.detail).toEqual(charged);
});

test('rejects a detail that does not match its schema', () => {
  expect(() => parseDomainEvent(envelope('PaymentCharged.v1', { ...charged, amount: { amount: -1, currency: 'EUR' } }))).toThrow(
    /amount/,
  );
});

test('rejects a detail-type the catalog does not know', () => {
  expect(() => parseDomainEvent(envelope('PaymentCharged.v0', charged))).toThrow(UnknownEventError);
});

test('names the unknown detail-type in the error, for the projection to log what it skipped', () => {
  // Act
  const parsing = () => parseDomainEvent(envelope('PaymentCharged.v0', charged));

  // Assess
  expect(parsing).toThrow(expect.objectContaining({
    name: 'UnknownEventError',
    detailType: 'PaymentCharged.v0',
    message: 'No schema in the event catalog for detail-type "PaymentCharged.v0"',
  }));
});

test('keeps the envelope, including the name of a replay that redelivered the event', () => {
  // Act
  const parsed = parseDomainEvent({ ...envelope('PaymentCharged.v1', charged), 'replay-name': 'replay-1' });

  // Assess
  expect(parsed.envelope).toMatchObject({ id: 'a1b2', 'detail-type': 'PaymentCharged.v1', source: 'ticketing.billing', 'replay-name': 'replay-1' });
});

test.each([
  ['purchaseId', 'x', 'must be 8-64 letters, digits or dashes'],
  ['concertId', 'Rock Night', 'must be lowercase letters, digits or dashes'],
])('a malformed %s is refused with a message a client can act on', (field, value, message) => {
  // Act
  const parsing = () => parseDomainEvent(envelope('PaymentCharged.v1', { ...charged, [field]: value }));

  // Assess
  expect(parsing).toThrow(message);
});
