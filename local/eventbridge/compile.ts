import pLimit from 'p-limit';
import { DEFAULT_EVENT_BUS, eventRuleArn } from '#local/arns';
import type { DeliveryTarget } from './delivery.ts';
import { EventBridgeConfigError } from './errors.ts';
import type { EventBridgeArchive, EventBridgeModel, EventBridgeRule, EventBridgeTarget } from './model.ts';
import { compileEventPattern, type EventPattern } from './pattern/event-pattern.ts';
import { compileTargetInput } from './target-input.ts';
import { senderForTarget, type TargetPorts } from './targets.ts';

export interface CompiledRule {
  readonly definition: EventBridgeRule;
  readonly busName: string;
  readonly arn: string;
  readonly pattern: EventPattern;
  readonly targets: readonly DeliveryTarget[];
}

interface CompiledArchive {
  readonly definition: EventBridgeArchive;
  readonly sourceBusName: string;
  readonly pattern?: EventPattern;
}

export interface CompiledModel {
  readonly buses: ReadonlySet<string>;
  readonly rules: readonly CompiledRule[];
  readonly archives: readonly CompiledArchive[];
}

export interface CompileOptions {
  readonly ports: TargetPorts;
  readonly maxConcurrencyPerTarget: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Checks everything the template declares before anything runs: patterns,
 * buses, target kinds and inputs, DLQs. Every problem is collected, so one
 * startup error lists them all, each naming its rule, target or archive.
 */
export const compileModel = (model: EventBridgeModel, options: CompileOptions): CompiledModel => {
  const problems: string[] = [];
  const attempt = <T>(where: string, build: () => T): T | undefined => {
    try {
      return build();
    } catch (error) {
      problems.push(`${where}: ${message(error)}`);
      return undefined;
    }
  };

  const buses = new Set([DEFAULT_EVENT_BUS]);
  for (const bus of model.eventBuses) {
    if (buses.has(bus.name)) problems.push(`Event bus ${bus.name}: declared twice`);
    buses.add(bus.name);
  }
  const requireBus = (where: string, name: string) => {
    if (!buses.has(name)) problems.push(`${where}: event bus ${name} is not declared`);
    return name;
  };

  const compileTarget = (rule: EventBridgeRule, busName: string, target: EventBridgeTarget): DeliveryTarget | undefined =>
    attempt(`Rule ${rule.name}, target ${target.id}`, () => {
      if (target.deadLetterQueueArn && !options.ports.queues) throw new Error('has a dead-letter queue but no QueueSender was given');
      return {
        id: target.id,
        arn: target.arn,
        ruleArn: eventRuleArn(busName, rule.name),
        ruleName: rule.name,
        render: compileTargetInput(target),
        send: senderForTarget(target.arn, options.ports),
        limiter: pLimit(options.maxConcurrencyPerTarget),
        maximumRetryAttempts: target.retryPolicy.maximumRetryAttempts,
        maximumEventAgeMs: target.retryPolicy.maximumEventAgeSeconds * 1000,
        ...(target.deadLetterQueueArn && { deadLetterArn: target.deadLetterQueueArn }),
      };
    });

  const rules: CompiledRule[] = [];
  const ruleArns = new Set<string>();
  // Scheduled rules run on the local scheduler (local/schedules), not on the bus's events.
  for (const rule of model.rules.filter((candidate) => candidate.scheduleExpression === undefined)) {
    const where = `Rule ${rule.name}`;
    const busName = requireBus(where, rule.eventBusName);
    const arn = eventRuleArn(busName, rule.name);
    if (ruleArns.has(arn)) problems.push(`${where}: declared twice on event bus ${busName}`);
    ruleArns.add(arn);
    if (new Set(rule.targets.map((target) => target.id)).size !== rule.targets.length) problems.push(`${where}: target ids must be unique`);
    const pattern = attempt(where, () => compileEventPattern(rule.eventPattern));
    const targets = rule.targets.map((target) => compileTarget(rule, busName, target));
    if (pattern && targets.every((target) => target !== undefined)) rules.push({ definition: rule, busName, arn, pattern, targets });
  }

  const archives: CompiledArchive[] = [];
  for (const archive of model.archives) {
    const where = `Archive ${archive.name}`;
    const sourceBusName = requireBus(where, archive.eventBusName);
    const pattern = archive.eventPattern === undefined ? undefined : attempt(where, () => compileEventPattern(archive.eventPattern));
    if (archive.eventPattern === undefined || pattern) archives.push({ definition: archive, sourceBusName, ...(pattern && { pattern }) });
  }
  if (new Set(model.archives.map((archive) => archive.name)).size !== model.archives.length) problems.push('Archive names must be unique');

  if (problems.length > 0) throw new EventBridgeConfigError(`The local EventBridge cannot serve this template:\n- ${problems.join('\n- ')}`);
  return { buses, rules, archives };
};
