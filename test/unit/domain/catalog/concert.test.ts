import { concertSchema, currencySchema, seatAvailabilitySchema, seatSchema, type Concert } from '#domain/catalog/concert';

const concert: Concert = { concertId: 'rock-night', name: 'Rock Night', venue: 'Arena', startsAt: '2026-12-31T20:00:00Z', currency: 'EUR', seatCount: 500 };

test('reads back a concert whose start was given with a zone offset', () => {
  // Arrange: the concert tool accepts any ISO time with a zone, and stores it as given.
  const item = { ...concert, startsAt: '2026-12-31T21:00:00+01:00' };

  // Act
  const result = concertSchema.safeParse(item);

  // Assess
  expect(result.success).toBe(true);
});

describe('currency codes', () => {
  test('accepts a three-letter ISO 4217 code', () => {
    expect(currencySchema.safeParse('EUR').success).toBe(true);
  });

  // The concert tool shows the message next to its --currency flag.
  test.each(['EURO', 'EU', 'eur', ' EUR', 'EUR '])('refuses %j, saying what a code looks like', (code) => {
    // Act
    const result = currencySchema.safeParse(code);

    // Assess
    expect(result.error?.issues).toMatchObject([{ message: 'must be an ISO 4217 code such as EUR' }]);
  });
});

// The projection writes each status the saga gives a seat; the seat map reads every one of them back.
test.each(['AVAILABLE', 'HELD', 'SOLD'])('reads back an availability item in status %s', (status) => {
  // Arrange
  const item = { concertId: 'rock-night', seatId: 'A-1', row: 'A', price: { amount: 100, currency: 'EUR' }, status, version: 2 };

  // Act
  const result = seatAvailabilitySchema.safeParse(item);

  // Assess
  expect(result.success).toBe(true);
});

// Rows past Z are labelled AA..ZZ: both tables must read them back.
test('reads back seat and availability items of a two-letter row', () => {
  // Arrange
  const price = { amount: 100, currency: 'EUR' };
  const seat = { concertId: 'rock-night', seatId: 'AB-1', row: 'AB', number: 1, price, status: 'AVAILABLE', version: 1 };
  const availability = { concertId: 'rock-night', seatId: 'AB-1', row: 'AB', price, status: 'AVAILABLE', version: 1 };

  // Act
  const results = [seatSchema.safeParse(seat).success, seatAvailabilitySchema.safeParse(availability).success];

  // Assess
  expect(results).toEqual([true, true]);
});
