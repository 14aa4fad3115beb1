import {
  CHARGE_HOLD_MARGIN_SECONDS,
  COMPENSATION_STEPS,
  ERRORS,
  EXECUTION_TIMEOUT_SECONDS,
  HOLD_DURATION_SECONDS,
  LAMBDA_TRANSIENT_ERRORS,
  purchaseSagaDefinition,
  STATES,
  TASK_FUNCTIONS,
  type TaskStateName,
} from '#workflows/purchase-saga';
import { retrierWaitSeconds, stateWorstCaseSeconds, worstCasePath } from '#workflows/retry-budget';

/**
 * What the definition promises support staff, checked on the definition
 * itself: transient faults are retried by name, retries fit inside the
 * execution and the hold, and only what retries cannot fix fails the execution.
 */
const TASKS = Object.keys(TASK_FUNCTIONS) as TaskStateName[];
const state = (name: TaskStateName) => purchaseSagaDefinition.States[name];
interface RetrierOf {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds: number;
  readonly JitterStrategy: string;
}
const retriersOf = (name: TaskStateName): readonly RetrierOf[] => state(name).Retry;
const catchesOf = (name: TaskStateName): ReadonlyArray<{ ErrorEquals: readonly string[]; Next: string }> =>
  'Catch' in state(name) ? (state(name) as { Catch: ReadonlyArray<{ ErrorEquals: readonly string[]; Next: string }> }).Catch : [];

describe('retries', () => {
  it.each(TASKS)('%s retries every transient Lambda error, a task timeout and a throttled dependency', (name) => {
    // Act
    const retried = retriersOf(name).flatMap((retrier) => retrier.ErrorEquals);

    // Assess
    expect(retried).toEqual(expect.arrayContaining([...LAMBDA_TRANSIENT_ERRORS, 'States.Timeout', ERRORS.dependencyUnavailable]));
  });

  it.each(TASKS)('%s retries only named errors, never States.ALL or a business outcome', (name) => {
    // Act
    const retried = retriersOf(name).flatMap((retrier) => retrier.ErrorEquals);

    // Assess
    expect(retried).not.toContain('States.ALL');
    expect(retried).not.toContain('States.TaskFailed');
    for (const business of [ERRORS.seatsUnavailable, ERRORS.paymentDeclined, ERRORS.insufficientFunds, ERRORS.holdExpired, ERRORS.seatsNoLongerHeld]) {
      expect(retried).not.toContain(business);
    }
  });

  it.each(TASKS)('%s waits out an invocation still in progress for longer than a function runs', (name) => {
    // Prepare: the step's Lambda times out a few seconds before its task does (infra/constructs/workflow.ts).
    const inProgress = retriersOf(name).find((retrier) => retrier.ErrorEquals.includes(ERRORS.idempotencyInProgress));

    // Act
    const wait = inProgress ? retrierWaitSeconds(inProgress) : 0;

    // Assess: without jitter every wait is as long as computed, so the total is certain.
    expect(inProgress?.JitterStrategy).toBe('NONE');
    expect(wait).toBeGreaterThan(purchaseSagaDefinition.States[name].TimeoutSeconds);
  });
});

describe('what fails the execution', () => {
  it.each([...COMPENSATION_STEPS, STATES.confirmPurchase, STATES.recordPurchaseFailure])(
    '%s has no catch-all: when its retries give up the execution fails there, and a redrive resumes it',
    (name) => {
      // Act
      const caught = catchesOf(name).flatMap((c) => c.ErrorEquals);

      // Assess
      expect(caught).not.toContain('States.ALL');
    },
  );

  it('ends every path in a Succeed state: a business rejection is a settled purchase, not a failed execution', () => {
    // Act
    const ends = Object.entries(purchaseSagaDefinition.States).filter(([, s]) => !('Next' in s));

    // Assess
    expect(ends.map(([name, s]) => [name, s.Type])).toEqual([
      [STATES.purchaseConfirmed, 'Succeed'],
      [STATES.purchaseFailed, 'Succeed'],
    ]);
  });

  it.each([
    [STATES.chargePayment, ERRORS.holdExpired, STATES.releaseSeats],
    [STATES.chargePayment, ERRORS.paymentDeclined, STATES.releaseSeats],
    [STATES.chargePayment, 'States.ALL', STATES.refundPayment],
    [STATES.createInvoice, 'States.ALL', STATES.voidInvoice],
    [STATES.confirmPurchase, ERRORS.seatsNoLongerHeld, STATES.voidInvoice],
  ] as const)('%s sends %s to %s', (from, error, to) => {
    // Act
    const target = catchesOf(from).find((c) => c.ErrorEquals.includes(error))?.Next;

    // Assess
    expect(target).toBe(to);
  });
});

describe('time budgets', () => {
  it('the execution timeout outlasts the worst case of the longest path, every retry used', () => {
    // Act
    const worst = worstCasePath(purchaseSagaDefinition);

    // Assess
    expect(worst.states).toContain(STATES.recordPurchaseFailure);
    expect(worst.seconds).toBeLessThan(EXECUTION_TIMEOUT_SECONDS);
  });

  it('a hold outlives the whole execution', () => {
    // Assess
    expect(HOLD_DURATION_SECONDS).toBeGreaterThan(EXECUTION_TIMEOUT_SECONDS);
  });

  it('the charge margin covers the worst case of invoicing and confirming, so a charged hold cannot run out in one run', () => {
    // Act
    const afterCharge = stateWorstCaseSeconds(state(STATES.createInvoice)) + stateWorstCaseSeconds(state(STATES.confirmPurchase));

    // Assess
    expect(CHARGE_HOLD_MARGIN_SECONDS).toBeGreaterThan(afterCharge);
  });
});
