import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyPageSchema, type HistoryEvent } from '#tools/ops/history';

/**
 * Execution histories in the format of `aws stepfunctions
 * get-execution-history --output json`: the three paths support asks about
 * most (confirmed, declined with seats released, confirmed after a retry).
 */
export const HISTORY_FIXTURES = {
  happyPath: { file: 'happy-path.json', purchaseId: '0b6f9c1e-4a1d-4f7e-9a57-2f1c9d0e7a11' },
  paymentDeclined: { file: 'payment-declined.json', purchaseId: '5d2e8a90-7c41-4b0e-8f3a-61e0c4b9d2f7' },
  transientRetry: { file: 'transient-retry.json', purchaseId: '9a7c3f12-2b8e-4d6a-b1c0-e5f4a3d2c1b0' },
} as const;
export type HistoryFixture = keyof typeof HISTORY_FIXTURES;

export const loadHistory = (fixture: HistoryFixture): HistoryEvent[] =>
  historyPageSchema.parse(JSON.parse(readFileSync(join(__dirname, 'fixtures', HISTORY_FIXTURES[fixture].file), 'utf8'))).events;
