import { FAULT_KINDS } from '#tools/chaos/chaos-settings';
import { CHAOS_PROFILES } from '#tools/chaos/profiles';
import type { ChaosReport } from '#tools/chaos/report';
import { runChaos } from '#tools/chaos/run-chaos';

/**
 * The chaos on-sale of `npm run chaos` in its CI size: the mild profile, 150
 * purchases and a fixed seed, so the same faults come every run. Every
 * invariant of DESIGN.md must hold, and the run must really have injected
 * each fault kind the profile configures, or it proved nothing about it.
 *
 * The state machine's Retry waits run at their deployed length, not scaled
 * down as in other tests: waiting out a crashed invocation's in-progress
 * record must take as long as the function's timeout, which no scale
 * shortens, and that is one of the faults this run proves the saga survives.
 */

const SEED = 20_261_207;
const PURCHASES = 150;
/**
 * Room for the slowest recoveries the mild faults cause: a starter batch whose
 * invocation failed comes back after the queue's one-minute visibility
 * timeout, and a duplicate in progress is waited out for about a minute.
 */
const DRAIN_TIMEOUT_SECONDS = 300;
/** The run, its two replays and the checks, with the drain timeout used up. */
const RUN_DEADLINE_MS = 480_000;
const CONCURRENCY = 25;

let run: Promise<ChaosReport> | undefined;
const chaosRun = () =>
  (run ??= runChaos({
    profile: CHAOS_PROFILES.mild,
    purchases: PURCHASES,
    seed: SEED,
    concurrency: CONCURRENCY,
    timeoutSeconds: DRAIN_TIMEOUT_SECONDS,
    log: () => undefined,
    showProgress: false,
  }));

jest.setTimeout(RUN_DEADLINE_MS);

describe('a mild chaos on-sale of 150 purchases', () => {
  it('keeps every invariant of DESIGN.md', async () => {
    // Act
    const report = await chaosRun();

    // Assess
    expect(report.invariants.filter((result) => !result.ok)).toEqual([]);
    expect(new Set(report.invariants.map((result) => result.invariant))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it('injects every fault kind the profile configures at least once', async () => {
    // Act
    const report = await chaosRun();

    // Assess
    const configured = FAULT_KINDS.filter((kind) => (CHAOS_PROFILES.mild.rates[kind] ?? 0) > 0);
    const missed = configured.filter((kind) => (report.faults[kind].injected ?? 0) < 1);
    expect(missed).toEqual([]);
  });

  it('accepts every good request, the client retrying with its Idempotency-Key what faults refused', async () => {
    // Act
    const report = await chaosRun();

    // Assess
    expect(report.outcomes.accepted).toBe(PURCHASES);
  });
});
