import { classifyFailure, redriveAllFailed, redriveExecution, type FailureKind } from '#tools/ops/redrive-executions';
import type { ExecutionStatus } from '#tools/ops/ports';
import { HISTORY_FIXTURES, loadHistory } from './history-fixtures.ts';
import { execution, fakeExecutions } from './support.ts';

test.each<[string | undefined, ExecutionStatus, FailureKind]>([
  ['Sandbox.Timedout', 'FAILED', 'technical'],
  ['Runtime.ExitError', 'FAILED', 'technical'],
  ['Lambda.ServiceException', 'FAILED', 'technical'],
  ['Lambda.Unknown', 'FAILED', 'technical'],
  ['States.Timeout', 'FAILED', 'technical'],
  ['DependencyUnavailable', 'FAILED', 'technical'],
  ['PaymentProviderUnavailable', 'FAILED', 'technical'],
  ['IdempotencyAlreadyInProgressError', 'FAILED', 'technical'],
  ['States.Runtime', 'FAILED', 'deterministic'],
  ['PaymentDeclined', 'FAILED', 'unrecognised'],
  ['SomethingElse', 'FAILED', 'unrecognised'],
  [undefined, 'FAILED', 'unrecognised'],
  [undefined, 'TIMED_OUT', 'technical'],
  [undefined, 'ABORTED', 'technical'],
])('%s (%s) is a %s failure', (error, status, kind) => {
  expect(classifyFailure(error, status)).toBe(kind);
});

const failed = (name: string, error: string) => execution(name, { status: 'FAILED', error });

test('--all-failed redrives every technical failure and skips what it does not recognise, saying why', async () => {
  const executions = fakeExecutions([
    { details: failed('purchase-refund-1', 'DependencyUnavailable') },
    { details: failed('purchase-confirm-1', 'Sandbox.Timedout') },
    { details: failed('purchase-odd-1', 'SomethingElse') },
    { details: execution('purchase-timeout-1', { status: 'TIMED_OUT' }) },
    { details: execution(HISTORY_FIXTURES.paymentDeclined.purchaseId, { output: JSON.stringify({ outcome: 'FAILED', reason: 'PAYMENT_DECLINED' }) }), history: loadHistory('paymentDeclined') },
  ]);

  const outcomes = await redriveAllFailed(executions.port, false, () => undefined);

  expect(executions.redriven.map((r) => r.name)).toEqual(['purchase-refund-1', 'purchase-confirm-1', 'purchase-timeout-1']);
  expect(outcomes.map((o) => o.result)).toEqual(['redriven', 'redriven', 'skipped', 'redriven']);
  expect(outcomes[2]?.decision).toMatchObject({ redrive: false, kind: 'unrecognised', reason: expect.stringMatching(/^unrecognised error SomethingElse/) });
});

test('--all-failed skips an error it does not recognise, which a person can still redrive by id', async () => {
  const details = failed('purchase-odd-1', 'SomethingElse');
  const executions = fakeExecutions([{ details }]);

  const bulk = await redriveAllFailed(executions.port, false, () => undefined);
  const byId = await redriveExecution(executions.port, details, 'by-id', false);

  expect(bulk.map((o) => o.result)).toEqual(['skipped']);
  expect(byId.result).toBe('redriven');
});

test('--dry-run decides but redrives nothing', async () => {
  const executions = fakeExecutions([{ details: failed('purchase-refund-1', 'DependencyUnavailable') }]);

  const outcomes = await redriveAllFailed(executions.port, true, () => undefined);

  expect(outcomes.map((o) => o.result)).toEqual(['would-redrive']);
  expect(executions.redriven).toHaveLength(0);
});

