import { sagaInputSchema } from '#domain/saga-input';

/** What the starter sends every execution: the saga cannot run on less, and the seat limit is the API's. */
const input = {
  purchaseId: 'purchase-0001',
  buyerId: 'buyer-with-a-long-subject-claim',
  concertId: 'rock-night',
  seatIds: ['A-1'],
  correlationId: 'corr-1234-5678',
};
const seatIds = (count: number) => Array.from({ length: count }, (_, n) => `B-${n + 1}`);

it('accepts an input with a buyer and a correlation id of any length', () => {
  // Act
  const parsed = sagaInputSchema.safeParse(input);

  // Assess
  expect(parsed.success).toBe(true);
});

it('accepts up to ten seats, the most one purchase may hold', () => {
  // Act
  const parsed = sagaInputSchema.safeParse({ ...input, seatIds: seatIds(10) });

  // Assess
  expect(parsed.data?.seatIds).toHaveLength(10);
});

it.each([
  ['no seats', { seatIds: [] }],
  ['eleven seats', { seatIds: seatIds(11) }],
  ['an empty buyer', { buyerId: '' }],
  ['an empty correlation id', { correlationId: '' }],
])('refuses %s', (_case, change) => {
  // Act
  const parsed = sagaInputSchema.safeParse({ ...input, ...change });

  // Assess
  expect(parsed.success).toBe(false);
});

it('carries no payment token into the execution history', () => {
  // Act
  const parsed = sagaInputSchema.parse({ ...input, paymentToken: 'tok_secret' });

  // Assess
  expect(parsed).toEqual(input);
});

it('accepts a purchase of the best available seats, by quantity and band', () => {
  const { seatIds: _seats, ...withoutSeats } = input;

  // Act
  const parsed = sagaInputSchema.safeParse({ ...withoutSeats, bestAvailable: { quantity: 2, priceBand: 'A-E' } });

  // Assess
  expect(parsed.success).toBe(true);
});

it.each([
  ['both seat ids and a quantity', { bestAvailable: { quantity: 2 } }],
  ['neither seat ids nor a quantity', { seatIds: undefined }],
])('refuses %s: a purchase asks for its seats exactly one way', (_case, change) => {
  // Act
  const parsed = sagaInputSchema.safeParse({ ...input, ...change });

  // Assess
  expect(parsed.success).toBe(false);
});
