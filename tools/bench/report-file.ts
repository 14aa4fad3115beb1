import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SECTIONS, type Figure, type InvariantOutcome } from './figures.ts';

/**
 * One run of `npm run bench` as a JSON file, so that two runs (before and
 * after a change, or on two machines) can be compared figure by figure.
 */

const DEFAULT_REPORT_DIR = join('reports', 'bench');

const unitSchema = z.enum(['bytes', 'ms', 'per-second', 'count', 'writes', 'MiB', 'percent']);
const sectionSchema = z.enum(SECTIONS);

const figureSchema = z.object({
  id: z.string(),
  section: sectionSchema,
  label: z.string(),
  // JSON has no NaN: a figure that could not be measured is written as null.
  value: z.number().nullable().transform((v) => v ?? Number.NaN),
  unit: unitSchema,
  reference: z.object({ value: z.number().nullable().transform((v) => v ?? Number.NaN), label: z.string() }).optional(),
  target: z.object({ op: z.enum(['<=', '>=']), ratio: z.number() }).optional(),
  note: z.string().optional(),
});

const invariantSchema = z.object({ section: sectionSchema, invariant: z.number(), name: z.string(), ok: z.boolean(), detail: z.string() });

const benchReportSchema = z.object({
  schema: z.literal('ticket-saga/bench@1'),
  startedAt: z.string(),
  machine: z.object({ node: z.string(), platform: z.string(), cpus: z.number(), cpuModel: z.string(), memoryBytes: z.number() }),
  options: z.record(z.string(), z.unknown()),
  figures: z.array(figureSchema),
  invariants: z.array(invariantSchema),
});

export type BenchReport = z.infer<typeof benchReportSchema>;

const machineOf = (): BenchReport['machine'] => ({
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryBytes: totalmem(),
});

/** `reports/bench/2026-12-07T14-30-00Z.json`: sortable, and valid as a file name everywhere. */
export const defaultReportPath = (startedAt: Date): string => join(DEFAULT_REPORT_DIR, `${startedAt.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}.json`);

export interface BenchRun {
  readonly startedAt: Date;
  readonly options: Record<string, unknown>;
  readonly figures: readonly Figure[];
  readonly invariants: readonly InvariantOutcome[];
}

export const reportOf = (run: BenchRun): BenchReport => ({
  schema: 'ticket-saga/bench@1',
  startedAt: run.startedAt.toISOString(),
  machine: machineOf(),
  options: run.options,
  figures: [...run.figures],
  invariants: [...run.invariants],
});

export const writeBenchReport = (path: string, report: BenchReport): void => {
  mkdirSync(dirname(path), { recursive: true });
  // NaN becomes null through JSON.stringify, which the schema reads back as NaN.
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
};

export const readBenchReport = (path: string): BenchReport => benchReportSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