test('a rejected purchase is SUCCEEDED and settled: not redriven even by id', async () => {
  const details = execution('purchase-declined-1', { output: JSON.stringify({ outcome: 'FAILED', reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' }) });
  const executions = fakeExecutions([{ details }]);

  const outcome = await redriveExecution(executions.port, details, 'by-id', false);

  expect(outcome.decision).toMatchObject({ redrive: false, kind: 'not-redrivable', reason: 'it is SUCCEEDED (FAILED PAYMENT_DECLINED): the purchase is settled; only FAILED, TIMED_OUT and ABORTED executions can be redriven' });
  expect(executions.redriven).toHaveLength(0);
});

test('an execution that failed in a compensation after its retries is redriven from that compensation', async () => {
  const details = failed(HISTORY_FIXTURES.refundGaveUp.purchaseId, 'DependencyUnavailable');
  const executions = fakeExecutions([{ details, history: loadHistory('refundGaveUp') }]);

  const outcome = await redriveExecution(executions.port, details, 'all-failed', false);

  expect(outcome).toMatchObject({ result: 'redriven', decision: { error: 'DependencyUnavailable', resumesAt: 'RefundPayment' } });
});

test('a stopped execution is redriven by id but not by --all-failed', async () => {
  const details = execution('purchase-stopped-1', { status: 'ABORTED' });
  const executions = fakeExecutions([{ details }]);

  const bulk = await redriveExecution(executions.port, details, 'all-failed', false);
  const byId = await redriveExecution(executions.port, details, 'by-id', false);

  expect(bulk.decision).toMatchObject({ redrive: false, reason: expect.stringContaining('stopped on purpose') });
  expect(byId.result).toBe('redriven');
});

test('an execution Step Functions reports as not redrivable is skipped with its reason', async () => {
  const details = execution('purchase-old-1', { status: 'FAILED', error: 'DependencyUnavailable', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded.' });

  const outcome = await redriveExecution(fakeExecutions([{ details }]).port, details, 'by-id', false);

  expect(outcome.decision).toMatchObject({ redrive: false, reason: 'Execution redrivable period exceeded.' });
});

test('in a definition that ends a path in a Fail state, an execution that ended there is not redriven: only that state would run again', async () => {
  const events = loadHistory('paymentDeclined').filter((event) => event.id <= 21);
  const history = [
    ...events,
    { id: 22, timestamp: new Date('2026-11-26T12:03:01Z'), type: 'FailStateEntered', stateEnteredEventDetails: { name: 'PurchaseFailed' } },
    { id: 23, timestamp: new Date('2026-11-26T12:03:01Z'), type: 'ExecutionFailed', executionFailedEventDetails: { error: 'States.TaskFailed' } },
  ];
  const details = failed('purchase-fail-state-1', 'States.TaskFailed');
  const executions = fakeExecutions([{ details, history }]);

  const outcome = await redriveExecution(executions.port, details, 'by-id', false);

  expect(outcome.decision).toMatchObject({ redrive: false, kind: 'ended-in-fail-state', reason: expect.stringContaining('Fail state PurchaseFailed') });
  expect(executions.redriven).toHaveLength(0);
});

test('an execution that failed inside a task is redriven from that task', async () => {
  const events = loadHistory('transientRetry');
  const failedAt = events.findIndex((event) => event.type === 'TaskFailed');
  const lastEvent = events[failedAt];
  const history = [
    ...events.slice(0, failedAt + 1),
    { id: (lastEvent?.id ?? 0) + 1, timestamp: new Date('2026-11-26T12:03:01Z'), type: 'ExecutionFailed', executionFailedEventDetails: { error: 'States.Timeout' } },
  ];
  const details = execution('purchase-timeout-1', { status: 'FAILED', error: 'States.Timeout' });
  const executions = fakeExecutions([{ details, history }]);

  const outcome = await redriveExecution(executions.port, details, 'all-failed', false);

  expect(outcome).toMatchObject({ result: 'redriven', decision: { resumesAt: 'ChargePayment' } });
});

test('one redrive the service refuses is counted as an error and the others go on', async () => {
  const executions = fakeExecutions([{ details: failed('purchase-a-0001', 'DependencyUnavailable') }, { details: failed('purchase-b-0001', 'Runtime.ExitError') }]);
  const redrive = executions.port.redrive;
  executions.port.redrive = async (name, token) => {
    if (name === 'purchase-a-0001') throw Object.assign(new Error('cannot'), { name: 'ExecutionNotRedrivable' });
    return redrive(name, token);
  };

  const outcomes = await redriveAllFailed(executions.port, false, () => undefined);

  expect(outcomes.map((o) => o.result)).toEqual(['error', 'redriven']);
});

test('each redrive carries a client token derived from the redrive count', async () => {
  const details = execution('purchase-c-0001', { status: 'FAILED', error: 'Sandbox.Timedout', redriveCount: 2 });
  const executions = fakeExecutions([{ details }]);

  await redriveExecution(executions.port, details, 'by-id', false);

  expect(executions.redriven).toEqual([{ name: 'purchase-c-0001', clientToken: 'ops-redrive-3' }]);
});
