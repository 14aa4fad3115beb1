import type { EnqueueOptions, StartClaim, StartPurchaseExecution } from '#domain/orders/ports';
import {
  DEFER_DELAY_SECONDS,
  RESERVED_TIME_MS,
  START_BACKOFF,
  isFailure,
  startPurchases,
  type StartPurchasesDependencies,
} from '#domain/orders/purchase-starter';
import type { SagaInput } from '#domain/saga-input';

const input = (purchaseId: string): SagaInput => ({
  purchaseId,
  buyerId: 'buyer-1',
  concertId: 'rock-night',
  seatIds: ['A-1'],
  correlationId: 'corr-1',
});
const message = (messageId: string, body: unknown) => ({ messageId, body: typeof body === 'string' ? body : JSON.stringify(body) });

class ThrottlingException extends Error {
  override readonly name = 'ThrottlingException';
}
class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
}
/** Stands in for the adapters' classification of their services' errors. */
const TRANSIENT_ERROR_NAMES = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException']);
const isTransient = (error: unknown) => error instanceof Error && TRANSIENT_ERROR_NAMES.has(error.name);

/** Claims answered by `claimStart`; dead-letter marks are not recorded. */
const claimsWith = (claimStart: () => Promise<StartClaim>) => ({ claimStart, markDeadLettered: async () => undefined });

/** A starter whose clock only moves when it sleeps, with a budget of `budgetMs` for the invocation. */
const setUp = (overrides: Partial<StartPurchasesDependencies> = {}, budgetMs = 30_000) => {
  let elapsedMs = 0;
  const sleeps: number[] = [];
  const claimed: string[] = [];
  const deferred: Array<{ input: SagaInput; options: EnqueueOptions | undefined }> = [];
  const markedDeadLettered: string[] = [];
  const deps: StartPurchasesDependencies = {
    claims: {
      claimStart: async (purchaseId): Promise<StartClaim> => {
        claimed.push(purchaseId);
        return 'claimed';
      },
      markDeadLettered: async (purchaseId) => {
        markedDeadLettered.push(purchaseId);
      },
    },
    maxReceiveCount: 5,
    start: async () => 'started',
    enqueue: async (sagaInput, options) => {
      deferred.push({ input: sagaInput, options });
    },
    isTransient,
    now: () => new Date(Date.parse('2026-11-26T10:00:00.000Z') + elapsedMs),
    remainingTimeMs: () => budgetMs - elapsedMs,
    sleep: async (ms) => {
      sleeps.push(ms);
      elapsedMs += ms;
    },
    random: () => 0.5,
    ...overrides,
  };
  return { deps, sleeps, claimed, deferred, markedDeadLettered };
};

describe('starting', () => {
  test('claims each purchase, then starts one execution per message with the parsed saga input', async () => {
    const started: SagaInput[] = [];
    const { deps, claimed } = setUp({
      start: async (sagaInput) => {
        started.push(sagaInput);
        return 'started';
      },
    });

    const results = await startPurchases(deps, [message('m1', input('purchase-0001')), message('m2', input('purchase-0002'))]);

    expect(claimed).toEqual(['purchase-0001', 'purchase-0002']);
    expect(started).toEqual([input('purchase-0001'), input('purchase-0002')]);
    expect(results.map((r) => r.outcome)).toEqual(['started', 'started']);
  });

  test('counts an execution that already exists as started, not as a failure', async () => {
    const { deps } = setUp({ start: async () => 'alreadyStarted' });

    const results = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    expect(results.filter(isFailure)).toEqual([]);
  });

  test('does not pass on fields outside the saga input', async () => {
    const start = jest.fn<ReturnType<StartPurchaseExecution>, Parameters<StartPurchaseExecution>>().mockResolvedValue('started');
    const { deps } = setUp({ start });

    await startPurchases(deps, [message('m1', { ...input('purchase-0001'), paymentToken: 'tok_approve' })]);

    expect(start).toHaveBeenCalledWith(input('purchase-0001'));
  });
});

describe('claims', () => {
  test.each<[StartClaim, string]>([
    ['refused', 'refused'],
    ['progressed', 'progressed'],
  ])('a %s claim starts nothing and acknowledges the message', async (claim, outcome) => {
    const start = jest.fn<ReturnType<StartPurchaseExecution>, Parameters<StartPurchaseExecution>>();
    const { deps } = setUp({ claims: claimsWith(async () => claim), start });

    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    expect(result?.outcome).toBe(outcome);
    expect(isFailure(result!)).toBe(false);
    expect(start).not.toHaveBeenCalled();
  });

  test('a purchase with no record starts nothing and fails the message, for a person to look at in the DLQ', async () => {
    const start = jest.fn<ReturnType<StartPurchaseExecution>, Parameters<StartPurchaseExecution>>();
    const { deps } = setUp({ claims: claimsWith(async () => 'missing'), start });

    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    expect(result).toMatchObject({ outcome: 'failed', error: expect.objectContaining({ name: 'PurchaseNotRecordedError' }) });
    expect(start).not.toHaveBeenCalled();
  });
});

