import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/ports';
import type { LocalRule, LocalRuleTarget } from '#local/template/local-app';
import { rateIntervalMs } from './schedule-expression.ts';

/**
 * Scheduled EventBridge rules, run on a timer: at every interval each
 * target function is invoked asynchronously (as EventBridge invokes a
 * Lambda target) with the event AWS sends for a scheduled rule, or with the
 * target's constant Input. Lambda targets only; anything else is refused at
 * startup.
 */

/** A rule of the template model, as much of it as the scheduler reads. */
export interface ScheduledRule extends Pick<LocalRule, 'name' | 'arn' | 'scheduleExpression' | 'enabled'> {
  readonly targets: ReadonlyArray<Pick<LocalRuleTarget, 'id' | 'arn' | 'kind' | 'input'>>;
}

/** How the scheduler reaches functions: EventBridge invokes Lambda targets asynchronously. */
interface AsyncInvoker {
  invokeAsync(functionNameOrArn: string, event: unknown): Promise<void>;
}

export interface SchedulerOptions {
  /** The template's rules: those with a schedule expression run here, the others on the bus. */
  readonly rules: readonly ScheduledRule[];
  readonly invoker: AsyncInvoker;
  /** Multiplies every interval, e.g. 0.01 so that rate(1 minute) fires every 0.6 s (tests and demos only). @default 1 */
  readonly intervalScale?: number;
  /** What happens when an invocation is refused (an unknown function). @default ignored */
  readonly onError?: (rule: ScheduledRule, error: unknown) => void;
  readonly now?: () => Date;
}

export interface LocalScheduler {
  /** Rule names and their (scaled) intervals, as the scheduler runs them. */
  readonly schedules: ReadonlyArray<{ readonly rule: string; readonly intervalMs: number }>;
  stop(): Promise<void>;
}

export class UnsupportedScheduledTargetError extends Error {
  override readonly name = 'UnsupportedScheduledTargetError';
}

/** What EventBridge sends for a scheduled rule: the time to the second, the rule as the only resource, an empty detail. */
export const scheduledEvent = (rule: Pick<ScheduledRule, 'arn'>, at: Date) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: LOCAL_ACCOUNT,
  time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: LOCAL_REGION,
  resources: [rule.arn],
  detail: {},
});

const payloadOf = (target: ScheduledRule['targets'][number], event: ReturnType<typeof scheduledEvent>): unknown =>
  target.input === undefined ? event : (JSON.parse(target.input) as unknown);

export const startScheduler = (options: SchedulerOptions): LocalScheduler => {
  const scale = options.intervalScale ?? 1;
  if (!(scale > 0)) throw new RangeError(`intervalScale must be positive, got ${scale}`);
  const now = options.now ?? (() => new Date());
  const enabled = options.rules.flatMap(({ scheduleExpression, ...rule }) => (rule.enabled && scheduleExpression !== undefined ? [{ ...rule, scheduleExpression }] : []));
  for (const rule of enabled) {
    for (const target of rule.targets) {
      if (target.kind !== 'lambda') {
        throw new UnsupportedScheduledTargetError(`Scheduled rule ${rule.name}: target ${target.id} (${target.arn}) is not a Lambda function; only Lambda targets of scheduled rules run locally`);
      }
    }
  }
  const timers = enabled.map((rule) => {
    const intervalMs = Math.max(1, Math.round(rateIntervalMs(rule.scheduleExpression) * scale));
    const fire = () => {
      const event = scheduledEvent(rule, now());
      for (const target of rule.targets) {
        options.invoker.invokeAsync(target.arn, payloadOf(target, event)).catch((error: unknown) => options.onError?.(rule, error));
      }
    };
    const timer = setInterval(fire, intervalMs);
    // The schedule alone never keeps the process alive.
    timer.unref();
    return { rule: rule.name, intervalMs, timer };
  });
  return {
    schedules: timers.map(({ rule, intervalMs }) => ({ rule, intervalMs })),
    stop: async () => {
      for (const { timer } of timers) clearInterval(timer);
    },
  };
};
