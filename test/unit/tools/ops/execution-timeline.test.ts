import { buildTimeline, currentStep, firstFailure, resumePointOf } from '#tools/ops/execution-timeline';
import type { HistoryEvent } from '#tools/ops/history';
import { loadHistory } from './history-fixtures.ts';

const names = (events: HistoryEvent[]) => buildTimeline(events).steps.map((step) => `${step.name}:${step.outcome}`);

test('the happy path runs the four forward steps and succeeds', () => {
  const timeline = buildTimeline(loadHistory('happyPath'));

  expect(timeline.steps.map((step) => `${step.name}:${step.outcome}`)).toEqual([
    'ReserveSeats:succeeded',
    'ChargePayment:succeeded',
    'CreateInvoice:succeeded',
    'ConfirmPurchase:succeeded',
    'PurchaseConfirmed:succeeded',
  ]);
  expect(timeline.end?.status).toBe('SUCCEEDED');
});

test('each step has its entry and exit times and one attempt on the happy path', () => {
  const [reserve] = buildTimeline(loadHistory('happyPath')).steps;

  expect(reserve).toMatchObject({
    name: 'ReserveSeats',
    stateType: 'Task',
    enteredAt: new Date('2026-11-26T12:03:00.112Z'),
    exitedAt: new Date('2026-11-26T12:03:00.321Z'),
    attempts: 1,
    retries: 0,
  });
});

test('a declined payment is caught at ChargePayment with its parsed cause, then the seats are released', () => {
  const timeline = buildTimeline(loadHistory('paymentDeclined'));

  expect(names(loadHistory('paymentDeclined'))).toEqual([
    'ReserveSeats:succeeded',
    'ChargePayment:caught',
    'ReleaseSeats:succeeded',
    'RecordPurchaseFailure:succeeded',
    'PurchaseFailed:succeeded',
  ]);
  expect(firstFailure(timeline)).toMatchObject({
    name: 'ChargePayment',
    error: { error: 'PaymentDeclined', errorType: 'PaymentDeclined', errorMessage: 'The payment was declined' },
  });
});

test('a rejected purchase ends SUCCEEDED in the PurchaseFailed Succeed state, its outcome in the output, with nothing to resume', () => {
  const timeline = buildTimeline(loadHistory('paymentDeclined'));

  expect(timeline.end).toMatchObject({ status: 'SUCCEEDED' });
  expect(JSON.parse(timeline.end?.status === 'SUCCEEDED' ? (timeline.end.output ?? '') : '')).toEqual({ outcome: 'FAILED', reason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment' });
  expect(timeline.steps.at(-1)).toMatchObject({ name: 'PurchaseFailed', stateType: 'Succeed' });
  expect(resumePointOf(timeline)).toBeUndefined();
});

test('an execution that failed in a compensation after its retries resumes in that task, with its last error', () => {
  const timeline = buildTimeline(loadHistory('refundGaveUp'));

  expect(timeline.end).toMatchObject({ status: 'FAILED', error: { error: 'DependencyUnavailable' } });
  expect(resumePointOf(timeline)).toMatchObject({ name: 'RefundPayment', stateType: 'Task', outcome: 'failed', attempts: 11, retries: 10, error: { error: 'DependencyUnavailable' } });
  expect(firstFailure(timeline)).toMatchObject({ name: 'ChargePayment', outcome: 'caught', error: { error: 'PaymentProviderUnavailable' } });
});

test('a failed attempt followed by a new attempt in the same state counts as a retry', () => {
  const charge = buildTimeline(loadHistory('transientRetry')).steps.find((step) => step.name === 'ChargePayment');

  expect(charge).toMatchObject({ outcome: 'succeeded', attempts: 2, retries: 1, retriedErrors: [{ error: 'PaymentProviderUnavailable' }] });
  expect(charge?.error).toBeUndefined();
});

test('an execution cut short is running in the last state it entered', () => {
  const events = loadHistory('transientRetry');
  const partial = events.slice(0, events.findIndex((event) => event.type === 'TaskFailed') + 1);

  const timeline = buildTimeline(partial);

  expect(timeline.end).toBeUndefined();
  expect(currentStep(timeline)).toMatchObject({ name: 'ChargePayment', outcome: 'running', error: { error: 'PaymentProviderUnavailable' } });
});

test('events are ordered by id, whatever order the pages came in', () => {
  const events = loadHistory('happyPath');

  expect(names([...events].reverse())).toEqual(names(events));
});