describe('throttling', () => {
  test('retries a throttled start inside the invocation with growing, jittered pauses until it goes through', async () => {
    let calls = 0;
    const { deps, sleeps } = setUp({
      start: async () => {
        calls += 1;
        if (calls <= 3) throw new ThrottlingException('Rate exceeded');
        return 'started';
      },
    });

    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    expect(result).toMatchObject({ outcome: 'started', attempts: 4 });
    // random() = 0.5: half of base * 2^retry.
    expect(sleeps).toEqual([0.5 * START_BACKOFF.baseMs, 0.5 * START_BACKOFF.baseMs * 2, 0.5 * START_BACKOFF.baseMs * 4]);
  });

  test('never pauses longer than the backoff cap', async () => {
    let calls = 0;
    const { deps, sleeps } = setUp({
      start: async () => {
        calls += 1;
        if (calls <= 10) throw new ThrottlingException('Rate exceeded');
        return 'started';
      },
      random: () => 0.999,
    });

    await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    expect(Math.max(...sleeps)).toBeLessThan(START_BACKOFF.capMs);
  });

  test('claims again before every attempt, which keeps the purchase fresh for the sweeper', async () => {
    let calls = 0;
    const { deps, claimed } = setUp({
      start: async () => {
        calls += 1;
        if (calls === 1) throw new ThrottlingException('Rate exceeded');
        return 'started';
      },
    });

    await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    expect(claimed).toEqual(['purchase-0001', 'purchase-0001']);
  });

  test('when the budget is spent, sends the message again with a delay and acknowledges it, so it is never dead-lettered for throttling', async () => {
    const { deps, deferred, sleeps } = setUp({ start: () => Promise.reject(new ThrottlingException('Rate exceeded')) }, 5_000);

    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    expect(result).toMatchObject({ outcome: 'deferred', delaySeconds: expect.any(Number) });
    expect(isFailure(result!)).toBe(false);
    expect(deferred).toEqual([{ input: input('purchase-0001'), options: { delaySeconds: expect.any(Number) } }]);
    const delay = deferred[0]?.options?.delaySeconds ?? 0;
    expect(delay).toBeGreaterThanOrEqual(DEFER_DELAY_SECONDS.min);
    expect(delay).toBeLessThanOrEqual(DEFER_DELAY_SECONDS.max);
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(5_000 - RESERVED_TIME_MS);
  });

  test('fails the message when the deferral cannot be sent, so SQS brings it back', async () => {
    const { deps } = setUp(
      {
        start: () => Promise.reject(new ThrottlingException('Rate exceeded')),
        enqueue: () => Promise.reject(new Error('SQS unavailable')),
      },
      RESERVED_TIME_MS,
    );

    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    expect(result).toMatchObject({ outcome: 'failed', error: expect.objectContaining({ message: 'SQS unavailable' }) });
  });

  test('treats a throttled claim like a throttled start', async () => {
    let calls = 0;
    const { deps } = setUp({
      claims: claimsWith(async () => {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error('throughput'), { name: 'ProvisionedThroughputExceededException' });
        return 'claimed';
      }),
    });

    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    expect(result).toMatchObject({ outcome: 'started', attempts: 2 });
  });
});

describe('failures retries cannot fix', () => {
  test('fails the message at once, without retrying', async () => {
    const start = jest.fn<ReturnType<StartPurchaseExecution>, Parameters<StartPurchaseExecution>>().mockRejectedValue(new AccessDeniedException('no'));
    const { deps, deferred } = setUp({ start });

    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    expect(result?.outcome).toBe('failed');
    expect(start).toHaveBeenCalledTimes(1);
    expect(deferred).toEqual([]);
  });

  test('marks the purchase when its message fails on the last receive, so the sweeper fails it at once', async () => {
    const { deps, markedDeadLettered } = setUp({ start: () => Promise.reject(new AccessDeniedException('no')) });

    const results = await startPurchases(deps, [
      { ...message('m1', input('purchase-0001')), receiveCount: 4 },
      { ...message('m2', input('purchase-0002')), receiveCount: 5 },
    ]);

    expect(results.map((result) => result.outcome)).toEqual(['failed', 'failed']);
    expect(results[1]).toMatchObject({ deadLettered: true });
    expect(markedDeadLettered).toEqual(['purchase-0002']);
  });

  test('reports a body that is not JSON as a failure without claiming or starting', async () => {
    const start = jest.fn<ReturnType<StartPurchaseExecution>, Parameters<StartPurchaseExecution>>();
    const { deps, claimed } = setUp({ start });

    const [result] = await startPurchases(deps, [message('m1', '{not json')]);

    expect(result).toMatchObject({ messageId: 'm1', outcome: 'invalid', issues: expect.stringContaining('body is not JSON') });
    expect([claimed, start.mock.calls]).toEqual([[], []]);
  });

  test('reports a body that is not a saga input as a failure', async () => {
    const { deps } = setUp();

    const [result] = await startPurchases(deps, [message('m1', { purchaseId: 'purchase-0001' })]);

    expect(result?.outcome).toBe('invalid');
  });

  test('isolates a failed start: the other messages of the batch still start', async () => {
    const { deps } = setUp({
      start: async ({ purchaseId }) => {
        if (purchaseId === 'purchase-0002') throw new AccessDeniedException('no');
        return 'started';
      },
    });

    const results = await startPurchases(deps, [
      message('m1', input('purchase-0001')),
      message('m2', input('purchase-0002')),
      message('m3', input('purchase-0003')),
    ]);

    expect(results.map((r) => [r.messageId, r.outcome])).toEqual([
      ['m1', 'started'],
      ['m2', 'failed'],
      ['m3', 'started'],
    ]);
  });
});

