import { defineCommand, EXIT, runIfInvoked, writeLine, type Io } from '#tools/lib/command-line';
import { DEFAULT_FUNCTION_CONCURRENCY } from '#local/index';
import { runOnsale, type OnsaleReport } from '#tools/onsale/run-onsale';
import { bundleFigures, renderBundleContents } from './bench/bundle-figures.ts';
import { measureBundles } from './bench/bundles.ts';
import { burstFigures, runBurst } from './bench/burst.ts';
import type { Figure, InvariantOutcome, Section } from './bench/figures.ts';
import { runSectionInChild } from './bench/isolated-section.ts';
import { invariantOutcomesOf, largeFigures, onsaleFigures } from './bench/onsale-figures.ts';
import { BENCH_DEFAULTS, BENCH_OPTIONS, benchOptionsOf, type BenchOptions } from './bench/options.ts';
import { defaultReportPath, readBenchReport, reportOf, writeBenchReport } from './bench/report-file.ts';
import { differingOptions, renderBenchTable, renderComparison } from './bench/table.ts';
import { functionWriteConcurrencies, measureWriteBound, type WriteBound } from './bench/write-bound.ts';
import { LEDGER_PROBES, renderLedger, writesFigures } from './bench/write-ledger.ts';
import { probeWrites } from './bench/writes-probe.ts';

/**
 * `npm run bench`: every performance figure of the project in one run, each
 * beside the bound it is judged against, measured in the same run where it
 * is a bound of this machine. It prints figures and never fails on a time:
 * exit 1 means an invariant broke or a run could not finish.
 */

const USAGE = `Usage: npm run bench -- [--only SECTIONS] [--json FILE] [--compare OLD.json [NEW.json]] [sizes...]

Sections, in the order they run (default: all):
  bundles   each function's bundle: bytes, and import time in a fresh node with
            its template environment against a bare node -e 0 (median of --runs)
  writes    DynamoDB item writes of one purchase on each path, measured and
            justified write by write
  onsale    the DynamoDB Local write bound (conditional writes/s at the
            functions' concurrency, same DynamoDB Local), then an on-sale's
            purchases/s as a share of bound / writes per purchase
  burst     POST /purchases under a burst: accepted/s, p50, p99, max latency, errors
  large     a large on-sale end to end: elapsed, purchases/s, peak memory, invariants

  --only LIST             comma-separated sections, e.g. bundles,onsale
  --runs N                import timings per function (default ${BENCH_DEFAULTS.runs})
  --onsale-buyers N       buyers of the on-sale figure (default ${BENCH_DEFAULTS.onsaleBuyers})
  --onsale-seats N        its seats (default ${BENCH_DEFAULTS.onsaleSeats})
  --large-buyers N        buyers of the large run (default ${BENCH_DEFAULTS.largeBuyers})
  --large-seats N         its seats (default ${BENCH_DEFAULTS.largeSeats})
  --burst-requests N      requests of the burst (default ${BENCH_DEFAULTS.burstRequests})
  --burst-concurrency C   burst requests in flight (default ${BENCH_DEFAULTS.burstConcurrency})
  --concurrency C         on-sale requests in flight (default ${BENCH_DEFAULTS.concurrency})
  --bound-seconds S       seconds of the write bound at each concurrency (default ${BENCH_DEFAULTS.boundSeconds})
  --seed N                seed of the buyers' choices (default ${BENCH_DEFAULTS.seed})
  --timeout S             give up waiting for an on-sale to end after S seconds (default ${BENCH_DEFAULTS.timeoutSeconds})
  --json FILE             where the run's JSON goes (default reports/bench/<time>.json)
  --compare OLD.json      after the run, each figure's ratio to OLD's; with a
                          second file NEW.json, compare the two and run nothing

Progress goes to stderr, the table to stdout.`;

interface Collected {
  figures: Figure[];
  invariants: InvariantOutcome[];
  appendix: Partial<Record<Section, string>>;
}

const onsaleWithBound = async (options: BenchOptions, sizes: { buyers: number; seats: number }, log: (line: string) => void, measureBound: boolean) => {
  let bound: WriteBound | undefined;
  const report: OnsaleReport = await runOnsale({
    ...sizes,
    concurrency: options.concurrency,
    seed: options.seed,
    timeoutSeconds: options.timeoutSeconds,
    log,
    ...(measureBound && {
      onRuntimeStarted: async (runtime) => {
        bound = await measureWriteBound({
          // The functions' endpoint (the write-counting proxy in front of DynamoDB Local): the path their writes take.
          endpoint: runtime.functionEndpoints.dynamodb ?? runtime.info.endpoints.dynamodb,
          concurrencies: functionWriteConcurrencies(runtime.app, DEFAULT_FUNCTION_CONCURRENCY),
          secondsPerLevel: options.boundSeconds,
          log,
        });
      },
    }),
  });
  return { report, bound };
};

