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
