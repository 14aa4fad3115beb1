import { LOCAL_REGION } from '#local/ports';
import { EVENT_ARCHIVE_TYPES, mapEventArchive } from './event-archives.ts';
import { EVENT_BUS_TYPES, mapEventBus } from './event-buses.ts';
import { EVENT_RULE_TYPES, mapEventRule } from './event-rules.ts';
import { EVENT_SOURCE_MAPPING_TYPES, mapEventSourceMapping } from './event-source-mappings.ts';
import { readFunctionRoles } from './function-roles.ts';
import { FUNCTION_TYPES, mapFunction, type AssetLocator } from './functions.ts';
import {
  assembleHttpApis,
  checkHttpStage,
  HTTP_API_TYPES,
  mapHttpApi,
  mapHttpAuthorizer,
  mapHttpIntegration,
  mapHttpRoute,
  type HttpApiPart,
  type HttpAuthorizerPart,
  type HttpIntegrationPart,
  type HttpRoutePart,
} from './http-apis.ts';
import { createTemplateResolver, type TemplateResolver } from './intrinsics.ts';
import { DEFAULT_EVENT_BUS, eventBusArn, lambdaFunctionNameOf } from '#local/arns';
import type {
  LocalApp,
  LocalArchive,
  LocalEventBus,
  LocalEventSourceMapping,
  LocalFunction,
  LocalQueue,
  LocalRule,
  LocalStateMachine,
  LocalTable,
  NotNeededResource,
} from './local-app.ts';
import type { LocalEndpoints } from './local-identities.ts';
import { mapQueue, QUEUE_TYPES } from './queues.ts';
import { NOT_NEEDED_LOCALLY, type ResourceView } from './resource-support.ts';
import { mapStateMachine, STATE_MACHINE_TYPES } from './state-machines.ts';
import { mapTable, TABLE_TYPES } from './tables.ts';
import { TemplateError, UnsupportedResourceError } from './template-errors.ts';
import { cloudFormationTemplateSchema, type CloudFormationTemplate } from './template-schema.ts';

export interface BuildLocalAppOptions {
  /** The synthesized template, as parsed JSON (it is validated here). */
  readonly template: unknown;
  readonly stackName: string;
  readonly endpoints: LocalEndpoints;
  /** Finds a function's bundled code from its S3 key (see cloud-assembly.ts). */
  readonly locateAsset: AssetLocator;
  /** Values for template parameters; defaults apply otherwise. */
  readonly parameters?: Readonly<Record<string, string>>;
}

const parseTemplate = (raw: unknown): CloudFormationTemplate => {
  const parsed = cloudFormationTemplateSchema.safeParse(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new TemplateError(`Not a CloudFormation template: ${issue?.path.map(String).join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  if (parsed.data.Transform !== undefined) {
    throw new TemplateError(`The template declares Transform ${JSON.stringify(parsed.data.Transform)}: macros run in the CloudFormation service and are not expanded locally`);
  }
  return parsed.data;
};

const isOneOf = <T extends string>(types: readonly T[], type: string): type is T => (types as readonly string[]).includes(type);

/**
 * Reads the template into the LocalApp model. Every deployed resource is
 * served, listed as not needed locally, or fails with an error naming it;
 * references between served resources (a mapping's queue, a rule's target,
 * a route's function) must point at resources of this stack.
 */
export const buildLocalApp = (options: BuildLocalAppOptions): LocalApp => {
  const template = parseTemplate(options.template);
  const resolver = createTemplateResolver({ template, stackName: options.stackName, endpoints: options.endpoints, ...(options.parameters ? { parameters: options.parameters } : {}) });
  const localIssuerFor = localIssuerLookup(template, resolver, options.endpoints);

  const tables: LocalTable[] = [];
  const queues: LocalQueue[] = [];
  const functions: LocalFunction[] = [];
  const eventSourceMappings: LocalEventSourceMapping[] = [];
  const stateMachines: LocalStateMachine[] = [];
  const eventBuses: LocalEventBus[] = [];
  const rules: LocalRule[] = [];
  const archives: LocalArchive[] = [];
  const apis: HttpApiPart[] = [];
  const routes: HttpRoutePart[] = [];
  const integrations: HttpIntegrationPart[] = [];
  const authorizers: HttpAuthorizerPart[] = [];
  const notNeeded: NotNeededResource[] = [];

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    // A resource whose Condition is false is not deployed on AWS either.
    if (!resolver.isDeployed(logicalId)) continue;
    const view: ResourceView = { logicalId, type: resource.Type, properties: resource.Properties ?? {}, resolver };
    const { type } = view;
    if (isOneOf(TABLE_TYPES, type)) tables.push(mapTable(view));
    else if (isOneOf(QUEUE_TYPES, type)) queues.push(mapQueue(view, options.endpoints.sqs));
    else if (isOneOf(FUNCTION_TYPES, type)) functions.push(mapFunction(view, options.locateAsset));
    else if (isOneOf(EVENT_SOURCE_MAPPING_TYPES, type)) eventSourceMappings.push(mapEventSourceMapping(view));
    else if (isOneOf(STATE_MACHINE_TYPES, type)) stateMachines.push(mapStateMachine(view));
    else if (isOneOf(EVENT_BUS_TYPES, type)) eventBuses.push(mapEventBus(view));
    else if (isOneOf(EVENT_RULE_TYPES, type)) rules.push(mapEventRule(view));
    else if (isOneOf(EVENT_ARCHIVE_TYPES, type)) archives.push(mapEventArchive(view));
    else if (type === HTTP_API_TYPES.api) apis.push(mapHttpApi(view, options.endpoints.httpApi));
    else if (type === HTTP_API_TYPES.route) routes.push(mapHttpRoute(view));
    else if (type === HTTP_API_TYPES.integration) integrations.push(mapHttpIntegration(view));
    else if (type === HTTP_API_TYPES.authorizer) authorizers.push(mapHttpAuthorizer(view, localIssuerFor));
    else if (type === HTTP_API_TYPES.stage) checkHttpStage(view);
    else if (Object.hasOwn(NOT_NEEDED_LOCALLY, type)) notNeeded.push({ logicalId, type, reason: NOT_NEEDED_LOCALLY[type] ?? '' });
    else throw new UnsupportedResourceError(logicalId, type);
  }

  const app: LocalApp = {
    stackName: options.stackName,
    tables,
    queues,
    functions,
    eventSourceMappings,
    stateMachines,
    eventBuses,
    rules,
    archives,
    httpApis: assembleHttpApis({ apis, routes, integrations, authorizers }),
    roles: readFunctionRoles(template, resolver, functions),
    outputs: resolveOutputs(template, resolver),
    notNeeded,
  };
  checkReferences(app);
  return app;
};

/**
 * The issuer of a JWT authorizer on AWS is a user pool of the stack (its
 * ProviderURL, or the cognito-idp URL CDK builds from the pool id). Locally
 * both stand for the local issuer.
 */
const localIssuerLookup = (template: CloudFormationTemplate, resolver: TemplateResolver, endpoints: LocalEndpoints) => {
  const poolIssuers = Object.entries(template.Resources)
    .filter(([logicalId, resource]) => resource.Type === 'AWS::Cognito::UserPool' && resolver.isDeployed(logicalId))
    .map(([logicalId]) => `https://cognito-idp.${LOCAL_REGION}.amazonaws.com/${String(resolver.resolve({ Ref: logicalId }, `Resources.${logicalId}`))}`);
  return (issuer: string): string | undefined => (issuer === endpoints.jwtIssuer || poolIssuers.includes(issuer) ? endpoints.jwtIssuer : undefined);
};

const resolveOutputs = (template: CloudFormationTemplate, resolver: TemplateResolver): Record<string, string> => {
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && !resolver.condition(output.Condition)) continue;
    const value = resolver.resolve(output.Value, `Outputs.${name}.Value`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TemplateError(`Output ${name} does not resolve to a single value: ${JSON.stringify(value)}`);
    }
    outputs[name] = String(value);
  }
  return outputs;
};

