import type { ExecutionLine } from './list-executions.ts';
import { formatTable } from './text-table.ts';
import { formatDuration } from './times.ts';

const stepText = (line: ExecutionLine): string =>
  [line.step && `${line.step}${line.error ? `: ${line.error}` : ''}`, line.endedIn && `-> ${line.endedIn}`].filter(Boolean).join(' ');

/** One line an execution; a header, so the columns read without a legend. */
export const renderExecutions = (lines: readonly ExecutionLine[]): string => {
  if (lines.length === 0) return 'no executions match\n';
  const rows = lines.map((line) => [line.purchaseId, line.status, line.startedAt.toISOString(), formatDuration(line.durationMs), stepText(line) || '-']);
  return `${formatTable([['PURCHASE', 'STATUS', 'STARTED (UTC)', 'DURATION', 'STEP'], ...rows]).join('\n')}\n`;
};
