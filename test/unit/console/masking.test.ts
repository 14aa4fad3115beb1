import { MASK, maskJsonText, maskText, maskValue } from '#tools/console/masking';

test.each([
  ['paymentToken', { paymentToken: 'anything' }],
  ['taskToken', { taskToken: 'AAAA' }],
  ['authorization', { Authorization: 'Bearer abc' }],
  ['cardNumber', { cardNumber: '4111111111111111' }],
  ['a secret key with a non-string value', { apiSecret: { value: 42 } }],
])('a field named like a secret is masked whatever its value: %s', (_case, value) => {
  const [key] = Object.keys(value);

  const masked = maskValue(value);

  expect(masked).toEqual({ [key ?? '']: MASK });
});

test('secrets nested in arrays and objects are masked, everything else is kept', () => {
  const value = { purchaseId: 'p-12345678', seats: [{ seatId: 'A-1', payment: { paymentToken: 'tok_approve', amount: 6000 } }], count: 2, ok: true, none: null };

  const masked = maskValue(value);

  expect(masked).toEqual({ purchaseId: 'p-12345678', seats: [{ seatId: 'A-1', payment: { paymentToken: MASK, amount: 6000 } }], count: 2, ok: true, none: null });
});

test('payment tokens and JWTs inside free text are masked', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJidXllci0xIn0.c2lnbmF0dXJl';

  const masked = maskText(`charge with tok_decline failed for ${jwt} (ref tok_…line)`);

  expect(masked).toBe(`charge with ${MASK} failed for ${MASK} (ref tok_…line)`);
});

test('a JSON document nested in a string is masked as JSON', () => {
  const value = { chargePaymentError: { Error: 'PaymentDeclined', Cause: JSON.stringify({ errorType: 'PaymentDeclined', paymentToken: 'secret-value' }) } };

  const masked = maskValue(value);

  expect(JSON.stringify(masked)).not.toContain('secret-value');
  expect(masked).toEqual({ chargePaymentError: { Error: 'PaymentDeclined', Cause: JSON.stringify({ errorType: 'PaymentDeclined', paymentToken: MASK }) } });
});

test('a nested JSON string without secrets keeps its exact text', () => {
  const cause = '{"errorType": "PaymentDeclined", "errorMessage": "The payment was declined"}';

  expect(maskValue({ Cause: cause })).toEqual({ Cause: cause });
});

test('JSON text is masked and pretty-printed; other text is masked as text', () => {
  expect(maskJsonText('{"purchaseId":"p-12345678","paymentToken":"tok_approve"}')).toBe(`{\n  "purchaseId": "p-12345678",\n  "paymentToken": "${MASK}"\n}`);
  expect(maskJsonText('declined: tok_decline')).toBe(`declined: ${MASK}`);
});
