import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '#local/index';
import { DEMO_CONCERT, seedDemoConcert } from '#tools/demo-seed';
import { ApiClient } from './api-client.ts';

/**
 * One in-memory local runtime per test file: starting one costs seconds
 * (DynamoDB Local's JVM, the demo seed, the first cold starts), so every test
 * of a file shares it and keeps to its own seats and buyers.
 */

/** The concert `npm start` seeds: rows A-T, seats 1-25. */
export const DEMO_CONCERT_ID = DEMO_CONCERT.concertId;

/** The state machine's Retry intervals divided by 100: a transient failure retries in milliseconds, not seconds. */
export const FAST_RETRY_DELAY_SCALE = 0.01;

/** Default options of an end-to-end runtime: in memory, the demo concert, quick retries, quiet. */
export const e2eRuntimeOptions = (overrides: LocalRuntimeOptions = {}): LocalRuntimeOptions => ({
  inMemory: true,
  seed: seedDemoConcert,
  retryDelayScale: FAST_RETRY_DELAY_SCALE,
  ...overrides,
});

export interface E2eRuntime {
  readonly runtime: LocalRuntime;
  /** The HTTP API with a token for `buyerId`. */
  apiAs(buyerId: string): Promise<ApiClient>;
  /** The HTTP API with no token at all. */
  readonly anonymousApi: ApiClient;
}

const e2eRuntimeOf = (runtime: LocalRuntime): E2eRuntime => ({
  runtime,
  apiAs: async (buyerId) => new ApiClient(runtime.apiUrl, await runtime.mintToken(buyerId)),
  anonymousApi: new ApiClient(runtime.apiUrl),
});

/**
 * Registers beforeAll/afterAll that start and stop one runtime for the
 * calling test file, and returns a getter valid inside its tests.
 */
export const useLocalRuntime = (overrides: LocalRuntimeOptions = {}): (() => E2eRuntime) => {
  let current: E2eRuntime | undefined;
  beforeAll(async () => {
    current = e2eRuntimeOf(await startLocalRuntime(e2eRuntimeOptions(overrides)));
  });
  afterAll(async () => {
    await current?.runtime.stop();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('The local runtime is not running: use the getter inside a test or a hook that runs after beforeAll');
    return current;
  };
};
