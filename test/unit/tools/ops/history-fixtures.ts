import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyPageSchema, type HistoryEvent } from '#tools/ops/history';

/**
 * Execution histories in the format of `aws stepfunctions
 * get-execution-history --output json`: the paths support asks about most
 * (confirmed, declined with seats released, confirmed after a retry) and one
 * that needs a person (the refund kept failing after ChargePayment gave up).
 */
export const HISTORY_FIXTURES = {
  happyPath: { file: 'happy-path.json', purchaseId: '0b6f9c1e-4a1d-4f7e-9a57-2f1c9d0e7a11' },
  paymentDeclined: { file: 'payment-declined.json', purchaseId: '5d2e8a90-7c41-4b0e-8f3a-61e0c4b9d2f7' },
  transientRetry: { file: 'transient-retry.json', purchaseId: '9a7c3f12-2b8e-4d6a-b1c0-e5f4a3d2c1b0' },
  refundGaveUp: { file: 'refund-gave-up.json', purchaseId: '3c8e1f47-9b2a-4e6d-8c5f-0a1b2c3d4e5f' },
} as const;
export type HistoryFixture = keyof typeof HISTORY_FIXTURES;

export const loadHistory = (fixture: HistoryFixture): HistoryEvent[] =>
  historyPageSchema.parse(JSON.parse(readFileSync(join(__dirname, 'fixtures', HISTORY_FIXTURES[fixture].file), 'utf8'))).events;

export interface StoppedHistory {
  /** Task states that ran and succeeded first, in order. */
  readonly succeeded: readonly string[];
  readonly stoppedIn: string;
  /** The error of each attempt of the last step. */
  readonly error: string;
  readonly attempts?: number;
  readonly end?: 'ExecutionFailed' | 'ExecutionTimedOut' | 'ExecutionAborted';
}

/**
 * A short history that stops in a task: for the steps no fixture file
 * covers. Each event is 100 ms after the one before it, from 12:03:00.100.
 */
export const stoppedHistory = ({ succeeded, stoppedIn, error, attempts = 2, end = 'ExecutionFailed' }: StoppedHistory): HistoryEvent[] => {
  const events: HistoryEvent[] = [];
  const add = (event: Omit<HistoryEvent, 'id' | 'timestamp'>) =>
    events.push({ ...event, id: events.length + 1, timestamp: new Date(Date.parse('2026-11-26T12:03:00.100Z') + events.length * 100) });
  add({ type: 'ExecutionStarted', executionStartedEventDetails: { input: '{}' } });
  for (const name of succeeded) {
    add({ type: 'TaskStateEntered', stateEnteredEventDetails: { name } });
    add({ type: 'TaskScheduled' });
    add({ type: 'TaskSucceeded' });
    add({ type: 'TaskStateExited', stateExitedEventDetails: { name, output: '{}' } });
  }
  add({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: stoppedIn } });
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    add({ type: 'TaskScheduled' });
    add({ type: 'TaskFailed', taskFailedEventDetails: { error } });
  }
  const details = { error: end === 'ExecutionTimedOut' ? 'States.Timeout' : error };
  if (end === 'ExecutionFailed') add({ type: end, executionFailedEventDetails: details });
  if (end === 'ExecutionTimedOut') add({ type: end, executionTimedOutEventDetails: details });
  if (end === 'ExecutionAborted') add({ type: end });
  return events;
};
