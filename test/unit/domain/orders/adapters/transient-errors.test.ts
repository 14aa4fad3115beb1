import { isTransientError } from '#domain/orders/adapters/transient-errors';

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

// Every name and code is listed: one dropped from the set would turn a throttled start into a dead-lettered message.
test.each([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'InternalServerException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
])('an error named %s is transient, whatever its status', (name) => {
  // Arrange
  const error = named(name);

  // Act
  const transient = isTransientError(error);

  // Assess
  expect(transient).toBe(true);
});

test.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'])('a network error with code %s is transient', (code) => {
  // Arrange
  const error = Object.assign(new Error('network'), { code });

  // Act
  const transient = isTransientError(error);

  // Assess
  expect(transient).toBe(true);
});

test.each([
  ['a 503', 503, true],
  ['a 499', 499, false],
  ['a 428', 428, false],
])('%s is transient: %s', (_, httpStatusCode, expected) => {
  // Arrange
  const error = named('SomethingElse', { $metadata: { httpStatusCode } });

  // Act
  const transient = isTransientError(error);

  // Assess
  expect(transient).toBe(expected);
});

test.each([
  ['null', null],
  ['undefined', undefined],
  // A forgotten `new`: what is thrown is the class, whose name would otherwise match.
  ['a thrown class', class ThrottlingException extends Error {}],
  ['an error whose retryable mark is null', named('Whatever', { $retryable: null, $metadata: { httpStatusCode: 400 } })],
  ['an error whose code is not a string', named('Whatever', { code: 503 })],
  ['an error whose status is not a number', named('Whatever', { $metadata: { httpStatusCode: '503' } })],
])('%s is not transient', (_, error) => {
  // Act
  const transient = isTransientError(error);

  // Assess
  expect(transient).toBe(false);
});
