import { SLOW_APPROVAL_MS, TEST_TOKENS, simulatedOutcome } from '#domain/billing/simulated-outcome';

test.each([
  [TEST_TOKENS.approve, 1, { kind: 'approved', afterMs: 0 }],
  [TEST_TOKENS.decline, 1, { kind: 'declined' }],
  [TEST_TOKENS.insufficientFunds, 1, { kind: 'insufficientFunds' }],
  [TEST_TOKENS.unavailable, 1, { kind: 'unavailable' }],
  [TEST_TOKENS.unavailable, 5, { kind: 'unavailable' }],
  [TEST_TOKENS.unavailableOnce, 1, { kind: 'unavailable' }],
  [TEST_TOKENS.unavailableOnce, 2, { kind: 'approved', afterMs: 0 }],
  [TEST_TOKENS.slow, 1, { kind: 'approved', afterMs: SLOW_APPROVAL_MS }],
  ['tok_visa_4242', 1, { kind: 'approved', afterMs: 0 }],
])('%s on attempt %i: %o', (token, attempt, outcome) => {
  expect(simulatedOutcome(token, attempt)).toEqual(outcome);
});

test('tok_slow takes three seconds', () => {
  expect(SLOW_APPROVAL_MS).toBe(3_000);
});
