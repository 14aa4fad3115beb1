import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * `tsx tools/mutation-score.ts [report.json]`, run by `npm run test:mutation`
 * after Stryker: prints the mutation score of each mutated folder from
 * Stryker's JSON report (the mutation-testing-report-schema format), with the
 * bound the folders that keep the saga's invariants must reach. It reports and
 * never fails: CI runs `npm test`, not this.
 */
const DEFAULT_REPORT = 'reports/mutation/mutation.json';
const FOLDERS = ['domain', 'handlers', 'workflows', 'events'] as const;
/** domain/ and workflows/ keep the invariants (seat conditions, ledger, Retry and Catch): they must reach this score. */
const BOUNDS: Partial<Record<(typeof FOLDERS)[number], number>> = { domain: 85, workflows: 85 };

const reportSchema = z.object({
  files: z.record(z.string(), z.object({ mutants: z.array(z.object({ status: z.string() })) })),
});

interface Tally {
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
}

const emptyTally = (): Tally => ({ killed: 0, survived: 0, noCoverage: 0, timeout: 0 });

/** Stryker's score: detected (killed or timed out) over valid mutants; compile and runtime errors and ignored mutants do not count. */
const scoreOf = (tally: Tally): number | undefined => {
  const detected = tally.killed + tally.timeout;
  const valid = detected + tally.survived + tally.noCoverage;
  return valid === 0 ? undefined : (100 * detected) / valid;
};

const tallyByFolder = (report: z.infer<typeof reportSchema>): Map<string, Tally> => {
  const tallies = new Map<string, Tally>(FOLDERS.map((folder) => [folder, emptyTally()]));
  for (const [fileName, file] of Object.entries(report.files)) {
    const tally = tallies.get(fileName.split(/[\\/]/)[0] ?? '');
    if (!tally) continue;
    for (const { status } of file.mutants) {
      if (status === 'Killed') tally.killed += 1;
      else if (status === 'Survived') tally.survived += 1;
      else if (status === 'NoCoverage') tally.noCoverage += 1;
      else if (status === 'Timeout') tally.timeout += 1;
    }
  }
  return tallies;
};

const sumOf = (tallies: Iterable<Tally>): Tally => {
  const total = emptyTally();
  for (const tally of tallies) {
    total.killed += tally.killed;
    total.survived += tally.survived;
    total.noCoverage += tally.noCoverage;
    total.timeout += tally.timeout;
  }
  return total;
};

const formatTable = (tallies: Map<string, Tally>): string => {
  const rows = [...tallies].map(([folder, tally]) => row(folder, tally, BOUNDS[folder as (typeof FOLDERS)[number]]));
  const total = sumOf(tallies.values());
  const header = ['folder', 'killed', 'survived', 'no coverage', 'timeout', 'score', 'bound'];
  const lines = [header, ...rows, row('all', total, undefined)];
  const widths = header.map((_, column) => Math.max(...lines.map((line) => line[column]?.length ?? 0)));
  return lines.map((line) => line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')).join('\n');
};

const row = (folder: string, tally: Tally, bound: number | undefined): string[] => {
  const score = scoreOf(tally);
  const boundCell = bound === undefined ? '' : `${score !== undefined && score >= bound ? '>=' : '< '} ${bound} %`;
  return [folder, String(tally.killed), String(tally.survived), String(tally.noCoverage), String(tally.timeout), score === undefined ? 'n/a' : `${score.toFixed(2)} %`, boundCell];
};

const reportPath = process.argv[2] ?? DEFAULT_REPORT;
try {
  const report = reportSchema.parse(JSON.parse(readFileSync(reportPath, 'utf8')));
  process.stdout.write(`\nMutation score per folder (${reportPath}):\n${formatTable(tallyByFolder(report))}\n`);
} catch (error) {
  process.stderr.write(`Cannot read the mutation report ${reportPath}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
