import { z } from 'zod';
import { DEFAULT_BUS_NAME } from './arn.ts';

/**
 * What the local EventBridge serves, in the shapes CloudFormation and the
 * EventBridge API share (PascalCase). The runtime fills it from the template
 * (see cloudformation.ts); tests build it directly.
 */

/** AWS's defaults when a target declares no RetryPolicy. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;

export const retryPolicySchema = z
  .object({
    MaximumRetryAttempts: z.number().int().min(0).max(185).optional(),
    MaximumEventAgeInSeconds: z.number().int().min(60).max(86_400).optional(),
  })
  .strict();

export const inputTransformerSchema = z
  .object({
    InputPathsMap: z.record(z.string(), z.string()).optional(),
    InputTemplate: z.string(),
  })
  .strict();

export const targetSchema = z
  .object({
    Id: z.string().min(1).max(64),
    Arn: z.string().min(1),
    /** IAM is not emulated locally: the role is kept for ListTargetsByRule only. */
    RoleArn: z.string().optional(),
    Input: z.string().optional(),
    InputPath: z.string().optional(),
    InputTransformer: inputTransformerSchema.optional(),
    RetryPolicy: retryPolicySchema.optional(),
    DeadLetterConfig: z.object({ Arn: z.string().min(1) }).strict().optional(),
  })
  .strict()
  .refine((target) => [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined).length <= 1, {
    message: 'a target takes at most one of Input, InputPath and InputTransformer',
  });
export type Target = z.infer<typeof targetSchema>;

export const ruleSchema = z
  .object({
    Name: z.string().min(1).max(64),
    EventBusName: z.string().default(DEFAULT_BUS_NAME),
    /** An object (CloudFormation) or JSON text (API); compiled and validated by the bus. */
    EventPattern: z.unknown().optional(),
    State: z.enum(['ENABLED', 'DISABLED']).default('ENABLED'),
    Description: z.string().optional(),
    Targets: z.array(targetSchema).max(5).default([]),
  })
  .strict();
export type RuleDefinition = z.input<typeof ruleSchema>;
export type Rule = z.output<typeof ruleSchema>;

export const archiveSchema = z
  .object({
    ArchiveName: z.string().min(1).max(48),
    /** The bus whose events the archive keeps, by name or ARN. */
    EventSourceArn: z.string().min(1),
    EventPattern: z.unknown().optional(),
    Description: z.string().optional(),
    /** 0 or absent keeps events forever, as in AWS. */
    RetentionDays: z.number().int().min(0).optional(),
  })
  .strict();
export type ArchiveDefinition = z.input<typeof archiveSchema>;
export type Archive = z.output<typeof archiveSchema>;

export const busSchema = z.object({ Name: z.string().min(1).max(256), Description: z.string().optional() }).strict();
export type BusDefinition = z.input<typeof busSchema>;

export const eventBridgeModelSchema = z
  .object({
    /** Buses besides `default`, which always exists. */
    buses: z.array(busSchema).default([]),
    rules: z.array(ruleSchema).default([]),
    archives: z.array(archiveSchema).default([]),
  })
  .strict();
export type EventBridgeModelInput = z.input<typeof eventBridgeModelSchema>;
export type EventBridgeModel = z.output<typeof eventBridgeModelSchema>;
