import { parseChoice, parseWholeNumber, UsageError, type Flags, type Options } from '#tools/lib/command-line';
import { SECTIONS, type Section } from './figures.ts';

/** The flags of `npm run bench` and the run they ask for, checked before anything starts. */

export const BENCH_DEFAULTS = {
  runs: 5,
  onsaleBuyers: 2_000,
  onsaleSeats: 500,
  largeBuyers: 10_000,
  largeSeats: 1_000,
  burstRequests: 2_000,
  burstConcurrency: 100,
  concurrency: 100,
  boundSeconds: 3,
  seed: 1,
  timeoutSeconds: 3_600,
} as const;

export const BENCH_OPTIONS = {
  only: { type: 'string' },
  runs: { type: 'string' },
  'onsale-buyers': { type: 'string' },
  'onsale-seats': { type: 'string' },
  'large-buyers': { type: 'string' },
  'large-seats': { type: 'string' },
  'burst-requests': { type: 'string' },
  'burst-concurrency': { type: 'string' },
  concurrency: { type: 'string' },
  'bound-seconds': { type: 'string' },
  seed: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'string' },
  compare: { type: 'string' },
} as const satisfies Options;

export interface BenchOptions {
  readonly sections: readonly Section[];
  readonly runs: number;
  readonly onsale: { readonly buyers: number; readonly seats: number };
  readonly large: { readonly buyers: number; readonly seats: number };
  readonly burst: { readonly requests: number; readonly concurrency: number };
  /** Requests in flight during the on-sales, as `npm run onsale --concurrency`. */
  readonly concurrency: number;
  readonly boundSeconds: number;
  readonly seed: number;
  readonly timeoutSeconds: number;
  readonly json?: string;
  readonly compare?: string;
  /** With --compare: a second report to compare with it instead of running. */
  readonly compareWith?: string;
}

/** "bundles,onsale" as sections, in the order the bench runs them. */
const parseSections = (text: string): Section[] => {
  const asked = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (asked.length === 0) throw new UsageError(`--only needs at least one of ${SECTIONS.join(', ')}`);
  const chosen = new Set(asked.map((part) => parseChoice('--only', part, SECTIONS)));
  return SECTIONS.filter((section) => chosen.has(section));
};

export const benchOptionsOf = ({ values, positionals }: Pick<Flags<typeof BENCH_OPTIONS>, 'values' | 'positionals'>): BenchOptions => {
  const number = (flag: keyof typeof BENCH_OPTIONS, fallback: number, max: number, min = 1) => {
    const text = values[flag];
    return typeof text === 'string' ? parseWholeNumber(`--${flag}`, text, { min, max }) : fallback;
  };
  if (positionals.length > 1 || (positionals.length === 1 && values.compare === undefined)) {
    throw new UsageError(`unexpected argument "${positionals[values.compare === undefined ? 0 : 1]}"`);
  }
  const [compareWith] = positionals;
  return {
    sections: values.only === undefined ? [...SECTIONS] : parseSections(values.only),
    runs: number('runs', BENCH_DEFAULTS.runs, 50),
    onsale: { buyers: number('onsale-buyers', BENCH_DEFAULTS.onsaleBuyers, 100_000), seats: number('onsale-seats', BENCH_DEFAULTS.onsaleSeats, 10_000) },
    large: { buyers: number('large-buyers', BENCH_DEFAULTS.largeBuyers, 100_000), seats: number('large-seats', BENCH_DEFAULTS.largeSeats, 10_000) },
    burst: { requests: number('burst-requests', BENCH_DEFAULTS.burstRequests, 100_000), concurrency: number('burst-concurrency', BENCH_DEFAULTS.burstConcurrency, 1_000) },
    concurrency: number('concurrency', BENCH_DEFAULTS.concurrency, 1_000),
    boundSeconds: number('bound-seconds', BENCH_DEFAULTS.boundSeconds, 60),
    seed: number('seed', BENCH_DEFAULTS.seed, 999_999_999, -999_999_999),
    timeoutSeconds: number('timeout', BENCH_DEFAULTS.timeoutSeconds, 86_400, 10),
    ...(values.json !== undefined && { json: values.json }),
    ...(values.compare !== undefined && { compare: values.compare }),
    ...(compareWith !== undefined && { compareWith }),
  };
};
