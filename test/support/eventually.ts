/**
 * The one way a test waits for something asynchronous: read a probe until a
 * predicate holds, and at the deadline fail loudly with what was awaited and
 * the last value seen, so a timeout explains itself without a rerun.
 *
 * (tools/lib/poll.ts is the tools' own poller; tests wait with this one.)
 */

export interface EventuallyOptions<T> {
  /** What the test waits for, as it should read in the failure: "purchase p-1 to reach CONFIRMED". */
  readonly what: string;
  /** @default 5_000, well inside the unit group's test timeout */
  readonly timeoutMs?: number;
  /** Pause between two reads. @default 50 */
  readonly intervalMs?: number;
  /** How the last value appears in the failure. @default JSON */
  readonly describe?: (value: T) => string;
}

export class EventuallyTimeoutError extends Error {
  override readonly name = 'EventuallyTimeoutError';
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_INTERVAL_MS = 50;

const pause = (ms: number) => new Promise<void>((resolvePause) => setTimeout(resolvePause, ms));

/**
 * Calls `probe` until `until(value)` holds and returns that value. The probe
 * is read once more after the deadline, so a slow read never loses the last
 * chance; an error the probe throws fails the wait at once.
 */
export const eventually = async <T>(probe: () => T | Promise<T>, until: (value: T) => boolean, options: EventuallyOptions<T>): Promise<T> => {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const describe = options.describe ?? ((value: T) => JSON.stringify(value) ?? String(value));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (until(value)) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw new EventuallyTimeoutError(`Timed out after ${timeoutMs} ms waiting for ${options.what}; last seen: ${describe(value)}`);
    await pause(Math.min(intervalMs, left));
  }
};
