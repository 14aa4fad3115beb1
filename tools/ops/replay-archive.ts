import { CommandFailedError } from '#tools/lib/command-line';
import { archiveArnOf, type StackOutputs } from './config.ts';
import { REPLAY_END_STATES, type ArchivePort, type Clock, type ReplayPort, type ReplayStatus, type RuleInfo } from './ports.ts';
import { selectsDetailType, type DetailTypeSelection } from './rule-patterns.ts';

export interface ReplayWindow {
  readonly from: Date;
  readonly to: Date;
  /** Only the rules that select this detail-type receive the replay. */
  readonly detailType?: string;
}

interface SkippedRule {
  readonly name: string;
  readonly reason: string;
}

export interface ReplayPlan extends ReplayWindow {
  readonly name: string;
  readonly description: string;
  readonly archiveName: string;
  readonly archiveArn: string;
  readonly busName: string;
  readonly busArn: string;
  readonly rules: readonly RuleInfo[];
  readonly skipped: readonly SkippedRule[];
  /** Known only where the archive is readable (the local runtime). */
  readonly eventsInWindow?: number;
}


const SKIP_REASONS: Readonly<Record<Exclude<DetailTypeSelection, 'matches'>, (detailType: string) => string>> = {
  excludes: (detailType) => `its pattern does not select ${detailType}`,
  unconstrained: (detailType) => `its pattern has no detail-type filter: it would receive every event type in the window, not only ${detailType}`,
  unknown: () => 'its detail-type filter uses an operator this tool does not evaluate; replay without --detail-type to include it',
};

const skipReason = (rule: RuleInfo, detailType: string | undefined): string | undefined => {
  // The archive's own rule is managed by EventBridge; replayed events are not archived again.
  if (rule.managedBy) return `managed by ${rule.managedBy}`;
  if (rule.state && rule.state !== 'ENABLED') return `state ${rule.state}`;
  if (detailType === undefined) return undefined;
  const selection = selectsDetailType(rule.eventPattern, detailType);
  return selection === 'matches' ? undefined : SKIP_REASONS[selection](detailType);
};

/** What a replay would do; reads only. Fails when no rule would receive the replay. */
export const planReplay = async (
  ports: { readonly replays: ReplayPort; readonly archive?: ArchivePort },
  outputs: StackOutputs,
  window: ReplayWindow,
  name: string,
): Promise<ReplayPlan> => {
  const busName = outputs.EventBusName;
  const rules = await ports.replays.listRules(busName);
  const targets: RuleInfo[] = [];
  const skipped: SkippedRule[] = [];
  for (const rule of rules) {
    const reason = skipReason(rule, window.detailType);
    if (reason) skipped.push({ name: rule.name, reason });
    else targets.push(rule);
  }
  if (targets.length === 0) {
    const why = window.detailType ? `no rule on bus ${busName} selects ${window.detailType}` : `bus ${busName} has no rule to replay into`;
    throw new CommandFailedError(`${why}; nothing replayed${skipped.length ? ` (skipped: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : ''}`);
  }
  const eventsInWindow = await ports.archive?.countBetween(window.from, window.to, window.detailType);
  return {
    ...window,
    name,
    description: `npm run replay: ${window.from.toISOString()} to ${window.to.toISOString()}${window.detailType ? `, ${window.detailType}` : ''}`,
    archiveName: outputs.ArchiveName,
    archiveArn: archiveArnOf(outputs),
    busName,
    busArn: outputs.EventBusArn,
    rules: targets,
    skipped,
    ...(eventsInWindow === undefined ? {} : { eventsInWindow }),
  };
};

export interface ReplayResult {
  readonly state: string;
  readonly stateReason?: string;
  readonly lastReplayedAt?: Date;
  readonly durationMs: number;
  /** The deadline passed first: the replay goes on without us. */
  readonly timedOut: boolean;
}

export interface ReplayPolling {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** Called when the state or the last replayed time changes. */
  readonly onProgress: (status: ReplayStatus) => void;
}

const isEnd = (state: string) => REPLAY_END_STATES.some((end) => end === state);

/**
 * Starts the replay, then polls DescribeReplay until it ends or the deadline
 * passes. Replays are not ordered and consumers are idempotent, so
 * replaying a window again is safe.
 */
export const runReplay = async (port: ReplayPort, plan: ReplayPlan, polling: ReplayPolling): Promise<ReplayResult> => {
  const { clock } = polling;
  const startedAt = clock.now().getTime();
  await port.startReplay({
    name: plan.name,
    description: plan.description,
    archiveArn: plan.archiveArn,
    busArn: plan.busArn,
    from: plan.from,
    to: plan.to,
    ruleArns: plan.rules.map((rule) => rule.arn),
  });
  const deadline = startedAt + polling.timeoutMs;
  let previous: ReplayStatus | undefined;
  for (;;) {
    const status = await port.describeReplay(plan.name);
    if (status.state !== previous?.state || status.lastReplayedAt?.getTime() !== previous?.lastReplayedAt?.getTime()) polling.onProgress(status);
    previous = status;
    const durationMs = clock.now().getTime() - startedAt;
    const result = {
      state: status.state,
      ...(status.stateReason ? { stateReason: status.stateReason } : {}),
      ...(status.lastReplayedAt ? { lastReplayedAt: status.lastReplayedAt } : {}),
      durationMs,
    };
    if (isEnd(status.state)) return { ...result, timedOut: false };
    if (clock.now().getTime() >= deadline) return { ...result, timedOut: true };
    await clock.sleep(polling.pollMs);
  }
};
