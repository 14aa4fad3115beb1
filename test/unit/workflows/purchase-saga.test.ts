import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import {
  DependencyUnavailableError,
  HoldExpiredError,
  InsufficientFundsError,
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
  SeatsNoLongerHeldError,
  SeatsUnavailableError,
} from '#domain/errors';
import {
  CHARGE_HOLD_MARGIN_SECONDS,
  COMPENSATION_STEPS,
  ERRORS,
  EXECUTION_TIMEOUT_SECONDS,
  FORWARD_STEPS,
  HOLD_DURATION_SECONDS,
  LAMBDA_TRANSIENT_ERRORS,
  OUTCOMES,
  purchaseSagaDefinition,
  STATES,
  TASK_FUNCTIONS,
  TASK_TIMEOUT_SECONDS,
  TRANSIENT_ERRORS,
  type TaskStateName,
} from '#workflows/purchase-saga';
import { sagaInputSchema } from '#domain/saga-input';
import { retrierWaitSeconds, stateWorstCaseSeconds, worstCasePath } from '#workflows/retry-budget';
import { EXPECTED_CATCH, EXPECTED_RETRY } from '#test/support/saga-policy';

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

/** A state of the definition, read loosely: the definition is `as const`, so each state has its own literal type. */
interface LooseState {
  readonly Type: string;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly Parameters?: { readonly FunctionName?: string; readonly Payload?: Readonly<Record<string, unknown>> };
  readonly ResultSelector?: Readonly<Record<string, unknown>>;
  readonly ResultPath?: string;
  readonly OutputPath?: string;
  readonly Retry?: readonly RetrierOf[];
  readonly Catch?: ReadonlyArray<{ readonly ErrorEquals: readonly string[]; readonly ResultPath: string; readonly Next: string }>;
  readonly Next?: string;
}
const STATE_MAP = purchaseSagaDefinition.States as unknown as Readonly<Record<string, LooseState>>;
const looseState = (name: string): LooseState => {
  const found = STATE_MAP[name];
  if (!found) throw new Error(`no state named ${name}`);
  return found;
};
/** `$.reserveSeats` -> `reserveSeats`: where a state keeps its result in the saga's state. */
const resultKeyOf = (name: string) => looseState(name).ResultPath?.replace(/^\$\./, '');
const STATES_WITH_CATCH = TASKS.filter((name) => (looseState(name).Catch ?? []).length > 0);
/** What the starter puts in every execution's input (domain/saga-input.ts). */
const SAGA_INPUT_FIELDS = Object.keys(sagaInputSchema.shape);

describe('errors a step catches', () => {
  it.each(STATES_WITH_CATCH)('%s keeps what it caught at $.<its result>Error, for the failure record to name the step', (name) => {
    // Act
    const resultPaths = (looseState(name).Catch ?? []).map((c) => c.ResultPath);

    // Assess
    expect(resultKeyOf(name)).toBeTruthy();
    expect(new Set(resultPaths)).toEqual(new Set([`$.${resultKeyOf(name)}Error`]));
  });

  it.each([STATES.reserveSeats, STATES.chargePayment, STATES.createInvoice])(
    '%s catches everything else last, so an unknown outcome is compensated rather than left behind',
    (name) => {
      // Act
      const catches = catchesOf(name);

      // Assess
      expect(catches.at(-1)?.ErrorEquals).toEqual(['States.ALL']);
      expect(catches.slice(0, -1).flatMap((c) => c.ErrorEquals)).not.toContain('States.ALL');
    },
  );

  it.each([
    [STATES.reserveSeats, ERRORS.seatsUnavailable, STATES.recordPurchaseFailure],
    [STATES.reserveSeats, 'States.ALL', STATES.releaseSeats],
    [STATES.chargePayment, ERRORS.insufficientFunds, STATES.releaseSeats],
  ] as const)('%s sends %s to %s', (from, error, to) => {
    // Act
    const target = catchesOf(from).find((c) => c.ErrorEquals.includes(error))?.Next;

    // Assess
    expect(target).toBe(to);
  });

  it('sends every business outcome a step throws to a compensation, never to a retry', () => {
    // Act
    const caught = new Set(TASKS.flatMap((name) => catchesOf(name).flatMap((c) => c.ErrorEquals)));

    // Assess
    for (const business of [ERRORS.seatsUnavailable, ERRORS.paymentDeclined, ERRORS.insufficientFunds, ERRORS.holdExpired, ERRORS.seatsNoLongerHeld]) {
      expect(caught).toContain(business);
    }
  });
});

