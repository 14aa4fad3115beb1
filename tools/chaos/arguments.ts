import { join } from 'node:path';
import { DEFAULT_DATA_DIR } from '#local/data-dir';
import { parseFlags, parseWholeNumber, UsageError } from '#tools/lib/command-line';
import { FAULT_KINDS } from './chaos-settings.ts';
import { CHAOS_PROFILE_NAMES, CHAOS_PROFILES, type ChaosProfile, type ChaosProfileName } from './profiles.ts';

/** The command line of `npm run chaos`. */

const DEFAULT_CONCURRENCY = 100;
export const DEFAULT_REPORT_DIR = join(DEFAULT_DATA_DIR, 'chaos');

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

export const CHAOS_USAGE = `Usage: npm run chaos -- [--purchases N] [--seed S] [--profile mild|harsh] [--report FILE]
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

Fault kinds: ${FAULT_KINDS.join(', ')}.

Exits 0 when every invariant holds, 1 when one fails (or the run could not
finish), 2 on bad arguments.`;

export interface ChaosArguments {
  readonly help: boolean;
  readonly profile: ChaosProfile;
  readonly purchases: number;
  readonly seed: number;
  readonly seats?: number;
  readonly concurrency: number;
  readonly timeoutSeconds: number;
  /** undefined: the default file, named once the run starts. */
  readonly reportFile?: string;
}

const isProfileName = (name: string): name is ChaosProfileName => (CHAOS_PROFILE_NAMES as readonly string[]).includes(name);

const parseSeed = (value: string): number => {
  if (!/^-?\d{1,9}$/.test(value)) throw new UsageError(`--seed must be a whole number, got "${value}"`);
  return Number(value);
};

export const parseChaosArguments = (argv: readonly string[]): ChaosArguments => {
  const { values, positionals } = parseFlags(argv, {
    purchases: { type: 'string' },
    seed: { type: 'string' },
    profile: { type: 'string' },
    report: { type: 'string' },
    seats: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0] ?? ''}`);
  const profileName = values.profile ?? 'mild';
  if (!isProfileName(profileName)) throw new UsageError(`--profile must be one of ${CHAOS_PROFILE_NAMES.join(', ')}, got "${profileName}"`);
  const profile = CHAOS_PROFILES[profileName];
  if (values.report !== undefined && values.report.trim() === '') throw new UsageError('--report is empty');
  return {
    help: values.help ?? false,
    profile,
    purchases: values.purchases === undefined ? profile.defaultPurchases : parseWholeNumber('purchases', values.purchases),
    seed: values.seed === undefined ? 1 : parseSeed(values.seed),
    ...(values.seats !== undefined && { seats: parseWholeNumber('seats', values.seats) }),
    concurrency: values.concurrency === undefined ? DEFAULT_CONCURRENCY : parseWholeNumber('concurrency', values.concurrency),
    timeoutSeconds: values.timeout === undefined ? profile.drainTimeoutSeconds : parseWholeNumber('timeout', values.timeout),
    ...(values.report !== undefined && { reportFile: values.report }),
  };
};

/** chaos-mild-seed7-20261207T041500Z.json */
export const defaultReportFile = (profile: string, seed: number, startedAt: Date): string =>
  join(DEFAULT_REPORT_DIR, `chaos-${profile}-seed${seed}-${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}.json`);
