import { MixedCurrenciesError, canBeHeldBy, distinctSeatIds, isActivelyHeldBy, isHoldExpired, seatKey, sumPrices } from '#domain/inventory/seat';
import { NOW, NOW_SECONDS, seat } from './in-memory-seat-store.ts';

describe('who may hold a seat', () => {
  test.each([
    ['an AVAILABLE seat', seat('A-1'), true],
    ['a seat this purchase holds', seat('A-1', { status: 'HELD', holderPurchaseId: 'purchase-1', holdExpiresAt: NOW_SECONDS + 60 }), true],
    ['a seat another purchase holds', seat('A-1', { status: 'HELD', holderPurchaseId: 'purchase-2', holdExpiresAt: NOW_SECONDS + 60 }), false],
    ['a seat whose hold by another purchase expired', seat('A-1', { status: 'HELD', holderPurchaseId: 'purchase-2', holdExpiresAt: NOW_SECONDS - 1 }), true],
    ['a SOLD seat', seat('A-1', { status: 'SOLD', holderPurchaseId: 'purchase-2' }), false],
    ['a seat sold to this purchase', seat('A-1', { status: 'SOLD', holderPurchaseId: 'purchase-1' }), false],
  ])('%s: %s', (_name, candidate, expected) => {
    expect(canBeHeldBy(candidate, 'purchase-1', NOW)).toBe(expected);
  });
});

test('a hold expires only once its expiry is in the past', () => {
  const endingNow = seat('A-1', { status: 'HELD', holderPurchaseId: 'p', holdExpiresAt: NOW_SECONDS });
  const ended = seat('A-1', { status: 'HELD', holderPurchaseId: 'p', holdExpiresAt: NOW_SECONDS - 1 });

  expect([isHoldExpired(endingNow, NOW), isHoldExpired(ended, NOW)]).toEqual([false, true]);
});

test('an expired hold is no longer an active hold of its purchase', () => {
  const ended = seat('A-1', { status: 'HELD', holderPurchaseId: 'purchase-1', holdExpiresAt: NOW_SECONDS - 1 });

  expect(isActivelyHeldBy(ended, 'purchase-1', NOW)).toBe(false);
});

test('prices add up in their currency', () => {
  expect(sumPrices([{ amount: 12000, currency: 'EUR' }, { amount: 9050, currency: 'EUR' }])).toEqual({ amount: 21050, currency: 'EUR' });
});

test('prices in two currencies do not add up', () => {
  expect(() => sumPrices([{ amount: 1, currency: 'EUR' }, { amount: 1, currency: 'USD' }])).toThrow(MixedCurrenciesError);
});

test('a seat id asked for twice counts once, in request order', () => {
  expect(distinctSeatIds(['B-2', 'A-1', 'B-2'])).toEqual(['B-2', 'A-1']);
});

test('a seat key names the concert and the seat', () => {
  expect(seatKey('rock-night', 'A-1')).toEqual({ concertId: 'rock-night', seatId: 'A-1' });
});

describe('an active hold', () => {
  test.each([
    ['a seat sold to this purchase', seat('A-1', { status: 'SOLD', holderPurchaseId: 'purchase-1' })],
    ['a seat another purchase holds', seat('A-1', { status: 'HELD', holderPurchaseId: 'purchase-2', holdExpiresAt: NOW_SECONDS + 60 })],
  ])('is not %s', (_name, candidate) => {
    // Act
    const active = isActivelyHeldBy(candidate, 'purchase-1', NOW);

    // Assess: a rerun of ReserveSeats may only skip its write for seats that are this purchase's live holds
    expect(active).toBe(false);
  });

  test('is a seat this purchase holds until a time still to come', () => {
    // Prepare
    const holding = seat('A-1', { status: 'HELD', holderPurchaseId: 'purchase-1', holdExpiresAt: NOW_SECONDS + 60 });

    // Act
    const active = isActivelyHeldBy(holding, 'purchase-1', NOW);

    // Assess
    expect(active).toBe(true);
  });
});

test('only a HELD seat has a hold that can run out, whatever expiry it carries', () => {
  // Prepare: an item written before holds removed their expiry on sale or release
  const sold = seat('A-1', { status: 'SOLD', holderPurchaseId: 'purchase-1', holdExpiresAt: NOW_SECONDS - 60 });
  const available = seat('A-2', { holdExpiresAt: NOW_SECONDS - 60 });

  // Act
  const expired = [isHoldExpired(sold, NOW), isHoldExpired(available, NOW)];

  // Assess
  expect(expired).toEqual([false, false]);
});

test('prices in two currencies fail naming the currencies, as a MixedCurrenciesError', () => {
  // Act
  const sum = () => sumPrices([{ amount: 1, currency: 'EUR' }, { amount: 1, currency: 'USD' }]);

  // Assess: the message tells an operator which currencies met
  expect(sum).toThrow(expect.objectContaining({ name: 'MixedCurrenciesError', message: expect.stringContaining('EUR, USD') }));
});

test('an empty list of prices has no sum, not even a zero in some currency', () => {
  // Act
  const sum = () => sumPrices([]);

  // Assess
  expect(sum).toThrow(RangeError);
});
