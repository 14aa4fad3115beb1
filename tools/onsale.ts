import { defineCommand, EXIT, noPositionals, parseUrl, parseWholeNumber, runIfInvoked, UsageError, writeLine, type Flags, type Options } from '#tools/lib/command-line';
import { LOCAL_RUNTIME_FILE } from '#tools/ops/config';
import { renderOnsaleReport } from './onsale/report.ts';
import { runOnsale, type OnsaleOptions } from './onsale/run-onsale.ts';

/**
 * `npm run onsale`: the on-sale spike as a demo. N buyers with overlapping
 * seat choices hit the API at once; the queue drains through the saga; then
 * the summary and every invariant of DESIGN.md, checked from the data.
 */

const DEFAULTS = { buyers: 2000, seats: 500, concurrency: 100, seed: 1, timeoutSeconds: 900 } as const;

/**
 * The line's defaults. Admissions sized so the whole line is let in within
 * about 50 runs of the admitter (a minute at its sped-up schedule), never
 * fewer than 10 a run; twice as many live admissions as buyers, so the
 * on-sale never waits for one to expire: the admitter counts line numbers,
 * and a join retried after a 5xx may have taken one no buyer holds; half the crowd arrives before the start so
 * both the draw and first come, first served are seen. Fewer calls in flight
 * than the plain spike: every buyer polls too.
 */
const WAITING_ROOM_DEFAULTS = { runsToAdmitAll: 50, minAdmissionsPerRun: 10, admissionMinutes: 10, earlyPercent: 50, concurrency: 32, maxActivePerBuyer: 2 } as const;

const USAGE = `Usage: npm run onsale -- [--buyers N] [--seats S] [--api URL] [--concurrency C] [--seed N] [--timeout SECONDS]
                      [--waiting-room [--admissions-per-run N] [--max-active N] [--admission-minutes N] [--early PERCENT]]

  --buyers       buyers arriving at once (default ${DEFAULTS.buyers})
  --seats        seats of the concert put on sale (default ${DEFAULTS.seats}, rows of 25)
  --api          use the runtime already running (npm start) at this URL
                 instead of starting an in-memory one; reads ${LOCAL_RUNTIME_FILE}
  --concurrency  requests in flight at once (default ${DEFAULTS.concurrency})
  --seed         seed of the buyers' choices (default ${DEFAULTS.seed})
  --timeout      give up waiting for the queue to drain after this long (default ${DEFAULTS.timeoutSeconds})

  --waiting-room        the concert is gated: every buyer joins its line, polls its ticket
                        and buys once admitted; then the waits and the line's order are checked.
                        Not with --api: the admitter's minute is sped up to about 1.2 s
                        (default --concurrency ${WAITING_ROOM_DEFAULTS.concurrency})
  --admissions-per-run  buyers each run of the admitter lets in, the on-sale's admissionsPerMinute
                        (default buyers / ${WAITING_ROOM_DEFAULTS.runsToAdmitAll}, at least ${WAITING_ROOM_DEFAULTS.minAdmissionsPerRun})
  --max-active          admissions live at once (default: twice the number of buyers)
  --admission-minutes   how long an admission lasts (default ${WAITING_ROOM_DEFAULTS.admissionMinutes})
  --early               percent of the buyers who join before the start (default ${WAITING_ROOM_DEFAULTS.earlyPercent})`;

export const ONSALE_OPTIONS = {
  buyers: { type: 'string' },
  seats: { type: 'string' },
  api: { type: 'string' },
  concurrency: { type: 'string' },
  seed: { type: 'string' },
  timeout: { type: 'string' },
  'waiting-room': { type: 'boolean' },
  'admissions-per-run': { type: 'string' },
  'max-active': { type: 'string' },
  'admission-minutes': { type: 'string' },
  early: { type: 'string' },
} as const satisfies Options;

const WAITING_ROOM_FLAGS = ['admissions-per-run', 'max-active', 'admission-minutes', 'early'] as const;

/** The run the flags ask for; a UsageError before anything starts. */
export const onsaleOptionsOf = ({ values, positionals }: Pick<Flags<typeof ONSALE_OPTIONS>, 'values' | 'positionals'>): Omit<OnsaleOptions, 'log'> => {
  noPositionals(positionals);
  const number = (flag: Exclude<keyof typeof ONSALE_OPTIONS, 'waiting-room'>, fallback: number, range: { min?: number; max: number }) => {
    const text = values[flag];
    return text === undefined ? fallback : parseWholeNumber(`--${flag}`, text, range);
  };
  const gated = values['waiting-room'] === true;
  if (!gated) {
    const misplaced = WAITING_ROOM_FLAGS.filter((flag) => values[flag] !== undefined);
    if (misplaced.length > 0) throw new UsageError(`${misplaced.map((flag) => `--${flag}`).join(', ')} only with --waiting-room`);
  }
  if (gated && values.api !== undefined) throw new UsageError('--waiting-room starts a runtime of its own, with the admitter sped up: not with --api');
  const buyers = number('buyers', DEFAULTS.buyers, { max: 100_000 });
  return {
    buyers,
    seats: number('seats', DEFAULTS.seats, { max: 10_000 }),
    ...(values.api !== undefined && { api: parseUrl('--api', values.api) }),
    concurrency: number('concurrency', gated ? WAITING_ROOM_DEFAULTS.concurrency : DEFAULTS.concurrency, { max: 1_000 }),
    seed: number('seed', DEFAULTS.seed, { min: -999_999_999, max: 999_999_999 }),
    timeoutSeconds: number('timeout', DEFAULTS.timeoutSeconds, { min: 10, max: 86_400 }),
    ...(gated && {
      waitingRoom: {
        // The bounds are the on-sale schema's own (domain/waiting-room/on-sale.ts).
        admissionsPerRun: number('admissions-per-run', Math.max(WAITING_ROOM_DEFAULTS.minAdmissionsPerRun, Math.ceil(buyers / WAITING_ROOM_DEFAULTS.runsToAdmitAll)), { max: 100_000 }),
        maxActiveBuyers: number('max-active', buyers * WAITING_ROOM_DEFAULTS.maxActivePerBuyer, { max: 1_000_000 }),
        admissionTtlSeconds: 60 * number('admission-minutes', WAITING_ROOM_DEFAULTS.admissionMinutes, { max: 24 * 60 }),
        earlyPercent: number('early', WAITING_ROOM_DEFAULTS.earlyPercent, { min: 0, max: 100 }),
      },
    }),
  };
};

export const main = defineCommand({
  usage: USAGE,
  failure: 'an invariant fails or the run cannot finish',
  options: ONSALE_OPTIONS,
  run: async (flags, io) => {
    const report = await runOnsale({ ...onsaleOptionsOf(flags), log: (line) => writeLine(io.stderr, `[onsale] ${line}`) });
    io.stdout.write(renderOnsaleReport(report));
    const lineHolds = report.waitingRoom?.line.checks.every((check) => check.ok) ?? true;
    return report.invariants.every((r) => r.ok) && lineHolds ? EXIT.ok : EXIT.failed;
  },
});

// The in-memory runtime's clients and child processes may keep the event loop alive: the exit code is the end.
runIfInvoked('onsale', main, { exitProcess: true });
