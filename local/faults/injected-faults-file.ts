import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FAULT_KINDS, noFaults, type FaultKind } from './chaos-settings.ts';

/**
 * The faults injected on one data folder, cumulative across restarts of the
 * runtime: `<dataDir>/chaos/injected.json`, an object with a count per
 * fault kind. A tool that kills the runtime and starts it again reads the
 * totals here. The file is rewritten every second and on stop, so after a
 * SIGKILL the counts of the last second before it may be missing.
 */

export const INJECTED_FAULTS_FILE = 'injected.json';
/** How often the counts reach the file while the runtime runs. */
const INJECTED_FAULTS_FLUSH_MS = 1000;

const countsSchema = z.partialRecord(z.enum(FAULT_KINDS), z.number().int().min(0));

const injectedFaultsFile = (chaosDir: string) => join(chaosDir, INJECTED_FAULTS_FILE);

/** The totals in the folder's file; zero for every kind when there is no file yet. */
export const readInjectedFaults = (chaosDir: string): Record<FaultKind, number> => {
  let text: string;
  try {
    text = readFileSync(injectedFaultsFile(chaosDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return noFaults();
    throw error;
  }
  return { ...noFaults(), ...countsSchema.parse(JSON.parse(text)) };
};

const sum = (a: Record<FaultKind, number>, b: Record<FaultKind, number>) =>
  Object.fromEntries(FAULT_KINDS.map((kind) => [kind, a[kind] + b[kind]])) as Record<FaultKind, number>;

export interface InjectedFaultsRecorder {
  /** Writes the totals now. */
  flush(): void;
  /** Writes the totals a last time and stops the periodic writes. */
  stop(): void;
}

/** Adds what `counts` returns (this process's counts) to the folder's earlier totals, and keeps the file current. */
export const recordInjectedFaults = (chaosDir: string, counts: () => Record<FaultKind, number>): InjectedFaultsRecorder => {
  mkdirSync(chaosDir, { recursive: true });
  const earlier = readInjectedFaults(chaosDir);
  const file = injectedFaultsFile(chaosDir);
  const flush = () => {
    // Written aside, then renamed: a reader, or a kill mid-write, never sees half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, `${JSON.stringify(sum(earlier, counts()), null, 2)}\n`);
    renameSync(partial, file);
  };
  flush();
  const timer = setInterval(flush, INJECTED_FAULTS_FLUSH_MS);
  timer.unref();
  return {
    flush,
    stop: () => {
      clearInterval(timer);
      flush();
    },
  };
};
