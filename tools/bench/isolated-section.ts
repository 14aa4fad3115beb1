import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Writer } from '#tools/lib/command-line';
import type { Section } from './figures.ts';
import { readBenchReport, type BenchReport } from './report-file.ts';

/**
 * A section run by `npm run bench` in a process of its own, for a figure the
 * bench process itself would distort: the peak memory of the large run
 * counts the whole process tree, and a process that already ran other
 * sections keeps hundreds of MiB of heap it no longer uses. The child is the
 * same command with `--only <section>`; its figures come back through its
 * JSON file, its progress lines through stderr.
 */

const REPOSITORY_ROOT = resolve(__dirname, '..', '..');
const BENCH_SCRIPT = join(REPOSITORY_ROOT, 'tools', 'bench.ts');

export const runSectionInChild = async (section: Section, args: readonly string[], stderr: Writer): Promise<BenchReport> => {
  const directory = mkdtempSync(join(tmpdir(), 'ticket-saga-bench-'));
  const jsonPath = join(directory, `${section}.json`);
  try {
    // Not detached: a Ctrl-C reaches the child with the rest of the foreground process group.
    const child = spawn(process.execPath, ['--import', 'tsx', BENCH_SCRIPT, '--only', section, ...args, '--json', jsonPath], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.write(chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolveExit, reject) => {
      child.once('error', reject);
      child.once('exit', resolveExit);
    });
    // Exit 1 with a report is a broken invariant, which the report says; no report is a run that did not finish.
    if (!existsSync(jsonPath)) throw new Error(`the ${section} section's process ended with code ${code} and no report`);
    return readBenchReport(jsonPath);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
};
