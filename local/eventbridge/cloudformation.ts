import { z } from 'zod';
import { EventBridgeConfigError } from './errors.ts';
import { targetSchema, type ArchiveDefinition, type BusDefinition, type EventBridgeModelInput, type RuleDefinition } from './model.ts';

/** A template resource whose intrinsic functions the template resolver has already replaced by local values. */
export interface ResolvedResource {
  readonly Type: string;
  readonly Properties?: unknown;
}

const EVENTS_TYPE_PREFIX = 'AWS::Events::';

/** Tags have no local effect but are harmless, so they are accepted and ignored. */
const tagsSchema = z.array(z.object({ Key: z.string(), Value: z.string() })).optional();
/**
 * Encryption at rest changes nothing a caller can observe through the API, so
 * a key (CDK writes "" for the AWS-owned one) is accepted and ignored: the
 * local data folder keeps events as plain JSON.
 */
const kmsKeySchema = z.string().optional();

const busPropertiesSchema = z
  .object({ Name: z.string(), Description: z.string().optional(), Tags: tagsSchema, KmsKeyIdentifier: kmsKeySchema })
  .strict();

const rulePropertiesSchema = z
  .object({
    Name: z.string().optional(),
    Description: z.string().optional(),
    EventBusName: z.string().optional(),
    EventPattern: z.unknown().optional(),
    State: z.enum(['ENABLED', 'DISABLED']).optional(),
    Targets: z.array(targetSchema).optional(),
    /** IAM is not emulated locally. */
    RoleArn: z.string().optional(),
  })
  .strict();

const archivePropertiesSchema = z
  .object({
    ArchiveName: z.string().optional(),
    SourceArn: z.string(),
    Description: z.string().optional(),
    EventPattern: z.unknown().optional(),
    RetentionDays: z.number().int().min(0).optional(),
    KmsKeyIdentifier: kmsKeySchema,
  })
  .strict();

/**
 * Reads the template's AWS::Events resources into the model the local
 * EventBridge serves. Physical names default to the logical id, as
 * everywhere in the local runtime. Any other AWS::Events type, or a property
 * the local EventBridge cannot honour (ScheduleExpression, SqsParameters,
 * a bus-level DeadLetterConfig, ...), is an EventBridgeConfigError naming the resource
 * and the property. Resources of other services are ignored.
 */
export const eventBridgeModelFromTemplate = (resources: Readonly<Record<string, ResolvedResource>>): EventBridgeModelInput => {
  const buses: BusDefinition[] = [];
  const rules: RuleDefinition[] = [];
  const archives: ArchiveDefinition[] = [];
  const problems: string[] = [];

  const parse = <T>(logicalId: string, type: string, schema: z.ZodType<T>, properties: unknown): T | undefined => {
    const parsed = schema.safeParse(properties ?? {});
    if (parsed.success) return parsed.data;
    problems.push(`${logicalId} (${type}): ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
    return undefined;
  };

  for (const [logicalId, resource] of Object.entries(resources)) {
    switch (resource.Type) {
      case 'AWS::Events::EventBus': {
        const properties = parse(logicalId, resource.Type, busPropertiesSchema, resource.Properties);
        if (properties) buses.push({ Name: properties.Name, ...(properties.Description !== undefined && { Description: properties.Description }) });
        break;
      }
      case 'AWS::Events::Rule': {
        const properties = parse(logicalId, resource.Type, rulePropertiesSchema, resource.Properties);
        if (!properties) break;
        const { Name, RoleArn: _role, ...rest } = properties;
        rules.push({ ...rest, Name: Name ?? logicalId });
        break;
      }
      case 'AWS::Events::Archive': {
        const properties = parse(logicalId, resource.Type, archivePropertiesSchema, resource.Properties);
        if (!properties) break;
        const { ArchiveName, SourceArn, KmsKeyIdentifier: _key, ...rest } = properties;
        archives.push({ ...rest, ArchiveName: ArchiveName ?? logicalId, EventSourceArn: SourceArn });
        break;
      }
      default:
        if (resource.Type.startsWith(EVENTS_TYPE_PREFIX)) problems.push(`${logicalId}: ${resource.Type} is not supported by the local EventBridge`);
    }
  }
  if (problems.length > 0) throw new EventBridgeConfigError(`The local EventBridge cannot serve this template:\n- ${problems.join('\n- ')}`);
  return { buses, rules, archives };
};
