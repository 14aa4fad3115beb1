import { OUTCOMES } from '#workflows/purchase-saga';
import type { ExecutionLine } from './list-executions.ts';
import { needsAPerson } from './needs-a-person.ts';
import { describeSagaOutcome } from './saga-outcome.ts';
import { formatTable } from './text-table.ts';
import { formatDuration } from './times.ts';

/** A rejected purchase and a confirmed one are both SUCCEEDED: the outcome tells them apart, and who must act. */
const outcomeText = (line: ExecutionLine): string => {
  if (line.outcome) return describeSagaOutcome(line.outcome);
  return needsAPerson(line.status) ? 'NEEDS A PERSON' : '-';
};

const stepText = (line: ExecutionLine): string => {
  const step = line.step ?? (line.outcome?.outcome === OUTCOMES.failed ? line.outcome.failedStep : undefined);
  return step ? `${step}${line.error ? `: ${line.error}` : ''}` : '-';
};

/** One line an execution; a header, so the columns read without a legend. */
export const renderExecutions = (lines: readonly ExecutionLine[]): string => {
  if (lines.length === 0) return 'no executions match\n';
  const rows = lines.map((line) => [line.purchaseId, line.status, outcomeText(line), line.startedAt.toISOString(), formatDuration(line.durationMs), stepText(line)]);
  return `${formatTable([['PURCHASE', 'STATUS', 'OUTCOME', 'STARTED (UTC)', 'DURATION', 'STEP'], ...rows]).join('\n')}\n`;
};
