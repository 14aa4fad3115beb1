import { isTransientDependencyError, toStepError } from '#commons/errors';
import { DependencyUnavailableError, PaymentDeclinedError, SagaStateError, SeatsUnavailableError } from '#domain/errors';
import { EventPublishError } from '#events/publisher';

const awsError = (name: string, httpStatusCode: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode }, ...extra });

describe('transient dependency errors', () => {
  test.each([
    ['throttling', awsError('ThrottlingException', 400)],
    ['provisioned throughput exceeded', awsError('ProvisionedThroughputExceededException', 400)],
    ['a 5xx answer', awsError('SomethingBroke', 503)],
    ['an error the SDK marks retryable', awsError('Odd', 400, { $retryable: { throttling: false } })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a socket timeout', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['an unreachable idempotency store', Object.assign(new Error('Failed to save in progress record'), { name: 'IdempotencyPersistenceLayerError' })],
    ['events the bus kept rejecting', new EventPublishError('rejected', [])],
    ['a throttle wrapped as the cause', new Error('outer', { cause: awsError('ThrottlingException', 400) })],
  ])('%s is transient', (_name, error) => {
    expect(isTransientDependencyError(error)).toBe(true);
  });

  test.each([
    ['a failed condition', awsError('ConditionalCheckFailedException', 400)],
    ['a validation error', awsError('ValidationException', 400)],
    ['a business error', new SeatsUnavailableError(['A-1'])],
    ['a plain error', new Error('bug')],
    ['a thrown string', 'oops'],
  ])('%s is not transient', (_name, error) => {
    expect(isTransientDependencyError(error)).toBe(false);
  });
});

describe('the error a step throws', () => {
  test('a transient error becomes DependencyUnavailable, keeping the original as cause', () => {
    const original = awsError('ThrottlingException', 400);

    const stepError = toStepError(original);

    expect(stepError).toBeInstanceOf(DependencyUnavailableError);
    expect(stepError).toMatchObject({ name: 'DependencyUnavailable', cause: original });
  });

  test.each([
    ['SeatsUnavailable', new SeatsUnavailableError(['A-1'])],
    ['PaymentDeclined', new PaymentDeclinedError()],
    ['SagaStateError', new SagaStateError('bad state')],
    ['DependencyUnavailable', new DependencyUnavailableError('already')],
  ])('%s keeps its name', (name, error) => {
    expect(toStepError(error)).toBe(error);
    expect((toStepError(error) as Error).name).toBe(name);
  });
});

describe('where transient stops', () => {
  /** An error wrapping `inner` `levels` times, as SDK and Powertools errors nest their causes. */
  const wrapped = (inner: unknown, levels: number): unknown =>
    Array.from({ length: levels }).reduce<unknown>((cause, _, level) => new Error(`wrapper ${level}`, { cause }), inner);

  test('an answer of exactly 500 is a server error, and 499 is not', () => {
    // Assess
    expect(isTransientDependencyError(awsError('Odd', 500))).toBe(true);
    expect(isTransientDependencyError(awsError('Odd', 499))).toBe(false);
  });

  test('looks through four wrappers for a throttle, and no further', () => {
    // Prepare
    const throttle = awsError('ThrottlingException', 400);

    // Assess
    expect(isTransientDependencyError(wrapped(throttle, 4))).toBe(true);
    expect(isTransientDependencyError(wrapped(throttle, 5))).toBe(false);
  });

  test('stops at a cause that is null or not an object', () => {
    // Assess
    expect(isTransientDependencyError(new Error('outer', { cause: null }))).toBe(false);
    expect(isTransientDependencyError(new Error('outer', { cause: 'ThrottlingException' }))).toBe(false);
  });
});

describe('the DependencyUnavailable message', () => {
  test('names the original error and its message, for the execution history to say what failed', () => {
    // Act
    const stepError = toStepError(awsError('ThrottlingException', 400));

    // Assess
    expect(stepError).toMatchObject({ message: 'A dependency is unavailable (ThrottlingException: ThrottlingException happened)' });
  });

  test('calls a thrown non-error value an Error and shows it as text', () => {
    // Act
    const stepError = toStepError({ code: 'ECONNRESET', toString: () => 'socket reset' });

    // Assess
    expect(stepError).toMatchObject({ name: 'DependencyUnavailable', message: 'A dependency is unavailable (Error: socket reset)' });
  });
});

describe('every name and code the retry policy relies on', () => {
  test.each([
    'ThrottlingException',
    'Throttling',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'ProvisionedThroughputExceededException',
    'LimitExceededException',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'InternalServerError',
    'InternalServerException',
    'InternalFailure',
    'RequestTimeout',
    'RequestTimeoutException',
    'TimeoutError',
    'TransactionInProgressException',
    'IdempotencyPersistenceLayerError',
    'IdempotencyInconsistentStateError',
    'EventPublishError',
  ])('an error named %s is transient, whatever its status', (name) => {
    // Assess
    expect(isTransientDependencyError(awsError(name, 400))).toBe(true);
  });

  test.each(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])(
    'a network error with code %s is transient',
    (code) => {
      // Assess
      expect(isTransientDependencyError(Object.assign(new Error('network'), { code }))).toBe(true);
    },
  );
});
