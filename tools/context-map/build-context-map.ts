import { EVENT_CATALOG } from '#events/catalog';
import type { EventDefinition } from '#events/event-definition';
import { compileEventPattern } from '#local/index';
import { COMPENSATION_STEPS, FORWARD_STEPS, TASK_FUNCTIONS } from '#workflows/purchase-saga';
import { scanHandlers, type HandlerScan, type SourceTree } from './code-scan.ts';
import { CONTEXTS, contextOfDomainFolder, contextOfEventSource, HANDLER_CONTEXTS } from './contexts.ts';
import { resolveDefinition } from './event-definitions.ts';
import type { BoundedContext, ContextMap, HandlerEntry, RuleEntry, StepEntry, Trigger } from './model.ts';
import { readTemplateWiring, type TemplateRule, type TemplateWiring } from './template-wiring.ts';

/** The code and the template disagree, or the declarations do not fit the code: the map would be wrong. */
export class ContextMapError extends Error {
  override readonly name = 'ContextMapError';
}

export interface ContextMapInputs {
  readonly tree: SourceTree;
  /** The synthesized CloudFormation template (parsed JSON). */
  readonly template: unknown;
  readonly catalog?: readonly EventDefinition[];
  readonly handlerContexts?: Readonly<Record<string, BoundedContext>>;
  /** Task state -> definition substitution, as workflows/purchase-saga.ts declares them. */
  readonly taskFunctions?: Readonly<Record<string, string>>;
}

const contextOf = (scan: HandlerScan, declared: Readonly<Record<string, BoundedContext>>): BoundedContext => {
  const imported = [
    ...new Set(
      scan.domainFolders.map((folder) => {
        const context = contextOfDomainFolder(folder);
        if (!context) throw new ContextMapError(`domain/${folder}/ belongs to no bounded context: add it to CONTEXTS in tools/context-map/contexts.ts`);
        return context;
      }),
    ),
  ];
  const declaration = declared[scan.name];
  if (declaration) {
    if (!imported.includes(declaration)) {
      throw new ContextMapError(`${scan.file} is declared ${declaration} but imports no ${declaration} domain code (it imports ${imported.join(', ') || 'none'})`);
    }
    return declaration;
  }
  const [only, ...others] = imported;
  if (!only) throw new ContextMapError(`${scan.file} imports no domain/<context>/ code: declare its context in HANDLER_CONTEXTS`);
  if (others.length > 0) throw new ContextMapError(`${scan.file} imports ${imported.join(' and ')} domain code: declare its context in HANDLER_CONTEXTS`);
  return only;
};

/** The catalog events a rule delivers, whatever filter its pattern puts on the detail (it delivers some of them). */
const eventsOfRule = (rule: TemplateRule, catalog: readonly EventDefinition[]): string[] => {
  const { detail: _contentFilter, ...envelopePattern } = rule.eventPattern;
  const pattern = compileEventPattern(envelopePattern);
  return catalog.filter((definition) => pattern.matches({ source: definition.source, 'detail-type': definition.detailType, detail: {} })).map((d) => d.detailType);
};

const roleOf = (state: string): StepEntry['role'] =>
  (FORWARD_STEPS as readonly string[]).includes(state) ? 'forward' : (COMPENSATION_STEPS as readonly string[]).includes(state) ? 'compensation' : 'on failure';

/** The infra must wire each task to the function workflows/purchase-saga.ts names for it. */
const checkSteps = (wiring: TemplateWiring, taskFunctions: Readonly<Record<string, string>>): void => {
  for (const [state, substitution] of Object.entries(taskFunctions)) {
    const step = wiring.steps.find((candidate) => candidate.state === state);
    if (!step) throw new ContextMapError(`the template's state machine has no Lambda task ${state}`);
    if (step.substitution !== substitution) throw new ContextMapError(`${state} calls \${${step.substitution}} in the template, but TASK_FUNCTIONS names ${substitution}`);
  }
};


export const buildContextMap = ({ tree, template, catalog = EVENT_CATALOG, handlerContexts = HANDLER_CONTEXTS, taskFunctions = TASK_FUNCTIONS }: ContextMapInputs): ContextMap => {
  const scans = scanHandlers(tree);
  const wiring = readTemplateWiring(template);
  checkSteps(wiring, taskFunctions);

  const inCatalogOrder = (detailTypes: readonly string[]) => catalog.map((definition) => definition.detailType).filter((detailType) => detailTypes.includes(detailType));
  const handlerNames = new Set(scans.map((scan) => scan.name));
  for (const name of Object.keys(handlerContexts)) {
    if (!handlerNames.has(name)) throw new ContextMapError(`HANDLER_CONTEXTS declares ${name}, which is not a file in handlers/`);
  }
  const deployed = new Set(wiring.handlers.values());
  for (const name of deployed) if (!handlerNames.has(name)) throw new ContextMapError(`the template deploys a function for handler ${name}, which is not a file in handlers/`);
  for (const name of handlerNames) if (!deployed.has(name)) throw new ContextMapError(`handlers/${name}.ts is deployed by no function of the template`);

  const rules: RuleEntry[] = wiring.rules.map((rule) => {
    const sources = rule.eventPattern.source;
    return {
      name: rule.name,
      ...(rule.description ? { description: rule.description } : {}),
      sources: Array.isArray(sources) ? sources.filter((source): source is string => typeof source === 'string') : [],
      detailTypes: eventsOfRule(rule, catalog),
      targets: [...rule.targets],
    };
  });
  const steps: StepEntry[] = wiring.steps.map((step) => ({ ...step, role: roleOf(step.state) }));

  const triggersOf = (name: string): Trigger[] => [
    ...wiring.routes.filter((route) => route.handler === name).map((route): Trigger => ({ kind: 'http', route: route.routeKey })),
    ...wiring.queues.filter((queue) => queue.handler === name).map((queue): Trigger => ({ kind: 'queue', queue: queue.queue })),
    ...steps.filter((step) => step.handler === name).map((step): Trigger => ({ kind: 'state', state: step.state, role: step.role })),
    ...rules.filter((rule) => rule.targets.includes(name)).map((rule): Trigger => ({ kind: 'rule', rule: rule.name })),
    ...wiring.schedules.filter((schedule) => schedule.handler === name).map((schedule): Trigger => ({ kind: 'schedule', schedule: schedule.schedule })),
  ];

  const handlers: HandlerEntry[] = scans.map((scan) => ({
    name: scan.name,
    context: contextOf(scan, handlerContexts),
    domainFolders: [...scan.domainFolders],
    publishes: inCatalogOrder(scan.published.map((reference) => resolveDefinition(tree, reference, catalog).detailType)),
    consumes: inCatalogOrder(rules.filter((rule) => rule.targets.includes(scan.name)).flatMap((rule) => rule.detailTypes)),
    triggers: triggersOf(scan.name),
  }));

  const events = catalog.map((definition) => {
    const context = contextOfEventSource(definition.source);
    if (!context) throw new ContextMapError(`${definition.detailType} has source ${definition.source}, which names no bounded context`);
    return {
      detailType: definition.detailType,
      source: definition.source,
      context,
      description: definition.description,
      publishers: handlers.filter((handler) => handler.publishes.includes(definition.detailType)).map((handler) => handler.name),
      consumers: handlers.filter((handler) => handler.consumes.includes(definition.detailType)).map((handler) => handler.name),
    };
  });

  return {
    contexts: CONTEXTS.map((context) => ({ name: context.name, eventSource: context.eventSource, domainFolders: [...context.domainFolders] })),
    handlers,
    events,
    rules,
    steps,
  };
};
