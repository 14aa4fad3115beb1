import { defineCommand, EXIT, noPositionals, parseUrl, parseWholeNumber, runIfInvoked, writeLine, type Flags, type Options } from '#tools/lib/command-line';
import { LOCAL_RUNTIME_FILE } from '#tools/ops/config';
import { renderOnsaleReport } from './onsale/report.ts';
import { runOnsale, type OnsaleOptions } from './onsale/run-onsale.ts';

/**
 * `npm run onsale`: the on-sale spike as a demo. N buyers with overlapping
 * seat choices hit the API at once; the queue drains through the saga; then
 * the summary and every invariant of DESIGN.md, checked from the data.
 */

const DEFAULTS = { buyers: 2000, seats: 500, concurrency: 100, seed: 1, timeoutSeconds: 900 } as const;

const USAGE = `Usage: npm run onsale -- [--buyers N] [--seats S] [--api URL] [--concurrency C] [--seed N] [--timeout SECONDS]

  --buyers       buyers arriving at once (default ${DEFAULTS.buyers})
  --seats        seats of the concert put on sale (default ${DEFAULTS.seats}, rows of 25)
  --api          use the runtime already running (npm start) at this URL
                 instead of starting an in-memory one; reads ${LOCAL_RUNTIME_FILE}
  --concurrency  requests in flight at once (default ${DEFAULTS.concurrency})
  --seed         seed of the buyers' choices (default ${DEFAULTS.seed})
  --timeout      give up waiting for the queue to drain after this long (default ${DEFAULTS.timeoutSeconds})`;

export const ONSALE_OPTIONS = {
  buyers: { type: 'string' },
  seats: { type: 'string' },
  api: { type: 'string' },
  concurrency: { type: 'string' },
  seed: { type: 'string' },
  timeout: { type: 'string' },
} as const satisfies Options;

/** The run the flags ask for; a UsageError before anything starts. */
export const onsaleOptionsOf = ({ values, positionals }: Pick<Flags<typeof ONSALE_OPTIONS>, 'values' | 'positionals'>): Omit<OnsaleOptions, 'log'> => {
  noPositionals(positionals);
  const number = (flag: keyof typeof ONSALE_OPTIONS, fallback: number, range: { min?: number; max: number }) => {
    const text = values[flag];
    return text === undefined ? fallback : parseWholeNumber(`--${flag}`, text, range);
  };
  return {
    buyers: number('buyers', DEFAULTS.buyers, { max: 100_000 }),
    seats: number('seats', DEFAULTS.seats, { max: 10_000 }),
    ...(values.api !== undefined && { api: parseUrl('--api', values.api) }),
    concurrency: number('concurrency', DEFAULTS.concurrency, { max: 1_000 }),
    seed: number('seed', DEFAULTS.seed, { min: -999_999_999, max: 999_999_999 }),
    timeoutSeconds: number('timeout', DEFAULTS.timeoutSeconds, { min: 10, max: 86_400 }),
  };
};

export const main = defineCommand({
  usage: USAGE,
  failure: 'an invariant fails or the run cannot finish',
  options: ONSALE_OPTIONS,
  run: async (flags, io) => {
    const report = await runOnsale({ ...onsaleOptionsOf(flags), log: (line) => writeLine(io.stderr, `[onsale] ${line}`) });
    io.stdout.write(renderOnsaleReport(report));
    return report.invariants.every((r) => r.ok) ? EXIT.ok : EXIT.failed;
  },
});

// The in-memory runtime's clients and child processes may keep the event loop alive: the exit code is the end.
runIfInvoked('onsale', main, { exitProcess: true });
