import { classifyFailure, redriveAllFailed, redriveExecution, type FailureKind } from '#tools/ops/redrive-executions';
import type { ExecutionStatus } from '#tools/ops/ports';
import { HISTORY_FIXTURES, loadHistory } from './history-fixtures.ts';
import { execution, fakeExecutions } from './support.ts';

test.each<[string | undefined, ExecutionStatus, FailureKind]>([
  ['PurchaseFailed', 'FAILED', 'business'],
  ['CompensationFailed', 'FAILED', 'technical'],
  ['ConfirmationFailed', 'FAILED', 'technical'],
  ['States.Timeout', 'FAILED', 'technical'],
  ['DependencyUnavailable', 'FAILED', 'technical'],
  ['Lambda.ServiceException', 'FAILED', 'technical'],
  ['States.Runtime', 'FAILED', 'deterministic'],
  ['SomethingElse', 'FAILED', 'unrecognised'],
  [undefined, 'TIMED_OUT', 'technical'],
])('%s (%s) is a %s failure', (error, status, kind) => {
  expect(classifyFailure(error, status)).toBe(kind);
});

const failed = (name: string, error: string) => execution(name, { status: 'FAILED', error });

test('--all-failed redrives technical failures and skips business failures, saying why', async () => {
  const executions = fakeExecutions([
    { details: failed('purchase-compensation-1', 'CompensationFailed') },
    { details: failed(HISTORY_FIXTURES.paymentDeclined.purchaseId, 'PurchaseFailed'), history: loadHistory('paymentDeclined') },
    { details: execution('purchase-confirmed-1') },
  ]);

  const outcomes = await redriveAllFailed(executions.port, false, () => undefined);

  expect(executions.redriven.map((r) => r.name)).toEqual(['purchase-compensation-1']);
  expect(outcomes.map((o) => o.result)).toEqual(['redriven', 'skipped']);
  expect(outcomes[1]?.decision).toMatchObject({ redrive: false, kind: 'business', reason: expect.stringMatching(/^business failure \(PurchaseFailed\)/) });
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
  const executions = fakeExecutions([{ details: failed('purchase-compensation-1', 'CompensationFailed') }]);

  const outcomes = await redriveAllFailed(executions.port, true, () => undefined);

  expect(outcomes.map((o) => o.result)).toEqual(['would-redrive']);
  expect(executions.redriven).toHaveLength(0);
});

test('a business failure is not redriven even by id', async () => {
  const executions = fakeExecutions([{ details: failed('purchase-declined-1', 'PurchaseFailed') }]);

  const outcome = await redriveExecution(executions.port, failed('purchase-declined-1', 'PurchaseFailed'), 'by-id', false);

  expect(outcome.result).toBe('skipped');
  expect(executions.redriven).toHaveLength(0);
});

test('an execution Step Functions reports as not redrivable is skipped with its reason', async () => {
  const details = execution('purchase-old-1', { status: 'FAILED', error: 'CompensationFailed', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded.' });

  const outcome = await redriveExecution(fakeExecutions([{ details }]).port, details, 'by-id', false);

  expect(outcome.decision).toMatchObject({ redrive: false, reason: 'Execution redrivable period exceeded.' });
});

test('an execution that ended in a Fail state is not redriven: only that Fail state would run again', async () => {
  const details = failed(HISTORY_FIXTURES.paymentDeclined.purchaseId, 'CompensationFailed');
  const executions = fakeExecutions([{ details, history: loadHistory('paymentDeclined') }]);

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
  const executions = fakeExecutions([{ details: failed('purchase-a-0001', 'CompensationFailed') }, { details: failed('purchase-b-0001', 'CompensationFailed') }]);
  const redrive = executions.port.redrive;
  executions.port.redrive = async (name, token) => {
    if (name === 'purchase-a-0001') throw Object.assign(new Error('cannot'), { name: 'ExecutionNotRedrivable' });
    return redrive(name, token);
  };

  const outcomes = await redriveAllFailed(executions.port, false, () => undefined);

  expect(outcomes.map((o) => o.result)).toEqual(['error', 'redriven']);
});

test('each redrive carries a client token derived from the redrive count', async () => {
  const details = execution('purchase-c-0001', { status: 'FAILED', error: 'ConfirmationFailed', redriveCount: 2 });
  const executions = fakeExecutions([{ details }]);

  await redriveExecution(executions.port, details, 'by-id', false);

  expect(executions.redriven).toEqual([{ name: 'purchase-c-0001', clientToken: 'ops-redrive-3' }]);
});
