import pLimit from 'p-limit';
import { z } from 'zod';
import { busNameOf, DEFAULT_BUS_NAME, ruleArn } from './arn.ts';
import type { DeliveryTarget } from './delivery.ts';
import { EventBridgeConfigError } from './errors.ts';
import {
  DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  eventBridgeModelSchema,
  type Archive,
  type EventBridgeModelInput,
  type Rule,
  type Target,
} from './model.ts';
import { compileEventPattern, type EventPattern } from './pattern/event-pattern.ts';
import { compileTargetInput } from './target-input.ts';
import { senderForTarget, type TargetPorts } from './targets.ts';

export interface CompiledBus {
  readonly name: string;
  readonly description?: string;
}

export interface CompiledRule {
  readonly definition: Rule;
  readonly busName: string;
  readonly arn: string;
  readonly pattern: EventPattern;
  readonly targets: readonly DeliveryTarget[];
}

export interface CompiledArchive {
  readonly definition: Archive;
  readonly sourceBusName: string;
  readonly pattern?: EventPattern;
}

export interface CompiledModel {
  readonly buses: ReadonlyMap<string, CompiledBus>;
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
export const compileModel = (input: EventBridgeModelInput, options: CompileOptions): CompiledModel => {
  const parsed = eventBridgeModelSchema.safeParse(input);
  if (!parsed.success) throw new EventBridgeConfigError(`EventBridge model is not valid:\n${z.prettifyError(parsed.error)}`);
  const model = parsed.data;
  const problems: string[] = [];
  const attempt = <T>(where: string, build: () => T): T | undefined => {
    try {
      return build();
    } catch (error) {
      problems.push(`${where}: ${message(error)}`);
      return undefined;
    }
  };

  const buses = new Map<string, CompiledBus>([[DEFAULT_BUS_NAME, { name: DEFAULT_BUS_NAME }]]);
  for (const bus of model.buses) {
    if (buses.has(bus.Name)) problems.push(`Event bus ${bus.Name}: declared twice`);
    buses.set(bus.Name, { name: bus.Name, ...(bus.Description !== undefined && { description: bus.Description }) });
  }
  const requireBus = (where: string, nameOrArn: string) => {
    const name = busNameOf(nameOrArn);
    if (!buses.has(name)) problems.push(`${where}: event bus ${name} is not declared`);
    return name;
  };

  const compileTarget = (rule: Rule, busName: string, target: Target): DeliveryTarget | undefined =>
    attempt(`Rule ${rule.Name}, target ${target.Id}`, () => {
      if (target.DeadLetterConfig && !options.ports.queues) throw new Error('has a DeadLetterConfig but no QueueSender was given');
      return {
        id: target.Id,
        arn: target.Arn,
        ruleArn: ruleArn(busName, rule.Name),
        ruleName: rule.Name,
        render: compileTargetInput(target),
        send: senderForTarget(target.Arn, options.ports),
        limiter: pLimit(options.maxConcurrencyPerTarget),
        maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
        maximumEventAgeMs: (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000,
        ...(target.DeadLetterConfig && { deadLetterArn: target.DeadLetterConfig.Arn }),
      };
    });

  const rules: CompiledRule[] = [];
  const ruleArns = new Set<string>();
  for (const rule of model.rules) {
    const where = `Rule ${rule.Name}`;
    const busName = requireBus(where, rule.EventBusName);
    const arn = ruleArn(busName, rule.Name);
    if (ruleArns.has(arn)) problems.push(`${where}: declared twice on event bus ${busName}`);
    ruleArns.add(arn);
    if (rule.EventPattern === undefined) {
      problems.push(`${where}: has no EventPattern (scheduled rules are not supported locally)`);
      continue;
    }
    if (new Set(rule.Targets.map((target) => target.Id)).size !== rule.Targets.length) problems.push(`${where}: target ids must be unique`);
    const pattern = attempt(where, () => compileEventPattern(rule.EventPattern));
    const targets = rule.Targets.map((target) => compileTarget(rule, busName, target));
    if (pattern && targets.every((target) => target !== undefined)) rules.push({ definition: rule, busName, arn, pattern, targets });
  }

  const archives: CompiledArchive[] = [];
  for (const archive of model.archives) {
    const where = `Archive ${archive.ArchiveName}`;
    const sourceBusName = requireBus(where, archive.EventSourceArn);
    const pattern = archive.EventPattern === undefined ? undefined : attempt(where, () => compileEventPattern(archive.EventPattern));
    if (archive.EventPattern === undefined || pattern) archives.push({ definition: archive, sourceBusName, ...(pattern && { pattern }) });
  }
  if (new Set(model.archives.map((archive) => archive.ArchiveName)).size !== model.archives.length) problems.push('Archive names must be unique');

  if (problems.length > 0) throw new EventBridgeConfigError(`The local EventBridge cannot serve this template:\n- ${problems.join('\n- ')}`);
  return { buses, rules, archives };
};
