import type { CostRun } from '#tools/cost/cost-run';
import type { TemplateFacts } from '#tools/cost/template-facts';

/** A run of 100 purchases with round counts, so every expected figure can be worked out by hand. */
export const costRun: CostRun = {
  run: { command: 'npm run cost', seed: 1, buyers: 100, seats: 100, concurrency: 10, date: '2026-12-07', commit: 'abc1234', elapsedMs: 10_000 },
  outcomes: { accepted: 100, rejected: {}, confirmed: 100, failedByReason: {} },
  paths: [{ outcome: 'PurchaseConfirmed', path: ['ReserveSeats', 'PurchaseConfirmed'], executions: 100, transitions: 1_000, retries: 0, taskAttempts: 400, durationMs: 15_000, logBytes: 0 }],
  functions: [
    { logicalId: 'Step', invocations: 400, billedMs: 40_000, logBytes: 0 },
    { logicalId: 'Starter', invocations: 10, billedMs: 1_000, logBytes: 0 },
    { logicalId: 'Sweeper', invocations: 1, billedMs: 99_000, logBytes: 0 },
  ],
  dynamoDb: { itemWrites: 700, unitsByTable: { Seats: { read: 0, write: 600 }, Purchases: { read: 100, write: 200 } } },
  eventBridge: { events: 500, bytes: 0 },
  sqs: { sendMessage: 100, receiveMessage: 10, deleteMessageBatch: 10 },
  api: { requests: 100 },
};

export const facts: TemplateFacts = {
  functions: [
    { logicalId: 'Step', memoryMb: 512, architecture: 'arm64', scheduled: false },
    { logicalId: 'Starter', memoryMb: 512, architecture: 'arm64', scheduled: false },
    { logicalId: 'Sweeper', memoryMb: 512, architecture: 'arm64', scheduled: true },
  ],
  queueConsumer: { logicalId: 'Mapping', functionLogicalId: 'Starter', batchSize: 10, maximumConcurrency: 10 },
  stateMachine: { logicalId: 'Saga', type: 'STANDARD', logLevel: 'ALL', includeExecutionData: true },
  stepFunctionIds: ['Step'],
  seatsTableLogicalId: 'Seats',
};
