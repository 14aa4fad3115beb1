import { isTransientError } from '#domain/orders/transient-errors';

const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });

test.each([
  ['ThrottlingException', named('ThrottlingException')],
  ['a 500 of any name', named('SomethingBroke', { $metadata: { httpStatusCode: 500 } })],
  ['a 429', named('SlowDown', { $metadata: { httpStatusCode: 429 } })],
  ['an error the SDK marks retryable', named('Whatever', { $retryable: {} })],
  ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
])('%s is transient', (_, error) => {
  expect(isTransientError(error)).toBe(true);
});

test.each([
  ['AccessDeniedException', named('AccessDeniedException', { $metadata: { httpStatusCode: 400 } })],
  ['StateMachineDoesNotExist', named('StateMachineDoesNotExist', { $metadata: { httpStatusCode: 400 } })],
  ['a plain Error', new Error('boom')],
  ['a string', 'ThrottlingException'],
])('%s is not transient', (_, error) => {
  expect(isTransientError(error)).toBe(false);
});
