import { historyRows } from '#tools/console/history-view';
import { loadHistory } from '#test/unit/tools/ops/history-fixtures';
import { declinedHistoryWithSecrets, LEAKED_TOKEN } from './support.ts';

test('task events are attributed to the state that runs them', () => {
  const rows = historyRows(loadHistory('paymentDeclined'));

  const failed = rows.find((row) => row.type === 'TaskFailed');
  expect(failed).toMatchObject({ id: 10, state: 'ChargePayment', error: 'PaymentDeclined: The payment was declined' });
  expect(rows.find((row) => row.type === 'ExecutionStarted')?.state).toBeUndefined();
});

test('times are relative to the start of the execution', () => {
  const rows = historyRows(loadHistory('paymentDeclined'));

  expect(rows[0]).toMatchObject({ id: 1, elapsedMs: 0, time: '2026-11-26T12:03:00.100Z' });
  expect(rows.at(-1)).toMatchObject({ type: 'ExecutionSucceeded', elapsedMs: 897 });
});

test('a rejected purchase ends with its outcome as the output, and no error', () => {
  const rows = historyRows(loadHistory('paymentDeclined'));

  expect(rows.at(-1)?.error).toBeUndefined();
  expect(rows.at(-1)?.data).toEqual([{ label: 'output', text: '{\n  "outcome": "FAILED",\n  "reason": "PAYMENT_DECLINED",\n  "failedStep": "ChargePayment"\n}' }]);
});

test('an execution that failed shows the error it failed with on its last row', () => {
  const rows = historyRows(loadHistory('refundGaveUp'));

  expect(rows.at(-1)).toMatchObject({ type: 'ExecutionFailed', error: 'DependencyUnavailable: The payments table is throttling requests' });
});

test('inputs, parameters and outputs are shown pretty-printed', () => {
  const rows = historyRows(loadHistory('paymentDeclined'));

  const scheduled = rows.find((row) => row.type === 'TaskScheduled');
  expect(scheduled?.data.map((item) => item.label)).toEqual(['parameters']);
  expect(scheduled?.data[0]?.text).toContain('\n  "FunctionName": ');
});

test('a payment token in an input or an error cause is masked', () => {
  const rows = historyRows(declinedHistoryWithSecrets());

  expect(JSON.stringify(rows)).not.toContain(LEAKED_TOKEN);
  expect(rows.find((row) => row.type === 'TaskFailed')).toMatchObject({ error: 'PaymentDeclined: card *** was declined', data: [{ label: 'cause', text: 'card *** was declined' }] });
});

test('events given out of order are listed by id', () => {
  const rows = historyRows([...loadHistory('happyPath')].reverse());

  expect(rows.map((row) => row.id)).toEqual([...rows.map((row) => row.id)].sort((a, b) => a - b));
});
