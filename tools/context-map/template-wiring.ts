import { z } from 'zod';

/**
 * How the synthesized template wires the handlers: which function runs which
 * handler, which rules deliver to which function, which state calls which
 * function, which routes and queues invoke which function. Read from the
 * CloudFormation JSON, the same document the local runtime serves.
 */

const resourceSchema = z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).default({}) });
const templateSchema = z.object({ Resources: z.record(z.string(), resourceSchema) });

const getAttArnSchema = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('Arn')]) });
const refSchema = z.object({ Ref: z.string() });
const referenceSchema = z.union([getAttArnSchema.transform((value) => value['Fn::GetAtt'][0]), refSchema.transform((value) => value.Ref)]);

const functionPropertiesSchema = z.object({
  Environment: z.object({ Variables: z.record(z.string(), z.unknown()).default({}) }).optional(),
});
const rulePropertiesSchema = z.object({
  Description: z.string().optional(),
  EventPattern: z.record(z.string(), z.unknown()).optional(),
  ScheduleExpression: z.string().optional(),
  Targets: z.array(z.object({ Arn: z.unknown() })).default([]),
});
const stateMachinePropertiesSchema = z.object({
  DefinitionString: z.string(),
  DefinitionSubstitutions: z.record(z.string(), z.unknown()).default({}),
});
const routePropertiesSchema = z.object({
  RouteKey: z.string(),
  Target: z.object({ 'Fn::Join': z.tuple([z.literal(''), z.tuple([z.literal('integrations/'), refSchema])]) }).optional(),
});
const integrationPropertiesSchema = z.object({ IntegrationUri: z.unknown() });
const eventSourceMappingPropertiesSchema = z.object({ FunctionName: z.unknown(), EventSourceArn: z.unknown() });

const lambdaInvokeStateSchema = z.looseObject({
  Type: z.literal('Task'),
  // As written in the template: the partition is a definition substitution, or a literal in a hand-written machine.
  Resource: z.string().regex(/^arn:(aws[a-z-]*|\$\{Partition\}):states:::lambda:invoke$/),
  Parameters: z.looseObject({ FunctionName: z.string() }),
});
const definitionSchema = z.looseObject({ States: z.record(z.string(), z.unknown()) });

/** The environment variable every function carries with its handler's file name (infra/constructs/functions.ts). */
const HANDLER_NAME_VARIABLE = 'POWERTOOLS_SERVICE_NAME';

export interface TemplateRule {
  /** The logical id without CDK's hash suffix: EventsPurchaseStatusRule. */
  readonly name: string;
  readonly description?: string;
  readonly eventPattern: Readonly<Record<string, unknown>>;
  /** Handler names of the functions it targets. */
  readonly targets: readonly string[];
}

interface TemplateStep {
  readonly state: string;
  readonly substitution: string;
  readonly handler: string;
}

export interface TemplateWiring {
  /** Function logical id -> handler name. */
  readonly handlers: ReadonlyMap<string, string>;
  readonly rules: readonly TemplateRule[];
  readonly steps: readonly TemplateStep[];
  readonly routes: ReadonlyArray<{ readonly routeKey: string; readonly handler: string }>;
  readonly queues: ReadonlyArray<{ readonly queue: string; readonly handler: string }>;
  /** Handlers a scheduled rule runs, with its expression, e.g. rate(1 minute). */
  readonly schedules: ReadonlyArray<{ readonly schedule: string; readonly handler: string }>;
}

class TemplateWiringError extends Error {
  override readonly name = 'TemplateWiringError';
}

/** CDK appends an 8-character hash to every logical id; without it the name reads like the construct path. */
const readableLogicalId = (logicalId: string): string => logicalId.replace(/[0-9A-F]{8}$/, '');

const SUBSTITUTION = /^\$\{([A-Za-z0-9_]+)\}$/;