/** The flags of the large run alone, for the process it runs in. */
const largeArgsOf = (options: BenchOptions): string[] => [
  ...['--large-buyers', String(options.large.buyers), '--large-seats', String(options.large.seats)],
  ...['--concurrency', String(options.concurrency), '--seed', String(options.seed), '--timeout', String(options.timeoutSeconds)],
];

const runSections = async (options: BenchOptions, io: Io): Promise<Collected> => {
  const collected: Collected = { figures: [], invariants: [], appendix: {} };
  const progress = (section: string) => (line: string) => writeLine(io.stderr, `[bench ${section}] ${line}`);
  for (const section of options.sections) {
    const log = progress(section);
    log('starting');
    switch (section) {
      case 'bundles': {
        const bundles = await measureBundles({ runs: options.runs, onProgress: log });
        collected.figures.push(...bundleFigures(bundles, options.runs));
        collected.appendix.bundles = renderBundleContents(bundles);
        break;
      }
      case 'writes': {
        const results = await probeWrites(LEDGER_PROBES, log);
        collected.figures.push(...writesFigures(results));
        collected.appendix.writes = renderLedger(results);
        break;
      }
      case 'onsale': {
        const { report, bound } = await onsaleWithBound(options, options.onsale, log, true);
        if (!bound) throw new Error('the on-sale ran without measuring the write bound');
        collected.figures.push(...onsaleFigures(report, bound, DEFAULT_FUNCTION_CONCURRENCY));
        collected.invariants.push(...invariantOutcomesOf('onsale', report));
        break;
      }
      case 'burst': {
        const result = await runBurst({ requests: options.burst.requests, seats: options.onsale.seats, concurrency: options.burst.concurrency, seed: options.seed, log });
        collected.figures.push(...burstFigures(result, options.burst.concurrency));
        break;
      }
      case 'large': {
        if (options.sections.length > 1) {
          const child = await runSectionInChild('large', largeArgsOf(options), io.stderr);
          collected.figures.push(...child.figures);
          collected.invariants.push(...child.invariants);
          break;
        }
        const { report } = await onsaleWithBound(options, options.large, log, false);
        collected.figures.push(...largeFigures(report));
        collected.invariants.push(...invariantOutcomesOf('large', report));
        break;
      }
    }
  }
  return collected;
};

/** Which sections ran already shows as figures only one run has. */
const sizesThatDiffer = (older: Readonly<Record<string, unknown>>, newer: Readonly<Record<string, unknown>>): string[] =>
  differingOptions(older, newer).filter((option) => option !== 'sections');

const compareFiles = (olderPath: string, newerPath: string, io: Io): number => {
  const older = readBenchReport(olderPath);
  const newer = readBenchReport(newerPath);
  io.stdout.write(renderComparison(older.figures, newer.figures, { older: `${olderPath} (${older.startedAt})`, newer: newerPath }, sizesThatDiffer(older.options, newer.options)));
  return EXIT.ok;
};

export const main = defineCommand({
  usage: USAGE,
  failure: 'an invariant fails or a section cannot finish',
  options: BENCH_OPTIONS,
  run: async (flags, io) => {
    const options = benchOptionsOf(flags);
    if (options.compare !== undefined && options.compareWith !== undefined) return compareFiles(options.compare, options.compareWith, io);
    // Read before minutes of running: a wrong path should not cost the run.
    const older = options.compare === undefined ? undefined : readBenchReport(options.compare);
    const startedAt = new Date();
    const { figures, invariants, appendix } = await runSections(options, io);
    const jsonPath = options.json ?? defaultReportPath(startedAt);
    const { compare: _compare, compareWith: _compareWith, json: _json, ...recorded } = options;
    writeBenchReport(jsonPath, reportOf({ startedAt, options: recorded, figures, invariants }));
    io.stdout.write(renderBenchTable(figures, invariants, appendix));
    if (older && options.compare !== undefined) {
      const names = { older: `${options.compare} (${older.startedAt})`, newer: 'this run' };
      io.stdout.write(renderComparison(older.figures, figures, names, sizesThatDiffer(older.options, recorded)));
    }
    writeLine(io.stdout, `JSON: ${jsonPath}`);
    return invariants.every((i) => i.ok) ? EXIT.ok : EXIT.failed;
  },
});

// The in-memory runtimes' clients and child processes may keep the event loop alive: the exit code is the end.
runIfInvoked('bench', main, { exitProcess: true });
