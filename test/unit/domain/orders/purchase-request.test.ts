import {
  bestAvailableOf,
  idempotencyKeySchema,
  maskPaymentToken,
  purchaseIdFor,
  purchaseRequestSchema,
  requestHashOf,
} from '#domain/orders/purchase-request';
import { purchaseIdSchema } from '#events/metadata';

const validRequest = { concertId: 'rock-night', seatIds: ['A-1', 'A-2'], paymentToken: 'tok_approve' };

const messagesFor = (body: unknown) => {
  const parsed = purchaseRequestSchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('purchase request body', () => {
  test('accepts a concert, 1 to 10 distinct seats and a test token', () => {
    expect(messagesFor(validRequest)).toEqual([]);
  });

  test('names a missing field as required', () => {
    expect(messagesFor({ concertId: 'rock-night', seatIds: ['A-1'] })).toEqual(['paymentToken: is required']);
  });

  test('refuses an empty seat list', () => {
    expect(messagesFor({ ...validRequest, seatIds: [] })).toEqual(['seatIds: must name at least one seat']);
  });

  test('refuses more than 10 seats', () => {
    const seatIds = Array.from({ length: 11 }, (_, i) => `B-${i + 1}`);

    expect(messagesFor({ ...validRequest, seatIds })).toEqual(['seatIds: must name at most 10 seats']);
  });

  test('refuses a repeated seat and names it', () => {
    expect(messagesFor({ ...validRequest, seatIds: ['A-1', 'A-2', 'A-1'] })).toEqual(['seatIds: must not repeat a seat: A-1']);
  });

  test('names the malformed seat by its position', () => {
    expect(messagesFor({ ...validRequest, seatIds: ['A-1', 'row 3'] })).toEqual(['seatIds.1: must look like "A-12"']);
  });

  test('refuses a token that is not a test token', () => {
    expect(messagesFor({ ...validRequest, paymentToken: '4111 1111 1111 1111' })[0]).toMatch(/^paymentToken: must look like "tok_approve"/);
  });

  test('refuses a body that is not an object', () => {
    expect(messagesFor(['rock-night'])).toEqual([': must be a JSON object']);
  });
});

describe('purchase request body asking for the best available seats', () => {
  const byQuantity = { concertId: 'rock-night', quantity: 2, priceBand: 'A-E', paymentToken: 'tok_approve' };

  test('accepts a quantity from 1 to 10 with a price band', () => {
    expect(messagesFor(byQuantity)).toEqual([]);
    expect(messagesFor({ ...byQuantity, quantity: 10 })).toEqual([]);
  });

  test('accepts a quantity without a price band: the best seats of the whole venue', () => {
    const { priceBand: _band, ...withoutBand } = byQuantity;

    expect(messagesFor(withoutBand)).toEqual([]);
  });

  test.each([0, 11, 2.5, '2'])('refuses the quantity %j', (quantity) => {
    expect(messagesFor({ ...byQuantity, quantity })).toEqual(['quantity: must be a whole number of seats from 1 to 10']);
  });

  test('refuses a price band that names no rows', () => {
    expect(messagesFor({ ...byQuantity, priceBand: 'front' })).toEqual(['priceBand: must name a price band by its rows, e.g. "A-E" or "K"']);
  });

  test('refuses seat ids and a quantity together, naming the quantity', () => {
    expect(messagesFor({ ...byQuantity, seatIds: ['A-1', 'A-2'], priceBand: undefined })).toEqual([
      'quantity: must not come with seatIds: name the seats or ask for a quantity, not both',
    ]);
  });

  test('refuses a price band beside seat ids', () => {
    expect(messagesFor({ ...validRequest, priceBand: 'A-E' })).toEqual(['priceBand: only goes with quantity: seatIds already name the seats']);
  });

  test('asks for seat ids or a quantity when neither is there', () => {
    expect(messagesFor({ concertId: 'rock-night', paymentToken: 'tok_approve' })).toEqual([
      'seatIds: is required, unless quantity asks for the best available seats',
    ]);
  });

  test('bestAvailableOf reads the quantity and band, and nothing from a request that names seats', () => {
    expect(bestAvailableOf(purchaseRequestSchema.parse(byQuantity))).toEqual({ quantity: 2, priceBand: 'A-E' });
    expect(bestAvailableOf(purchaseRequestSchema.parse(validRequest))).toBeUndefined();
  });

  test('the request hash tells quantities and bands apart, and names seats as it always did', () => {
    const hash = (request: object) => requestHashOf(purchaseRequestSchema.parse(request));

    expect(hash(byQuantity)).toBe(hash({ ...byQuantity }));
    expect(hash(byQuantity)).not.toBe(hash({ ...byQuantity, quantity: 3 }));
    expect(hash(byQuantity)).not.toBe(hash({ ...byQuantity, priceBand: 'F-J' }));
    expect(hash(byQuantity)).not.toBe(hash({ ...byQuantity, priceBand: undefined }));
    // sha256 of {"concertId":"rock-night","seatIds":["A-1","A-2"],"paymentToken":"tok_approve"}: keys stored before quantities still match.
    expect(hash(validRequest)).toBe('7d07d97069f27a18261b1efd8b280d76623cb6e348598f11c2c3a3776c9cfc3e');
  });
});

describe('idempotency key', () => {
  test.each(['0b6f4c1e-4a5b-4f8e-9a51-0d1b2c3d4e5f', 'order-42'])('accepts %s', (key) => {
    expect(idempotencyKeySchema.safeParse(key).success).toBe(true);
  });

  test.each(['', 'has space', 'x'.repeat(129)])('refuses %j', (key) => {
    expect(idempotencyKeySchema.safeParse(key).success).toBe(false);
  });
});

describe('requestHashOf', () => {
  test('ignores the order of the seats', () => {
    expect(requestHashOf({ ...validRequest, seatIds: ['A-2', 'A-1'] })).toBe(requestHashOf(validRequest));
  });

  test('differs when the token differs', () => {
    expect(requestHashOf({ ...validRequest, paymentToken: 'tok_decline' })).not.toBe(requestHashOf(validRequest));
  });

  test('differs when the seats differ', () => {
    expect(requestHashOf({ ...validRequest, seatIds: ['A-1', 'A-3'] })).not.toBe(requestHashOf(validRequest));
  });
});

describe('purchaseIdFor', () => {
  test('gives the same buyer and key the same id', () => {
    expect(purchaseIdFor('buyer-1', 'key-1')).toBe(purchaseIdFor('buyer-1', 'key-1'));
  });

  test('gives two buyers using the same key different ids', () => {
    expect(purchaseIdFor('buyer-1', 'key-1')).not.toBe(purchaseIdFor('buyer-2', 'key-1'));
  });

  test('is a version 8 UUID that is a valid purchase id', () => {
    const id = purchaseIdFor('buyer-1', 'key-1');

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(purchaseIdSchema.safeParse(id).success).toBe(true);
  });
});

describe('maskPaymentToken', () => {
  test.each([
    ['tok_approve', 'tok_…rove'],
    ['tok_insufficient_funds', 'tok_…unds'],
    ['tok_abcd', 'tok_…d'],
    ['tok_ab', 'tok_…'],
  ])('masks %s as %s', (token, masked) => {
    expect(maskPaymentToken(token)).toBe(masked);
  });
});

describe('purchase request body, fields of the wrong type', () => {
  // A present field of the wrong type is not "required": the buyer sent it and needs to know what it should be.
  test.each([
    ['concertId', 42, 'concertId: must be a string'],
    ['seatIds', 'A-1', 'seatIds: must be an array of seat ids'],
    ['paymentToken', 42, 'paymentToken: must be a string'],
  ])('says what %s must be when it is sent with the wrong type', (field, value, message) => {
    // Act
    const messages = messagesFor({ ...validRequest, [field]: value });

    // Assess
    expect(messages).toEqual([message]);
  });

  test.each(['xtok_approve', 'tok_approve!', 'tok_approve\nsecret'])('refuses a token that only contains a test token: %j', (paymentToken) => {
    // Act
    const messages = messagesFor({ ...validRequest, paymentToken });

    // Assess
    expect(messages[0]).toMatch(/^paymentToken: must look like "tok_approve"/);
  });

  test('says what a header token must be', () => {
    // Act
    const parsed = idempotencyKeySchema.safeParse('has space');

    // Assess
    expect(parsed.error?.issues[0]?.message).toBe('must be 1-128 printable characters without spaces');
  });
});

describe('masked payment token, short tokens', () => {
  test('hides the whole secret of a token too short to show a tail', () => {
    // Act
    const masked = maskPaymentToken('tok_abc');

    // Assess
    expect(masked).toBe('tok_…');
  });
});