describe('what a result says', () => {
  test.each<[StartClaim]>([['refused'], ['progressed']])('a %s claim reports the purchase and nothing about attempts', async (claim) => {
    // Arrange
    const { deps } = setUp({ claims: claimsWith(async () => claim) });

    // Act
    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    // Assess
    expect(result).toEqual({ messageId: 'm1', outcome: claim, purchaseId: 'purchase-0001' });
  });

  test('a missing purchase is named in the error, for whoever reads the DLQ', async () => {
    // Arrange
    const { deps } = setUp({ claims: claimsWith(async () => 'missing') });

    // Act
    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    // Assess
    expect(result).toMatchObject({ error: expect.objectContaining({ message: 'No purchase purchase-0001 is recorded' }) });
  });

  test.each([
    ['invalid', true],
    ['failed', true],
    ['started', false],
    ['alreadyStarted', false],
    ['refused', false],
    ['progressed', false],
    ['deferred', false],
  ] as const)('an %s outcome returns to the queue: %s', (outcome, expected) => {
    // Arrange: only a failure makes SQS deliver the message again (then dead-letter it).
    const result = { messageId: 'm1', outcome, purchaseId: 'purchase-0001', issues: '', attempts: 1, delaySeconds: 5, error: undefined } as never;

    // Act
    const failure = isFailure(result);

    // Assess
    expect(failure).toBe(expected);
  });
});

describe('deferral delay', () => {
  // The budget is spent before the first pause, so the message is deferred at once.
  test.each([
    [0, DEFER_DELAY_SECONDS.min],
    [0.999, DEFER_DELAY_SECONDS.max],
  ])('with random() = %s, defers by %s seconds: the jitter covers the whole range', async (random, delaySeconds) => {
    // Arrange
    const { deps, deferred } = setUp({ start: () => Promise.reject(new ThrottlingException('Rate exceeded')), random: () => random }, RESERVED_TIME_MS);

    // Act
    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    // Assess
    expect(result).toMatchObject({ outcome: 'deferred', delaySeconds });
    expect(deferred.map(({ options }) => options)).toEqual([{ delaySeconds }]);
  });

  test('defers rather than pause into the time kept back for sending the deferral', async () => {
    // Arrange: random() = 0.5 makes the first pause half the base; the budget leaves exactly the reserve after it.
    const firstPause = 0.5 * START_BACKOFF.baseMs;
    const { deps, sleeps, deferred } = setUp({ start: () => Promise.reject(new ThrottlingException('Rate exceeded')) }, RESERVED_TIME_MS + firstPause);

    // Act
    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    // Assess
    expect(result?.outcome).toBe('deferred');
    expect(sleeps).toEqual([]);
    expect(deferred).toHaveLength(1);
  });
});

describe('dead-letter marks', () => {
  test('does not mark a purchase that has no record: there is nothing for the sweeper to fail', async () => {
    // Arrange
    const markDeadLettered = jest.fn(async () => undefined);
    const { deps } = setUp({ claims: { claimStart: async () => 'missing', markDeadLettered } });

    // Act
    const [result] = await startPurchases(deps, [{ ...message('m1', input('purchase-0001')), receiveCount: 5 }]);

    // Assess
    expect(result).not.toHaveProperty('deadLettered');
    expect(markDeadLettered).not.toHaveBeenCalled();
  });

  test('marks a failed message without a receive count when the queue dead-letters on the first receive', async () => {
    // Arrange
    const { deps, markedDeadLettered } = setUp({ start: () => Promise.reject(new AccessDeniedException('no')), maxReceiveCount: 1 });

    // Act
    const [result] = await startPurchases(deps, [message('m1', input('purchase-0001'))]);

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', deadLettered: true });
    expect(markedDeadLettered).toEqual(['purchase-0001']);
  });

  test('still reports the failure when the mark cannot be written: the sweeper fails the purchase later', async () => {
    // Arrange
    const { deps } = setUp({
      start: () => Promise.reject(new AccessDeniedException('no')),
      claims: { claimStart: async () => 'claimed', markDeadLettered: () => Promise.reject(new Error('DynamoDB unavailable')) },
    });

    // Act
    const [result] = await startPurchases(deps, [{ ...message('m1', input('purchase-0001')), receiveCount: 5 }]);

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', error: expect.objectContaining({ name: 'AccessDeniedException' }) });
    expect(result).not.toHaveProperty('deadLettered');
  });
});