export const readTemplateWiring = (rawTemplate: unknown): TemplateWiring => {
  const template = templateSchema.parse(rawTemplate);
  const resources = Object.entries(template.Resources).sort(([a], [b]) => a.localeCompare(b));
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);

  const handlers = new Map(
    ofType('AWS::Lambda::Function').map(([logicalId, resource]) => {
      const name = functionPropertiesSchema.parse(resource.Properties).Environment?.Variables[HANDLER_NAME_VARIABLE];
      if (typeof name !== 'string') throw new TemplateWiringError(`function ${logicalId} has no ${HANDLER_NAME_VARIABLE}: which handler does it run?`);
      return [logicalId, name] as const;
    }),
  );
  const handlerOf = (value: unknown, where: string): string | undefined => {
    const reference = referenceSchema.safeParse(value);
    if (!reference.success) throw new TemplateWiringError(`${where} does not reference a resource of the template`);
    return handlers.get(reference.data);
  };

  // Scheduled rules (no event pattern) carry no event between contexts: they only say when a handler runs.
  const schedules = ofType('AWS::Events::Rule').flatMap(([logicalId, resource]) => {
    const { ScheduleExpression: schedule, Targets } = rulePropertiesSchema.parse(resource.Properties);
    if (schedule === undefined) return [];
    return Targets.flatMap((target) => handlerOf(target.Arn, `a target of rule ${logicalId}`) ?? []).map((handler) => ({ schedule, handler }));
  });
  const rules = ofType('AWS::Events::Rule').flatMap(([logicalId, resource]): TemplateRule[] => {
    const properties = rulePropertiesSchema.parse(resource.Properties);
    if (properties.EventPattern === undefined) return [];
    const targets = properties.Targets.flatMap((target) => handlerOf(target.Arn, `a target of rule ${logicalId}`) ?? []);
    return [
      {
        name: readableLogicalId(logicalId),
        ...(properties.Description ? { description: properties.Description } : {}),
        eventPattern: properties.EventPattern,
        targets,
      },
    ];
  });

  const steps = ofType('AWS::StepFunctions::StateMachine').flatMap(([logicalId, resource]) => {
    const properties = stateMachinePropertiesSchema.parse(resource.Properties);
    const definition = definitionSchema.parse(JSON.parse(properties.DefinitionString));
    return Object.entries(definition.States).flatMap(([state, body]): TemplateStep[] => {
      const task = lambdaInvokeStateSchema.safeParse(body);
      if (!task.success) return [];
      const substitution = SUBSTITUTION.exec(task.data.Parameters.FunctionName)?.[1];
      if (!substitution) throw new TemplateWiringError(`state ${state} of ${logicalId} names its function without a definition substitution`);
      const handler = handlerOf(properties.DefinitionSubstitutions[substitution], `substitution ${substitution} of ${logicalId}`);
      if (!handler) throw new TemplateWiringError(`substitution ${substitution} of ${logicalId} is not a function of the template`);
      return [{ state, substitution, handler }];
    });
  });

  const integrations = new Map(
    ofType('AWS::ApiGatewayV2::Integration').map(([logicalId, resource]) => [
      logicalId,
      handlerOf(integrationPropertiesSchema.parse(resource.Properties).IntegrationUri, `integration ${logicalId}`),
    ]),
  );
  const routes = ofType('AWS::ApiGatewayV2::Route').flatMap(([, resource]) => {
    const properties = routePropertiesSchema.parse(resource.Properties);
    const integration = properties.Target?.['Fn::Join'][1][1].Ref;
    const handler = integration ? integrations.get(integration) : undefined;
    return handler ? [{ routeKey: properties.RouteKey, handler }] : [];
  });

  const queues = ofType('AWS::Lambda::EventSourceMapping').flatMap(([logicalId, resource]) => {
    const properties = eventSourceMappingPropertiesSchema.parse(resource.Properties);
    const handler = handlerOf(properties.FunctionName, `event source mapping ${logicalId}`);
    const source = referenceSchema.safeParse(properties.EventSourceArn);
    return handler && source.success ? [{ queue: readableLogicalId(source.data), handler }] : [];
  });

  return { handlers, rules, steps, routes, queues, schedules };
};
