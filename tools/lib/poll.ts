/**
 * Waiting in end-to-end tests and tools: read until a condition holds, and at the
 * deadline fail loudly with what was awaited and the last value seen, so a
 * timeout explains itself without a rerun.
 */

export interface PollOptions<T> {
  /** What the caller waits for, as it should read in the failure: "purchase p-1 to reach CONFIRMED". */
  readonly what: string;
  readonly timeoutMs: number;
  /** @default 100 */
  readonly intervalMs?: number;
  /** How the last value appears in the failure. @default JSON */
  readonly describe?: (value: T) => string;
}

class PollTimeoutError extends Error {
  override readonly name = 'PollTimeoutError';
}

const DEFAULT_INTERVAL_MS = 100;

const pause = (ms: number) => new Promise<void>((resolvePause) => setTimeout(resolvePause, ms));

/** Calls `read` until `done(value)` holds and returns that value; throws PollTimeoutError once `timeoutMs` has passed. */
export const pollUntil = async <T>(read: () => Promise<T>, done: (value: T) => boolean, options: PollOptions<T>): Promise<T> => {
  const deadline = Date.now() + options.timeoutMs;
  const describe = options.describe ?? ((value: T) => JSON.stringify(value));
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new PollTimeoutError(`Timed out after ${options.timeoutMs} ms waiting for ${options.what}; last seen: ${describe(value)}`);
    }
    await pause(options.intervalMs ?? DEFAULT_INTERVAL_MS);
  }
};
