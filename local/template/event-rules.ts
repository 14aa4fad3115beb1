import { z } from 'zod';
import { jsonProperty } from './json-property.ts';
import { DEFAULT_EVENT_BUS, eventBusNameOf, eventRuleArn, parseArn } from '#local/arns';
import type { LocalRule, LocalRuleTarget, RuleTargetKind } from './local-app.ts';
import { rateIntervalMs, UnsupportedScheduleError } from '#local/schedules/schedule-expression';
import { readProperties, requireServable, type PropertyPolicy, type ResourceView } from './resource-support.ts';
import { UnsupportedPropertyError } from './template-errors.ts';

/**
 * AWS::Events::Rule -> LocalRule: pattern rules on a bus, with Lambda, SQS,
 * Step Functions or event bus targets, and scheduled rules (rate(...)),
 * which local/schedules runs on a timer. Checking the pattern's operators is
 * the local bus's job (it knows which it matches).
 */

const RULE_POLICY: PropertyPolicy = {
  served: ['Name', 'EventBusName', 'EventPattern', 'ScheduleExpression', 'State', 'Targets'],
  ignored: {
    Description: 'descriptions have no behaviour',
    RoleArn: 'the local runtime does not enforce IAM',
  },
};

const TARGET_SERVED = ['Id', 'Arn', 'Input', 'InputPath', 'InputTransformer', 'RetryPolicy', 'DeadLetterConfig'];
const TARGET_IGNORED = ['RoleArn'];

/** EventBridge's defaults: retry for 24 hours, up to 185 times. */
const DEFAULT_RETRY = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 };

/** An event pattern, given as an object or as JSON text. */
export const eventPatternSchema = jsonProperty(z.record(z.string(), z.unknown()));

// The limits EventBridge's PutRule and PutTargets enforce.
const targetSchema = z.looseObject({
  Id: z.string().min(1).max(64),
  Arn: z.string().min(1),
  Input: z.string().optional(),
  InputPath: z.string().optional(),
  InputTransformer: z
    .object({ InputPathsMap: z.record(z.string(), z.string()).optional(), InputTemplate: z.string() })
    .optional(),
  RetryPolicy: z
    .object({ MaximumRetryAttempts: z.coerce.number().int().min(0).max(185).optional(), MaximumEventAgeInSeconds: z.coerce.number().int().min(60).max(86_400).optional() })
    .optional(),
  DeadLetterConfig: z.object({ Arn: z.string().min(1) }).optional(),
});

const rulePropertiesSchema = z.object({
  Name: z.string().min(1).max(64).optional(),
  EventBusName: z.string().min(1).optional(),
  EventPattern: eventPatternSchema.optional(),
  ScheduleExpression: z.string().min(1).optional(),
  State: z.enum(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']).optional(),
  Targets: z.array(targetSchema).max(5).default([]),
});

/** The kind of target an ARN names, or undefined for targets the local bus cannot deliver to. */
const ruleTargetKind = (arn: string): RuleTargetKind | undefined => {
  const parts = parseArn(arn);
  if (parts?.service === 'lambda' && parts.resource.startsWith('function:')) return 'lambda';
  if (parts?.service === 'sqs') return 'sqs';
  if (parts?.service === 'states' && parts.resource.startsWith('stateMachine:')) return 'stepFunctions';
  if (parts?.service === 'events' && parts.resource.startsWith('event-bus/')) return 'eventBus';
  return undefined;
};

const mapTarget = (resource: ResourceView, target: z.infer<typeof targetSchema>, index: number): LocalRuleTarget => {
  const where = `Targets[${index}]`;
  const unknownKey = Object.keys(target).find((key) => !TARGET_SERVED.includes(key) && !TARGET_IGNORED.includes(key));
  if (unknownKey) {
    throw new UnsupportedPropertyError(resource.logicalId, resource.type, `${where}.${unknownKey}`, 'the local bus has no emulation for this target setting');
  }
  const kind = ruleTargetKind(target.Arn);
  if (!kind) {
    throw new UnsupportedPropertyError(resource.logicalId, resource.type, `${where}.Arn`, `only Lambda, SQS, Step Functions and event bus targets are delivered locally, not ${target.Arn}`);
  }
  const transformer = target.InputTransformer;
  return {
    id: target.Id,
    arn: target.Arn,
    kind,
    ...(target.Input !== undefined ? { input: target.Input } : {}),
    ...(target.InputPath !== undefined ? { inputPath: target.InputPath } : {}),
    ...(transformer ? { inputTransformer: { inputPathsMap: transformer.InputPathsMap ?? {}, inputTemplate: transformer.InputTemplate } } : {}),
    retryPolicy: {
      maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY.maximumRetryAttempts,
      maximumEventAgeSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_RETRY.maximumEventAgeSeconds,
    },
    ...(target.DeadLetterConfig ? { deadLetterQueueArn: target.DeadLetterConfig.Arn } : {}),
  };
};

export const EVENT_RULE_TYPES = ['AWS::Events::Rule'] as const;

export const mapEventRule = (resource: ResourceView): LocalRule => {
  const properties = readProperties(resource, RULE_POLICY, rulePropertiesSchema);
  const schedule = properties.ScheduleExpression;
  requireServable(resource, 'EventPattern', properties.EventPattern !== undefined || schedule !== undefined, 'a rule needs an event pattern or a schedule expression');
  if (schedule !== undefined) {
    try {
      rateIntervalMs(schedule);
    } catch (error) {
      if (error instanceof UnsupportedScheduleError) throw new UnsupportedPropertyError(resource.logicalId, resource.type, 'ScheduleExpression', error.message);
      throw error;
    }
  }
  const name = properties.Name ?? resource.logicalId;
  const eventBusName = properties.EventBusName ? eventBusNameOf(properties.EventBusName) : DEFAULT_EVENT_BUS;
  if (schedule !== undefined && eventBusName !== DEFAULT_EVENT_BUS) {
    throw new UnsupportedPropertyError(resource.logicalId, resource.type, 'ScheduleExpression', 'EventBridge runs scheduled rules on the default event bus only');
  }
  return {
    logicalId: resource.logicalId,
    name,
    arn: eventRuleArn(eventBusName, name),
    eventBusName,
    eventPattern: properties.EventPattern ?? {},
    ...(schedule !== undefined ? { scheduleExpression: schedule } : {}),
    enabled: properties.State !== 'DISABLED',
    targets: properties.Targets.map((target, index) => mapTarget(resource, target, index)),
  };
};
