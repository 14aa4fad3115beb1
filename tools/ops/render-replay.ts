import type { ReplayStatus } from './ports.ts';
import type { ReplayPlan, ReplayResult } from './replay-archive.ts';
import { formatClock, formatDuration } from './times.ts';

const windowText = (plan: ReplayPlan) => `${plan.from.toISOString()} to ${plan.to.toISOString()}`;

export const renderReplayPlan = (plan: ReplayPlan, dryRun: boolean): string => {
  const lines = [
    dryRun ? 'Dry run: nothing is replayed. A replay would send' : `Replay ${plan.name} sends`,
    `  events of  ${plan.detailType ?? 'every detail-type'}`,
    `  archived   ${windowText(plan)}`,
    `  from       archive ${plan.archiveName} (${plan.archiveArn})`,
    `  into       bus ${plan.busName}, ${plan.rules.length} rule${plan.rules.length === 1 ? '' : 's'}:`,
    ...plan.rules.map((rule) => `               ${rule.name}`),
    ...(plan.skipped.length ? ['  skipped rules:', ...plan.skipped.map((rule) => `               ${rule.name}: ${rule.reason}`)] : []),
    ...(plan.eventsInWindow === undefined ? [] : [`  ${plan.eventsInWindow} archived event${plan.eventsInWindow === 1 ? '' : 's'} in the window`]),
  ];
  return `${lines.join('\n')}\n`;
};

export const renderReplayProgress = (status: ReplayStatus): string =>
  `  ${status.state}${status.lastReplayedAt ? `  last replayed event ${formatClock(status.lastReplayedAt)} UTC` : ''}\n`;

export const renderReplayResult = (plan: ReplayPlan, result: ReplayResult): string => {
  if (result.timedOut) {
    return (
      `replay ${plan.name} is still ${result.state} after ${formatDuration(result.durationMs)}: it goes on without this command; ` +
      `follow it with aws events describe-replay --replay-name ${plan.name}\n`
    );
  }
  const reason = result.stateReason ? ` (${result.stateReason})` : '';
  return `replay ${plan.name} ${result.state}${reason} in ${formatDuration(result.durationMs)}: ${windowText(plan)} into ${plan.rules.map((r) => r.name).join(', ')}\n`;
};
