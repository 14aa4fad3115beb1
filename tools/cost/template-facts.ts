import { z } from 'zod';
import { TABLE_NAME_OUTPUTS } from '#infra/outputs';

/**
 * What the bill depends on in the synthesized template: each function's
 * memory and architecture, the queue consumer's batch size and concurrency,
 * the state machine's type and log level, and which functions run on a
 * schedule (a fixed monthly cost, not a cost per purchase). Read from the
 * template itself, so the page goes stale when any of them changes.
 */

export interface FunctionFacts {
  readonly logicalId: string;
  readonly memoryMb: number;
  readonly architecture: 'arm64' | 'x86_64';
  readonly reservedConcurrency?: number;
  /** The handler file it runs (handlers/<handler>.ts), from its POWERTOOLS_SERVICE_NAME. */
  readonly handler?: string;
  /** Invoked by a scheduled rule, whatever the traffic. */
  readonly scheduled: boolean;
}

export interface TemplateFacts {
  readonly functions: readonly FunctionFacts[];
  readonly queueConsumer: { readonly logicalId: string; readonly functionLogicalId: string; readonly batchSize: number; readonly maximumConcurrency?: number };
  readonly stateMachine: { readonly logicalId: string; readonly type: 'STANDARD' | 'EXPRESS'; readonly logLevel: string; readonly includeExecutionData: boolean };
  /** The functions the state machine invokes as its steps. */
  readonly stepFunctionIds: readonly string[];
  /** The table a concert's seats live in: one item per seat, the concert its partition key. */
  readonly seatsTableLogicalId: string;
}

/** Lambda's defaults when the template leaves them out. */
const DEFAULT_MEMORY_MB = 128;
const DEFAULT_BATCH_SIZE = 10;
/** Every function names its handler file here (infra/constructs/functions.ts). */
const SERVICE_NAME_VARIABLE = 'POWERTOOLS_SERVICE_NAME';

const resourceSchema = z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).default({}) });
const templateSchema = z.object({
  Resources: z.record(z.string(), resourceSchema),
  Outputs: z.record(z.string(), z.object({ Value: z.unknown() })).default({}),
});
const refSchema = z.object({ Ref: z.string() });
const getAttSchema = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) });
const functionSchema = z.object({
  MemorySize: z.number().int().optional(),
  Architectures: z.array(z.enum(['arm64', 'x86_64'])).optional(),
  ReservedConcurrentExecutions: z.number().int().optional(),
  Environment: z.object({ Variables: z.record(z.string(), z.unknown()).optional() }).optional(),
});
const mappingSchema = z.object({
  FunctionName: refSchema,
  EventSourceArn: getAttSchema,
  BatchSize: z.number().int().optional(),
  ScalingConfig: z.object({ MaximumConcurrency: z.number().int().optional() }).optional(),
});
const stateMachineSchema = z.object({
  DefinitionSubstitutions: z.record(z.string(), z.unknown()).default({}),
  StateMachineType: z.enum(['STANDARD', 'EXPRESS']).optional(),
  LoggingConfiguration: z.object({ Level: z.string().optional(), IncludeExecutionData: z.boolean().optional() }).optional(),
});
const scheduledRuleSchema = z.object({ ScheduleExpression: z.string(), Targets: z.array(z.object({ Arn: z.unknown() })).default([]) });

class TemplateFactsError extends Error {
  override readonly name = 'TemplateFactsError';
}

const only = <T>(items: readonly T[], what: string): T => {
  const [item, ...others] = items;
  if (item === undefined || others.length > 0) throw new TemplateFactsError(`Expected one ${what} in the template, found ${items.length}`);
  return item;
};

export const readTemplateFacts = (template: unknown): TemplateFacts => {
  const parsed = templateSchema.parse(template);
  const resources = Object.entries(parsed.Resources);
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);

  const scheduledTargets = new Set(
    ofType('AWS::Events::Rule').flatMap(([, rule]) => {
      const parsed = scheduledRuleSchema.safeParse(rule.Properties);
      return parsed.success ? parsed.data.Targets.flatMap((target) => getAttSchema.safeParse(target.Arn).data?.['Fn::GetAtt'][0] ?? []) : [];
    }),
  );
  const functions = ofType('AWS::Lambda::Function').map(([logicalId, resource]): FunctionFacts => {
    const properties = functionSchema.parse(resource.Properties);
    const serviceName = properties.Environment?.Variables?.[SERVICE_NAME_VARIABLE];
    return {
      logicalId,
      memoryMb: properties.MemorySize ?? DEFAULT_MEMORY_MB,
      architecture: properties.Architectures?.[0] ?? 'x86_64',
      ...(properties.ReservedConcurrentExecutions !== undefined && { reservedConcurrency: properties.ReservedConcurrentExecutions }),
      ...(typeof serviceName === 'string' && { handler: serviceName }),
      scheduled: scheduledTargets.has(logicalId),
    };
  });

  const [mappingId, mapping] = only(
    ofType('AWS::Lambda::EventSourceMapping').map(([logicalId, resource]) => [logicalId, mappingSchema.parse(resource.Properties)] as const),
    'queue event source mapping',
  );
  const [machineId, machine] = only(
    ofType('AWS::StepFunctions::StateMachine').map(([logicalId, resource]) => [logicalId, stateMachineSchema.parse(resource.Properties)] as const),
    'state machine',
  );
  const seatsTable = refSchema.safeParse(parsed.Outputs[TABLE_NAME_OUTPUTS.seats]?.Value);
  if (!seatsTable.success) throw new TemplateFactsError(`The template has no output ${TABLE_NAME_OUTPUTS.seats} naming the seats table`);

  return {
    functions,
    queueConsumer: {
      logicalId: mappingId,
      functionLogicalId: mapping.FunctionName.Ref,
      batchSize: mapping.BatchSize ?? DEFAULT_BATCH_SIZE,
      ...(mapping.ScalingConfig?.MaximumConcurrency !== undefined && { maximumConcurrency: mapping.ScalingConfig.MaximumConcurrency }),
    },
    stateMachine: {
      logicalId: machineId,
      type: machine.StateMachineType ?? 'STANDARD',
      logLevel: machine.LoggingConfiguration?.Level ?? 'OFF',
      includeExecutionData: machine.LoggingConfiguration?.IncludeExecutionData ?? false,
    },
    stepFunctionIds: Object.values(machine.DefinitionSubstitutions).flatMap((value) => {
      const target = getAttSchema.safeParse(value).data?.['Fn::GetAtt'][0];
      return target !== undefined && functions.some((fn) => fn.logicalId === target) ? [target] : [];
    }),
    seatsTableLogicalId: seatsTable.data.Ref,
  };
};
