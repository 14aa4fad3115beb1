import type { InvariantResult } from '#tools/onsale/invariants';
import { FAULT_KINDS, type FaultKind, type InjectedFaults } from './chaos-settings.ts';
import type { DeadLettersLeft } from './dead-letters-left.ts';
import type { ChaosProfile, KillPoint } from './profiles.ts';

/** What a chaos run found, as JSON (so two runs can be compared) and as the text it prints. */

export interface ChaosReport {
  readonly profile: ChaosProfile['name'];
  readonly seed: number;
  readonly startedAt: string;
  readonly runtime: { readonly mode: 'in-process' | 'child'; readonly dataDir?: string };
  readonly planned: { readonly purchases: number; readonly badRequests: number; readonly seats: number };
  /** Per fault kind: its rate and how many the runtime injected (null when it kept no count). */
  readonly faults: Readonly<Record<FaultKind, { readonly rate: number; readonly injected: number | null }>>;
  readonly kills: ReadonlyArray<KillPoint & { readonly atMs: number }>;
  readonly outcomes: {
    readonly accepted: number;
    /** Good requests answered other than 202, by status. */
    readonly rejected: Readonly<Record<string, number>>;
    readonly confirmed: number;
    readonly failedByReason: Readonly<Record<string, number>>;
    readonly notTerminal: number;
    readonly badInput: { readonly sent: number; readonly refused: number; readonly byKind: Readonly<Record<string, { sent: number; refused: number; statuses: Record<string, number> }>> };
    readonly executions: Readonly<Record<string, number>>;
    readonly seatsSold: number;
    /** Left for a person at the end of the run. */
    readonly deadLetters: DeadLettersLeft;
  };
  readonly elapsedMs: number;
  readonly acceptedAfterMs: number;
  readonly purchasesPerSecond: number;
  readonly invariants: readonly InvariantResult[];
  readonly ok: boolean;
}

export const faultTableOf = (rates: Partial<Record<FaultKind, number>>, injected: InjectedFaults | undefined): ChaosReport['faults'] =>
  Object.fromEntries(FAULT_KINDS.map((kind) => [kind, { rate: rates[kind] ?? 0, injected: injected ? (injected[kind] ?? 0) : null }])) as ChaosReport['faults'];

const counts = (record: Readonly<Record<string, number>>) =>
  Object.entries(record)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');

const deadLettersLine = ({ purchaseQueue, busRuleTargets }: DeadLettersLeft): string =>
  purchaseQueue + busRuleTargets === 0
    ? 'none'
    : `purchase queue ${purchaseQueue}, the bus's rule targets ${busRuleTargets}: for a person (npm run dlq -- list; npm run replay of their window)`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const renderChaosReport = (report: ChaosReport, reportFile: string): string => {
  const { outcomes } = report;
  const failed = Object.values(outcomes.failedByReason).reduce((sum, n) => sum + n, 0);
  const counted = Object.values(report.faults).some((fault) => fault.injected !== null);
  const lines = [
    '',
    `Chaos on-sale: profile ${report.profile}, seed ${report.seed}, runtime ${report.runtime.mode}${report.runtime.dataDir ? ` (${report.runtime.dataDir})` : ''}`,
    '',
    `Faults injected${counted ? '' : ' (the runtime kept no count: it does not apply chaos settings)'}`,
    ...Object.entries(report.faults).map(([kind, fault]) => `  ${kind.padEnd(38)} ${String(fault.injected ?? '-').padStart(7)}   (rate ${(fault.rate * 100).toFixed(1)}%)`),
    ...(report.kills.length > 0
      ? [`  ${'whole stack SIGKILLed and restarted'.padEnd(38)} ${String(report.kills.length).padStart(7)}   (${report.kills.map((kill) => `${kill.phase} ${Math.round(kill.atShare * 100)}% at ${seconds(kill.atMs)}`).join(', ')})`]
      : []),
    '',
    'Outcomes',
    `  good requests        ${report.planned.purchases}`,
    `  accepted (202)       ${outcomes.accepted}${Object.keys(outcomes.rejected).length ? `  (not accepted: ${counts(outcomes.rejected)})` : ''}`,
    `  confirmed            ${outcomes.confirmed}`,
    `  failed               ${failed}${failed ? `  (${counts(outcomes.failedByReason)})` : ''}`,
    ...(outcomes.notTerminal ? [`  not terminal         ${outcomes.notTerminal}`] : []),
    `  bad input refused    ${outcomes.badInput.refused} of ${outcomes.badInput.sent} with a 4xx  (${Object.entries(outcomes.badInput.byKind)
      .map(([kind, k]) => `${kind} ${k.refused}/${k.sent}`)
      .join(', ')})`,
    `  executions           ${counts(outcomes.executions) || 'none'}`,
    `  seats sold           ${outcomes.seatsSold} of ${report.planned.seats}`,
    `  dead letters left    ${deadLettersLine(outcomes.deadLetters)}`,
    `  elapsed              ${seconds(report.elapsedMs)} (all requests answered after ${seconds(report.acceptedAfterMs)})`,
    `  throughput           ${report.purchasesPerSecond.toFixed(1)} purchases/s`,
    '',
    'Invariants (DESIGN.md)',
    ...report.invariants.map((result) => `  ${result.ok ? 'PASS' : 'FAIL'}  ${result.invariant}. ${result.name}: ${result.detail}`),
    '',
    `Report: ${reportFile}`,
    '',
  ];
  return lines.join('\n');
};