describe('what is retried', () => {
  /** Everything a step may throw that another attempt can fix. */
  const RETRYABLE = new Set<string>([...TRANSIENT_ERRORS, ERRORS.idempotencyInProgress, ERRORS.paymentProviderUnavailable]);

  it.each(TASKS)('%s retries nothing but errors another attempt can fix', (name) => {
    // Act
    const retried = retriersOf(name).flatMap((retrier) => retrier.ErrorEquals);

    // Assess
    expect(retried.filter((error) => !RETRYABLE.has(error))).toEqual([]);
  });

  it.each(TASKS)('%s retries the Lambda faults of the fault model and the errors AWS recommends retrying for a Lambda task', (name) => {
    // Prepare: DESIGN.md's fault model and the Step Functions guide's "handle transient Lambda service exceptions".
    const lambdaFaults = [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'Sandbox.Timedout',
      'Runtime.ExitError',
    ];

    // Act
    const retried = retriersOf(name).flatMap((retrier) => retrier.ErrorEquals);

    // Assess
    expect(retried).toEqual(expect.arrayContaining([...lambdaFaults, 'States.Timeout']));
  });

  it.each([STATES.chargePayment, STATES.refundPayment])('%s retries a payment provider that is unavailable for a while', (name) => {
    // Act
    const retried = retriersOf(name).flatMap((retrier) => retrier.ErrorEquals);

    // Assess
    expect(retried).toContain(ERRORS.paymentProviderUnavailable);
  });

  it.each(TASKS)('%s spreads its retries of transient faults with full jitter, so collided purchases do not retry in lockstep', (name) => {
    // Act
    const transient = retriersOf(name).find((retrier) => retrier.ErrorEquals.includes(ERRORS.dependencyUnavailable));

    // Assess
    expect(transient?.JitterStrategy).toBe('FULL');
  });

  it.each([...COMPENSATION_STEPS, STATES.confirmPurchase, STATES.recordPurchaseFailure])(
    '%s, which settles a purchase, retries transient faults for longer than a forward step before the payment',
    (name) => {
      // Prepare
      const transientWait = (step: TaskStateName) =>
        retriersOf(step).filter((retrier) => retrier.ErrorEquals.includes(ERRORS.dependencyUnavailable)).reduce((sum, retrier) => sum + retrierWaitSeconds(retrier), 0);

      // Act
      const settling = transientWait(name);

      // Assess
      expect(settling).toBeGreaterThan(transientWait(STATES.reserveSeats));
    },
  );
});

