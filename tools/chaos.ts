import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_DATA_DIR } from '#local/index';
import { defineCommand, EXIT, nonEmpty, noPositionals, parseChoice, parseWholeNumber, runIfInvoked, writeLine, type Flags, type Options } from '#tools/lib/command-line';
import { FAULT_KINDS } from './chaos/chaos-settings.ts';
import { CHAOS_PROFILE_NAMES, CHAOS_PROFILES } from './chaos/profiles.ts';
import { renderChaosReport } from './chaos/report.ts';
import { runChaos, type ChaosRunOptions } from './chaos/run-chaos.ts';

/** `npm run chaos`: the on-sale spike under seeded faults, then every invariant; see `npm run chaos -- --help`. */

const DEFAULT_CONCURRENCY = 100;
const DEFAULT_REPORT_DIR = join(DEFAULT_DATA_DIR, 'chaos');
const SEED_RANGE = { min: -999_999_999 };

const HELP_WIDTH = 62;
const PROFILE_INDENT = ' '.repeat(20);

/** Words laid out in lines of at most `width` characters. */
const wrap = (text: string, width: number): string[] =>
  text.split(' ').reduce<string[]>((lines, word) => {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
    return lines;
  }, []);

const profileHelp = CHAOS_PROFILE_NAMES.map((name) =>
  [`${PROFILE_INDENT.slice(4)}${name}:`, ...wrap(`${CHAOS_PROFILES[name].summary}; ${CHAOS_PROFILES[name].defaultPurchases} purchases by default.`, HELP_WIDTH).map((line) => `${PROFILE_INDENT}${line}`)].join('\n'),
).join('\n');

const USAGE = `Usage: npm run chaos -- [--purchases N] [--seed S] [--profile mild|harsh] [--report FILE]
                       [--seats N] [--concurrency C] [--timeout SECONDS]

The on-sale spike of npm run onsale with faults injected by the local runtime,
seeded and repeatable, plus bad input among the requests. Prints the faults
injected per kind, the outcome mix, elapsed time and throughput, and every
invariant of DESIGN.md checked from the tables, the payments ledger, the
event archive (replayed twice) and the executions (Step Functions API).

  --purchases N   good purchase requests (default: the profile's)
  --seed S        seed of the buyers' choices and of the runtime's faults (default 1)
  --profile P     mild (default) or harsh:
${profileHelp}
  --report FILE   also write the report as JSON here
                  (default ${DEFAULT_REPORT_DIR}/chaos-<profile>-seed<S>-<time>.json)
  --seats N       seats of the concert (default as many as the purchases, at least 20)
  --concurrency C requests in flight at once (default ${DEFAULT_CONCURRENCY})
  --timeout S     give up waiting for the purchases to end after S seconds (default: the profile's)

Fault kinds: ${FAULT_KINDS.join(', ')}.`;

export const CHAOS_OPTIONS = {
  purchases: { type: 'string' },
  seed: { type: 'string' },
  profile: { type: 'string' },
  report: { type: 'string' },
  seats: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
} as const satisfies Options;

/** The run's own options, as the flags give them, and where its report goes. */
export interface ChaosArguments extends Pick<ChaosRunOptions, 'profile' | 'purchases' | 'seed' | 'seats' | 'concurrency' | 'timeoutSeconds'> {
  /** undefined: the default file, named once the run starts. */
  readonly reportFile?: string;
}

/** The run the flags ask for; a UsageError before anything starts. */
export const chaosArgumentsOf = ({ values, positionals }: Pick<Flags<typeof CHAOS_OPTIONS>, 'values' | 'positionals'>): ChaosArguments => {
  noPositionals(positionals);
  const profile = CHAOS_PROFILES[parseChoice('--profile', values.profile ?? 'mild', CHAOS_PROFILE_NAMES)];
  return {
    profile,
    purchases: values.purchases === undefined ? profile.defaultPurchases : parseWholeNumber('--purchases', values.purchases),
    seed: values.seed === undefined ? 1 : parseWholeNumber('--seed', values.seed, SEED_RANGE),
    ...(values.seats !== undefined && { seats: parseWholeNumber('--seats', values.seats) }),
    concurrency: values.concurrency === undefined ? DEFAULT_CONCURRENCY : parseWholeNumber('--concurrency', values.concurrency),
    timeoutSeconds: values.timeout === undefined ? profile.drainTimeoutSeconds : parseWholeNumber('--timeout', values.timeout),
    ...(values.report !== undefined && { reportFile: nonEmpty('--report', values.report) }),
  };
};

/** chaos-mild-seed7-20261207T041500Z.json */
export const defaultReportFile = (profile: string, seed: number, startedAt: Date): string =>
  join(DEFAULT_REPORT_DIR, `chaos-${profile}-seed${seed}-${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}.json`);

export const main = defineCommand({
  usage: USAGE,
  failure: 'an invariant fails or the run cannot finish',
  options: CHAOS_OPTIONS,
  run: async (flags, io) => {
    const args = chaosArgumentsOf(flags);
    const reportFile = resolve(args.reportFile ?? defaultReportFile(args.profile.name, args.seed, new Date()));
    const report = await runChaos({
      profile: args.profile,
      purchases: args.purchases,
      seed: args.seed,
      ...(args.seats !== undefined && { seats: args.seats }),
      concurrency: args.concurrency,
      timeoutSeconds: args.timeoutSeconds,
      log: (line) => writeLine(io.stderr, `[chaos] ${line}`),
    });
    mkdirSync(dirname(reportFile), { recursive: true });
    writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    io.stdout.write(renderChaosReport(report, reportFile));
    return report.ok ? EXIT.ok : EXIT.failed;
  },
});

// Ctrl-C or a kill ends the run through process.exit, so the runtime's child processes are stopped with it;
// its clients and child processes may keep the event loop alive, so the exit code is the end.
runIfInvoked('chaos', main, { exitProcess: true });
