import type { RedriveOutcome } from './redrive-executions.ts';
import { formatClock } from './times.ts';

export const renderRedriveOutcome = (outcome: RedriveOutcome): string => {
  if (outcome.result === 'skipped') return `skipped       ${outcome.decision.purchaseId}: ${outcome.decision.reason}\n`;
  const { decision } = outcome;
  const why = `${decision.error ? ` (${decision.error})` : ''}${decision.resumesAt ? `, resumes at ${decision.resumesAt}` : ''}`;
  switch (outcome.result) {
    case 'redriven':
      return `redriven      ${decision.purchaseId}${why}${outcome.redrivenAt ? ` at ${formatClock(outcome.redrivenAt)} UTC` : ''}\n`;
    case 'would-redrive':
      return `would redrive ${decision.purchaseId}${why}\n`;
    case 'error':
      return `error         ${decision.purchaseId}${why}: ${outcome.message}\n`;
  }
};

const countsByName = (names: readonly string[]): string => {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${count} ${name}`).join(', ');
};

/** The last line: what was done, what was skipped and why, what failed. */
export const renderRedriveSummary = (outcomes: readonly RedriveOutcome[], dryRun: boolean): string => {
  const done = outcomes.filter((o) => o.result === 'redriven' || o.result === 'would-redrive').length;
  const skippedKinds = outcomes.flatMap((o) => (o.result === 'skipped' ? [o.decision.kind] : []));
  const errors = outcomes.filter((o) => o.result === 'error').length;
  const skippedText = skippedKinds.length ? ` (${countsByName(skippedKinds)})` : '';
  return `${dryRun ? 'would redrive' : 'redriven'} ${done}, skipped ${skippedKinds.length}${skippedText}, errors ${errors}${dryRun ? ' (dry run: nothing changed)' : ''}\n`;
};