describe('what each step reads and returns', () => {
  it.each(TASKS)('%s invokes its own function, through a definition substitution, with a task timeout', (name) => {
    // Act
    const task = looseState(name);

    // Assess
    expect(task.Type).toBe('Task');
    expect(task.Resource).toBe('arn:${Partition}:states:::lambda:invoke');
    expect(task.Parameters?.FunctionName).toBe(`\${${TASK_FUNCTIONS[name]}}`);
    expect(task.TimeoutSeconds).toBe(TASK_TIMEOUT_SECONDS);
  });

  it.each(TASKS.filter((name) => name !== STATES.recordPurchaseFailure))("%s gets the saga's purchaseId, concertId and correlationId from the execution input", (name) => {
    // Act
    const payload = looseState(name).Parameters?.Payload ?? {};

    // Assess
    expect(payload).toMatchObject({ 'purchaseId.$': '$.purchaseId', 'concertId.$': '$.concertId', 'correlationId.$': '$.correlationId' });
  });

  it('RecordPurchaseFailure gets the whole state, to name the failed step from its error', () => {
    // Assess
    expect(looseState(STATES.recordPurchaseFailure).Parameters?.Payload).toEqual({ 'saga.$': '$' });
  });

  it.each(TASKS)("%s keeps each field of its function's answer under that field's name", (name) => {
    // Act
    const selected = Object.entries(looseState(name).ResultSelector ?? {}).filter(([key]) => key.endsWith('.$'));

    // Assess
    expect(selected.length).toBeGreaterThan(0);
    for (const [key, path] of selected) expect(path).toBe(`$.Payload.${key.slice(0, -'.$'.length)}`);
  });

  it.each(TASKS)('%s keeps its result at $.<its name, camelCase>, where later steps look for it', (name) => {
    // Assess
    expect(looseState(name).ResultPath).toBe(`$.${name.charAt(0).toLowerCase()}${name.slice(1)}`);
  });

  it.each(TASKS)('%s reads no optional field of the input by path: a path to a field a purchase lacks fails the state', (name) => {
    // Prepare: a purchase names seatIds or asks for bestAvailable, never both
    const optional = Object.entries(sagaInputSchema.shape)
      .filter(([, schema]) => schema.safeParse(undefined).success)
      .map(([field]) => `$.${field}`);

    // Act
    const read = Object.values(looseState(name).Parameters?.Payload ?? {}).map(String);

    // Assess
    expect(optional).toEqual(['$.seatIds', '$.bestAvailable']);
    expect(read.filter((path) => optional.includes(path))).toEqual([]);
  });

  it.each(TASKS)('%s reads only fields of the execution input or results of earlier steps', (name) => {
    // Prepare: what the state may read is the input, plus what each state before it on some path selected
    const available = new Set(SAGA_INPUT_FIELDS.map((field) => `$.${field}`));
    for (const earlier of TASKS) {
      const key = resultKeyOf(earlier);
      for (const selectorKey of Object.keys(looseState(earlier).ResultSelector ?? {})) available.add(`$.${key}.${selectorKey.replace(/\.\$$/, '')}`);
    }

    // Act
    const read = Object.entries(looseState(name).Parameters?.Payload ?? {})
      .filter(([key]) => key.endsWith('.$'))
      .map(([, path]) => String(path))
      .filter((path) => path !== '$');

    // Assess
    expect(read.filter((path) => !available.has(path))).toEqual([]);
  });

  it.each([
    [STATES.purchaseConfirmed, '$.confirmPurchase', OUTCOMES.confirmed],
    [STATES.purchaseFailed, '$.recordPurchaseFailure', OUTCOMES.failed],
  ] as const)('%s ends the execution with the result of %s, whose outcome is %s', (name, outputPath, outcome) => {
    // Prepare
    const producer = outputPath.slice(2) as TaskStateName;
    const producingState = Object.keys(TASK_FUNCTIONS).find((task) => resultKeyOf(task) === producer);

    // Assess
    expect(looseState(name)).toMatchObject({ Type: 'Succeed', OutputPath: outputPath });
    expect(looseState(producingState ?? '').ResultSelector).toMatchObject({ outcome });
  });
});

describe('the order of the steps', () => {
  it('runs the forward steps in order and then confirms', () => {
    // Act
    const order = [purchaseSagaDefinition.StartAt as string];
    while (looseState(order.at(-1) ?? '').Next) order.push(looseState(order.at(-1) ?? '').Next ?? '');

    // Assess
    expect(order).toEqual([...FORWARD_STEPS, STATES.purchaseConfirmed]);
  });

  it('runs the compensations in reverse order of the steps they undo, then records the failure', () => {
    // Act
    const order = [COMPENSATION_STEPS[0] as string];
    while (looseState(order.at(-1) ?? '').Next) order.push(looseState(order.at(-1) ?? '').Next ?? '');

    // Assess
    expect(order).toEqual([...COMPENSATION_STEPS, STATES.recordPurchaseFailure, STATES.purchaseFailed]);
  });

  it('bounds the whole execution by its timeout', () => {
    // Assess
    expect(purchaseSagaDefinition.TimeoutSeconds).toBe(EXECUTION_TIMEOUT_SECONDS);
  });
});