/** Fails when a served resource points at a function, queue, machine or bus this stack does not declare. */
const checkReferences = (app: LocalApp): void => {
  const functionNames = new Set(app.functions.map((fn) => fn.name));
  const queueArns = new Set(app.queues.map((queue) => queue.arn));
  const machineArns = new Set(app.stateMachines.map((machine) => machine.arn));
  const busNames = new Set([DEFAULT_EVENT_BUS, ...app.eventBuses.map((bus) => bus.name)]);
  const busArns = new Set([eventBusArn(DEFAULT_EVENT_BUS), ...app.eventBuses.map((bus) => bus.arn)]);
  const require = (exists: boolean, message: string) => {
    if (!exists) throw new TemplateError(message);
  };

  const duplicateQueue = app.queues.find((queue, index) => app.queues.findIndex((other) => other.name === queue.name) !== index);
  require(duplicateQueue === undefined, `Queue ${duplicateQueue?.logicalId}: the queue name ${duplicateQueue?.name} is declared twice`);
  for (const queue of app.queues) {
    const dlq = queue.redrivePolicy?.deadLetterQueueArn;
    if (dlq) require(queueArns.has(dlq), `Queue ${queue.logicalId}: its dead-letter queue ${dlq} is not a queue of this stack`);
  }
  for (const fn of app.functions) {
    const dlq = fn.deadLetterQueueArn;
    if (dlq) require(queueArns.has(dlq), `Function ${fn.logicalId}: its dead-letter queue ${dlq} is not a queue of this stack`);
  }
  for (const mapping of app.eventSourceMappings) {
    require(functionNames.has(mapping.functionName), `Event source mapping ${mapping.logicalId}: function ${mapping.functionName} is not a function of this stack`);
    require(queueArns.has(mapping.queueArn), `Event source mapping ${mapping.logicalId}: queue ${mapping.queueArn} is not a queue of this stack`);
  }
  for (const rule of app.rules) {
    require(busNames.has(rule.eventBusName), `Rule ${rule.logicalId}: event bus ${rule.eventBusName} is not a bus of this stack`);
    for (const target of rule.targets) {
      const where = `Rule ${rule.logicalId} target ${target.id}`;
      if (target.kind === 'lambda') require(functionNames.has(lambdaFunctionNameOf(target.arn)), `${where}: ${target.arn} is not a function of this stack`);
      if (target.kind === 'sqs') require(queueArns.has(target.arn), `${where}: ${target.arn} is not a queue of this stack`);
      if (target.kind === 'stepFunctions') require(machineArns.has(target.arn), `${where}: ${target.arn} is not a state machine of this stack`);
      if (target.kind === 'eventBus') require(busArns.has(target.arn), `${where}: ${target.arn} is not an event bus of this stack`);
      if (target.deadLetterQueueArn) require(queueArns.has(target.deadLetterQueueArn), `${where}: dead-letter queue ${target.deadLetterQueueArn} is not a queue of this stack`);
    }
  }
  for (const archive of app.archives) {
    require(busArns.has(archive.eventBusArn), `Archive ${archive.logicalId}: event bus ${archive.eventBusArn} is not a bus of this stack`);
  }
  for (const api of app.httpApis) {
    for (const route of api.routes) {
      require(functionNames.has(route.functionName), `API ${api.logicalId} route ${route.routeKey}: function ${route.functionName} is not a function of this stack`);
    }
  }
};
