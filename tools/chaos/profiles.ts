import type { ChaosSettings, FaultKind } from './chaos-settings.ts';

/**
 * The two chaos profiles of `npm run chaos`: how often each fault kind of
 * DESIGN.md's fault model is injected, and whether the whole local stack is
 * killed mid-run. Rates are per opportunity (a Lambda call, a DynamoDB
 * request, a delivery...), drawn by the runtime from the seed.
 */

/** When the runtime is SIGKILLed: once a share of the requests has been answered, or of the purchases has ended. */
export interface KillPoint {
  readonly phase: 'submission' | 'drain';
  /** 0-1 */
  readonly atShare: number;
}

export interface ChaosProfile {
  readonly name: 'mild' | 'harsh';
  readonly summary: string;
  readonly rates: ChaosSettings['rates'];
  /** Empty: the runtime is never killed, and runs in this process. */
  readonly kills: readonly KillPoint[];
  readonly defaultPurchases: number;
  /** Bad-input requests sent per good purchase request. */
  readonly badInputShare: number;
  /** How long a client keeps retrying one POST (network error, 5xx, 429) with its Idempotency-Key. */
  readonly postRetryBudgetMs: number;
  /** Default wait for every accepted purchase to end. */
  readonly drainTimeoutSeconds: number;
}

/** The same rate for every kind, except where one occurrence costs a whole task timeout. */
const ratesOf = (rate: number, slowerThanTaskTimeout: number): Record<FaultKind, number> => ({
  'lambda.errorBeforeHandler': rate,
  'lambda.answerLost': rate,
  'lambda.sandboxTimedout': rate,
  'lambda.runtimeExitError': rate,
  'lambda.throttled': rate,
  // Each occurrence holds a step for its 30 s task timeout before the retry.
  'lambda.slowerThanTaskTimeout': slowerThanTaskTimeout,
  'lambda.concurrentDuplicate': rate,
  'sfn.startExecutionThrottled': rate,
  'dynamodb.throttled': rate,
  'dynamodb.transactionConflict': rate,
  'dynamodb.internalError': rate,
  'dynamodb.latency': rate,
  'eventbridge.putEventsFailed': rate,
  'eventbridge.putEventsPartiallyFailed': rate,
  'eventbridge.duplicateDelivery': rate,
  'eventbridge.lateDelivery': rate,
  'sqs.duplicateDelivery': rate,
});

export const CHAOS_PROFILES = {
  mild: {
    name: 'mild',
    summary: 'for CI: 4% of each Lambda, DynamoDB, EventBridge, SQS and StartExecution fault kind (1% of calls slower than the task timeout); no kill; runtime in this process, in memory',
    rates: ratesOf(0.04, 0.01),
    kills: [],
    defaultPurchases: 2_000,
    badInputShare: 0.05,
    postRetryBudgetMs: 30_000,
    drainTimeoutSeconds: 600,
  },
  harsh: {
    name: 'harsh',
    summary:
      'for a soak: 12% of each fault kind (3% slower than the task timeout), and the whole local stack SIGKILLed three times (half-way through the requests, then at 30% and 70% of purchases ended) and started again on the same data folder; runtime in a child process, data in a temp folder',
    rates: ratesOf(0.12, 0.03),
    kills: [
      { phase: 'submission', atShare: 0.5 },
      { phase: 'drain', atShare: 0.3 },
      { phase: 'drain', atShare: 0.7 },
    ],
    defaultPurchases: 10_000,
    badInputShare: 0.02,
    // Covers a restart of the whole stack, which takes tens of seconds on a loaded machine.
    postRetryBudgetMs: 240_000,
    drainTimeoutSeconds: 3_600,
  },
} as const satisfies Record<string, ChaosProfile>;

export type ChaosProfileName = keyof typeof CHAOS_PROFILES;
export const CHAOS_PROFILE_NAMES = Object.keys(CHAOS_PROFILES) as ChaosProfileName[];

/** The settings the runtime applies for a profile and seed. */
export const chaosSettingsOf = (profile: ChaosProfile, seed: number): ChaosSettings => ({ seed, rates: { ...profile.rates } });