/**
 * The definition pinned by name against literal values, so that a changed
 * number, error name or target is a failing test here and a deliberate edit
 * of this table, not something only a deployed run would reveal. The values
 * are written out rather than read from the module's own constants: comparing
 * the definition with itself would pass whatever it said.
 */
describe('the definition, pinned by name', () => {
  const context = { 'purchaseId.$': '$.purchaseId', 'concertId.$': '$.concertId', 'correlationId.$': '$.correlationId' };

  it('names every state the runbooks, alarms and the failure record refer to', () => {
    // Assess
    expect(Object.keys(purchaseSagaDefinition.States)).toEqual([
      'ReserveSeats',
      'ChargePayment',
      'CreateInvoice',
      'ConfirmPurchase',
      'PurchaseConfirmed',
      'VoidInvoice',
      'RefundPayment',
      'ReleaseSeats',
      'RecordPurchaseFailure',
      'PurchaseFailed',
    ]);
    expect(purchaseSagaDefinition.StartAt).toBe('ReserveSeats');
  });

  it('gives the execution three hours and a hold a quarter of an hour more; a charge needs 45 minutes of hold left', () => {
    // Assess
    expect(purchaseSagaDefinition.TimeoutSeconds).toBe(10_800);
    expect(HOLD_DURATION_SECONDS).toBe(11_700);
    expect(CHARGE_HOLD_MARGIN_SECONDS).toBe(2_700);
    expect(TASK_TIMEOUT_SECONDS).toBe(30);
  });

  it.each(Object.entries(EXPECTED_RETRY))('%s retries exactly these errors, this often, this far apart', (name, retry) => {
    // Assess
    expect(looseState(name).Retry).toEqual(retry);
  });

  it.each(Object.entries(EXPECTED_CATCH))('%s catches exactly these errors, in this order, and compensates from there', (name, catches) => {
    // Assess
    expect(looseState(name).Catch).toEqual(catches);
  });

  it.each([
    ['ReserveSeats', 'ChargePayment'],
    ['ChargePayment', 'CreateInvoice'],
    ['CreateInvoice', 'ConfirmPurchase'],
    ['ConfirmPurchase', 'PurchaseConfirmed'],
    ['VoidInvoice', 'RefundPayment'],
    ['RefundPayment', 'ReleaseSeats'],
    ['ReleaseSeats', 'RecordPurchaseFailure'],
    ['RecordPurchaseFailure', 'PurchaseFailed'],
  ])('%s goes on to %s', (name, next) => {
    // Assess
    expect(looseState(name).Next).toBe(next);
  });

  it.each([
    ['ReserveSeats', 'ReserveSeatsFunctionArn', { ...context, 'saga.$': '$' }],
    ['ChargePayment', 'ChargePaymentFunctionArn', { ...context, 'amount.$': '$.reserveSeats.total', 'holdExpiresAt.$': '$.reserveSeats.holdExpiresAt' }],
    ['CreateInvoice', 'CreateInvoiceFunctionArn', { ...context, 'buyerId.$': '$.buyerId', 'seats.$': '$.reserveSeats.seats', 'total.$': '$.reserveSeats.total' }],
    ['ConfirmPurchase', 'ConfirmPurchaseFunctionArn', { ...context, 'seatIds.$': '$.reserveSeats.seatIds', 'invoiceId.$': '$.createInvoice.invoiceId', 'total.$': '$.createInvoice.total' }],
    ['VoidInvoice', 'VoidInvoiceFunctionArn', context],
    ['RefundPayment', 'RefundPaymentFunctionArn', context],
    ['ReleaseSeats', 'ReleaseSeatsFunctionArn', { ...context, 'saga.$': '$' }],
    ['RecordPurchaseFailure', 'RecordPurchaseFailureFunctionArn', { 'saga.$': '$' }],
  ])('%s invokes ${%s} with exactly this payload', (name, substitution, payload) => {
    // Assess
    expect(looseState(name)).toMatchObject({ Type: 'Task', Resource: 'arn:${Partition}:states:::lambda:invoke', TimeoutSeconds: 30 });
    expect(looseState(name).Parameters).toEqual({ FunctionName: `\${${substitution}}`, Payload: payload });
  });

  it.each([
    ['ReserveSeats', '$.reserveSeats', { 'seats.$': '$.Payload.seats', 'seatIds.$': '$.Payload.seatIds', 'total.$': '$.Payload.total', 'holdExpiresAt.$': '$.Payload.holdExpiresAt' }],
    ['ChargePayment', '$.chargePayment', { 'chargeId.$': '$.Payload.chargeId', 'amount.$': '$.Payload.amount' }],
    ['CreateInvoice', '$.createInvoice', { 'invoiceId.$': '$.Payload.invoiceId', 'total.$': '$.Payload.total' }],
    ['ConfirmPurchase', '$.confirmPurchase', { outcome: 'CONFIRMED', 'invoiceId.$': '$.Payload.invoiceId', 'seats.$': '$.Payload.seats' }],
    ['VoidInvoice', '$.voidInvoice', { 'voided.$': '$.Payload.voided' }],
    ['RefundPayment', '$.refundPayment', { 'refunded.$': '$.Payload.refunded' }],
    ['ReleaseSeats', '$.releaseSeats', { 'seats.$': '$.Payload.seats' }],
    ['RecordPurchaseFailure', '$.recordPurchaseFailure', { outcome: 'FAILED', 'reason.$': '$.Payload.reason', 'failedStep.$': '$.Payload.failedStep' }],
  ])('%s keeps exactly these fields of its answer at %s', (name, resultPath, selector) => {
    // Assess
    expect(looseState(name).ResultSelector).toEqual(selector);
    expect(looseState(name).ResultPath).toBe(resultPath);
  });

  it.each([
    ['PurchaseConfirmed', '$.confirmPurchase'],
    ['PurchaseFailed', '$.recordPurchaseFailure'],
  ])('%s succeeds with %s as the execution output', (name, outputPath) => {
    // Assess
    expect(looseState(name)).toMatchObject({ Type: 'Succeed', OutputPath: outputPath });
    expect(looseState(name).Next).toBeUndefined();
  });

  it('lists the forward steps and the compensations in the order they run', () => {
    // Assess
    expect(FORWARD_STEPS).toEqual(['ReserveSeats', 'ChargePayment', 'CreateInvoice', 'ConfirmPurchase']);
    expect(COMPENSATION_STEPS).toEqual(['VoidInvoice', 'RefundPayment', 'ReleaseSeats']);
    expect(OUTCOMES).toEqual({ confirmed: 'CONFIRMED', failed: 'FAILED' });
  });
});

describe('the error names the definition matches', () => {
  it.each([
    ['SeatsUnavailable', () => new SeatsUnavailableError(['A-1'])],
    ['HoldExpired', () => new HoldExpiredError()],
    ['SeatsNoLongerHeld', () => new SeatsNoLongerHeldError(['A-1'])],
    ['PaymentDeclined', () => new PaymentDeclinedError()],
    ['InsufficientFunds', () => new InsufficientFundsError()],
    ['PaymentProviderUnavailable', () => new PaymentProviderUnavailableError()],
    ['DependencyUnavailable', () => new DependencyUnavailableError('throttled')],
    ['IdempotencyAlreadyInProgressError', () => new IdempotencyAlreadyInProgressError('in progress')],
  ])('%s is the name of the error a step throws for it', (expected, makeError) => {
    // Act
    const thrown = makeError();

    // Assess: the literal is what the state machine sees in the task's error
    expect(thrown.name).toBe(expected);
    expect(Object.values(ERRORS)).toContain(thrown.name);
  });
});
