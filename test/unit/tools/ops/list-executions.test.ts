import { listExecutions } from '#tools/ops/list-executions';
import { renderExecutions } from '#tools/ops/render-executions';
import { HISTORY_FIXTURES, loadHistory } from './history-fixtures.ts';
import { execution, fakeExecutions } from './support.ts';

const NOW = new Date('2026-11-26T13:00:00.000Z');

test('a failed execution shows the step where the saga went wrong, its error and the Fail state it ended in', async () => {
  const { purchaseId } = HISTORY_FIXTURES.paymentDeclined;
  const { port } = fakeExecutions([{ details: execution(purchaseId, { status: 'FAILED', error: 'PurchaseFailed' }), history: loadHistory('paymentDeclined') }]);

  const [line] = await listExecutions(port, { limit: 10 }, NOW);

  expect(line).toEqual({
    purchaseId,
    status: 'FAILED',
    startedAt: new Date('2026-11-26T12:03:00.100Z'),
    durationMs: 1_200,
    step: 'ChargePayment',
    error: 'PaymentDeclined',
    endedIn: 'PurchaseFailed',
  });
});

test('a running execution shows the step it is in, and its duration so far', async () => {
  const events = loadHistory('transientRetry');
  const running = events.slice(0, events.findIndex((event) => event.type === 'TaskFailed') + 1);
  const { port } = fakeExecutions([{ details: execution('purchase-running-1', { status: 'RUNNING', stoppedAt: undefined }), history: running }]);

  const [line] = await listExecutions(port, { limit: 10 }, NOW);

  expect(line).toMatchObject({ status: 'RUNNING', step: 'ChargePayment', durationMs: NOW.getTime() - Date.parse('2026-11-26T12:03:00.100Z') });
});

test('a succeeded execution needs no history', async () => {
  const executions = fakeExecutions([{ details: execution('purchase-ok-0001') }]);
  const history = jest.spyOn(executions.port, 'history');

  await listExecutions(executions.port, { limit: 10 }, NOW);

  expect(history).not.toHaveBeenCalled();
});

test('one line each, under a header', () => {
  const text = renderExecutions([
    { purchaseId: 'purchase-a-0001', status: 'FAILED', startedAt: NOW, durationMs: 1_200, step: 'ChargePayment', error: 'PaymentDeclined', endedIn: 'PurchaseFailed' },
    { purchaseId: 'purchase-b-0001', status: 'SUCCEEDED', startedAt: NOW, durationMs: 900 },
  ]);

  expect(text.trimEnd().split('\n')).toEqual([
    'PURCHASE         STATUS     STARTED (UTC)             DURATION  STEP',
    'purchase-a-0001  FAILED     2026-11-26T13:00:00.000Z  1.2 s     ChargePayment: PaymentDeclined -> PurchaseFailed',
    'purchase-b-0001  SUCCEEDED  2026-11-26T13:00:00.000Z  900 ms    -',
  ]);
});
