import { listExecutions } from '#tools/ops/list-executions';
import { renderExecutions } from '#tools/ops/render-executions';
import { HISTORY_FIXTURES, loadHistory } from './history-fixtures.ts';
import { execution, fakeExecutions } from './support.ts';

const NOW = new Date('2026-11-26T13:00:00.000Z');

const outputOf = (fixture: 'happyPath' | 'paymentDeclined') => loadHistory(fixture).at(-1)?.executionSucceededEventDetails?.output;

test('a rejected purchase is SUCCEEDED and shows its outcome: FAILED, why and at which step', async () => {
  const { purchaseId } = HISTORY_FIXTURES.paymentDeclined;
  const { port } = fakeExecutions([{ details: execution(purchaseId, { output: outputOf('paymentDeclined') }), history: loadHistory('paymentDeclined') }]);

  const [line] = await listExecutions(port, { limit: 10 }, NOW);

  expect(line).toEqual({
    purchaseId,
    status: 'SUCCEEDED',
    startedAt: new Date('2026-11-26T12:03:00.100Z'),
    durationMs: 1_200,
    outcome: { outcome: 'FAILED', reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' },
  });
});

test('a confirmed purchase shows its outcome, read with DescribeExecution rather than the history', async () => {
  const { purchaseId } = HISTORY_FIXTURES.happyPath;
  const executions = fakeExecutions([{ details: execution(purchaseId, { output: outputOf('happyPath') }), history: loadHistory('happyPath') }]);
  const history = jest.spyOn(executions.port, 'history');

  const [line] = await listExecutions(executions.port, { limit: 10 }, NOW);

  expect(line?.outcome).toEqual({ outcome: 'CONFIRMED', invoiceId: 'INV-0B6F9C1E' });
  expect(history).not.toHaveBeenCalled();
});

test('a failed execution shows the step it stopped in and that step error', async () => {
  const { purchaseId } = HISTORY_FIXTURES.refundGaveUp;
  const { port } = fakeExecutions([{ details: execution(purchaseId, { status: 'FAILED', error: 'DependencyUnavailable' }), history: loadHistory('refundGaveUp') }]);

  const [line] = await listExecutions(port, { limit: 10 }, NOW);

  expect(line).toMatchObject({ status: 'FAILED', step: 'RefundPayment', error: 'DependencyUnavailable' });
  expect(line?.outcome).toBeUndefined();
});

test('a running execution shows the step it is in, and its duration so far', async () => {
  const events = loadHistory('transientRetry');
  const running = events.slice(0, events.findIndex((event) => event.type === 'TaskFailed') + 1);
  const { port } = fakeExecutions([{ details: execution('purchase-running-1', { status: 'RUNNING', stoppedAt: undefined }), history: running }]);

  const [line] = await listExecutions(port, { limit: 10 }, NOW);

  expect(line).toMatchObject({ status: 'RUNNING', step: 'ChargePayment', durationMs: NOW.getTime() - Date.parse('2026-11-26T12:03:00.100Z') });
  expect(line?.error).toBeUndefined();
});

test('several statuses are listed together, newest first, up to the limit', async () => {
  const { port } = fakeExecutions([
    { details: execution('purchase-failed-1', { status: 'FAILED', startedAt: new Date('2026-11-26T12:01:00Z') }) },
    { details: execution('purchase-ok-0001', { startedAt: new Date('2026-11-26T12:04:00Z') }) },
    { details: execution('purchase-timeout-1', { status: 'TIMED_OUT', startedAt: new Date('2026-11-26T12:03:00Z') }) },
    { details: execution('purchase-aborted-1', { status: 'ABORTED', startedAt: new Date('2026-11-26T12:02:00Z') }) },
  ]);

  const lines = await listExecutions(port, { statuses: ['FAILED', 'TIMED_OUT', 'ABORTED'], limit: 2 }, NOW);

  expect(lines.map((line) => line.purchaseId)).toEqual(['purchase-timeout-1', 'purchase-aborted-1']);
});

test('one line each, under a header: the outcome tells a rejected purchase from a confirmed one and from one that needs a person', () => {
  const text = renderExecutions([
    { purchaseId: 'purchase-a-0001', status: 'SUCCEEDED', startedAt: NOW, durationMs: 1_200, outcome: { outcome: 'FAILED', reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' } },
    { purchaseId: 'purchase-b-0001', status: 'SUCCEEDED', startedAt: NOW, durationMs: 900, outcome: { outcome: 'CONFIRMED', invoiceId: 'INV-1' } },
    { purchaseId: 'purchase-c-0001', status: 'FAILED', startedAt: NOW, durationMs: 400_000, step: 'RefundPayment', error: 'DependencyUnavailable' },
    { purchaseId: 'purchase-d-0001', status: 'RUNNING', startedAt: NOW, durationMs: 300, step: 'ChargePayment' },
  ]);

  expect(text.trimEnd().split('\n')).toEqual([
    'PURCHASE         STATUS     OUTCOME                  STARTED (UTC)             DURATION    STEP',
    'purchase-a-0001  SUCCEEDED  FAILED PAYMENT_DECLINED  2026-11-26T13:00:00.000Z  1.2 s       ChargePayment',
    'purchase-b-0001  SUCCEEDED  CONFIRMED                2026-11-26T13:00:00.000Z  900 ms      -',
    'purchase-c-0001  FAILED     NEEDS A PERSON           2026-11-26T13:00:00.000Z  6 min 40 s  RefundPayment: DependencyUnavailable',
    'purchase-d-0001  RUNNING    -                        2026-11-26T13:00:00.000Z  300 ms      ChargePayment',
  ]);
});
