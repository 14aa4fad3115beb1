import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { EventDefinition } from '#events/event-definition';
import { main } from '#tools/context-map';
import { buildContextMap, ContextMapError, type ContextMapInputs } from '#tools/context-map/build-context-map';
import type { SourceTree } from '#tools/context-map/code-scan';
import { embedModel, extractModel } from '#tools/context-map/embedded-model';
import { CONTEXT_MAP_PAGE, contextMapOf, loadTemplate, type GeneratedMap } from '#tools/context-map/generate';
import { readModuleSyntax } from '#tools/context-map/module-imports';
import { readTemplateWiring } from '#tools/context-map/template-wiring';
import { bufferedIo } from './ops/support.ts';

/** Synthesizing the stack takes several seconds: once for the whole file. */
const SYNTH_TIMEOUT_MS = 120_000;

describe('the map of this repository', () => {
  let template: unknown;
  let generated: GeneratedMap;

  beforeAll(() => {
    template = loadTemplate();
    generated = contextMapOf(template);
  }, SYNTH_TIMEOUT_MS);

  test('docs/context-map.md is up to date (regenerate it with npm run context-map)', () => {
    const checkedIn = readFileSync(CONTEXT_MAP_PAGE, 'utf8');

    expect(checkedIn).toBe(generated.markdown);
  });

  test('a handler publishes the events its domain code builds: create-purchase through domain/orders', () => {
    const createPurchase = generated.model.handlers.find((handler) => handler.name === 'create-purchase');

    expect(createPurchase).toMatchObject({ context: 'Orders', domainFolders: ['orders', 'waiting-room'], publishes: ['PurchaseRequested.v1', 'PurchaseRequested.v2'] });
  });

  test('projections import event definitions to parse them, and publish nothing', () => {
    const projections = generated.model.handlers.filter((handler) => handler.name.startsWith('project-'));

    expect(projections.map((handler) => [handler.name, handler.publishes, handler.consumes.length])).toEqual([
      ['project-purchase-status', [], 10],
      ['project-seat-availability', [], 3],
    ]);
  });

  test('a handler run on a schedule says so, with the schedule', () => {
    const scheduled = generated.model.handlers.filter((handler) => handler.triggers.some((trigger) => trigger.kind === 'schedule'));

    expect(scheduled.map((handler) => [handler.name, handler.triggers])).toEqual([
      ['admit-buyers', [{ kind: 'schedule', schedule: 'rate(1 minute)' }]],
      ['sweep-purchases', [{ kind: 'schedule', schedule: 'rate(1 minute)' }]],
    ]);
  });

  test('each saga step is wired to its handler, with its role', () => {
    expect(generated.model.steps.map((step) => `${step.state}=${step.handler} (${step.role})`)).toEqual([
      'ReserveSeats=reserve-seats (forward)',
      'ChargePayment=charge-payment (forward)',
      'CreateInvoice=create-invoice (forward)',
      'ConfirmPurchase=confirm-purchase (forward)',
      'VoidInvoice=void-invoice (compensation)',
      'RefundPayment=refund-payment (compensation)',
      'ReleaseSeats=release-seats (compensation)',
      'RecordPurchaseFailure=record-purchase-failure (on failure)',
    ]);
  });

  test('every handler is in one of the five bounded contexts', () => {
    const contexts = new Set(generated.model.handlers.map((handler) => handler.context));

    expect(contexts).toEqual(new Set(['Orders', 'Inventory', 'Billing', 'Invoicing', 'WaitingRoom']));
  });

  test('npm run context-map -- --check passes on the checked-in page', async () => {
    const templateFile = join(mkdtempSync(join(tmpdir(), 'context-map-')), 'template.json');
    writeFileSync(templateFile, JSON.stringify(template));
    const out = bufferedIo();

    const code = await main(['--check', '--template', templateFile], out.io);

    expect(out.stderr()).toBe('');
    expect(code).toBe(0);
  });
});

test.each([
  ['an unknown flag', ['--verbose']],
  ['a positional argument', ['docs/other.md']],
  ['an operator target flag', ['--target', 'aws']],
])('npm run context-map with %s is a usage error', async (_case, argv) => {
  const out = bufferedIo();

  const code = await main(argv, out.io);

  expect(code).toBe(2);
  expect(out.stderr()).toContain('Usage: npm run context-map');
});

describe('reading a module', () => {
  test('type-only imports are marked, and only calls of imported values with an imported first argument are kept', () => {
    const source = `
      import type { A } from '#events/a';
      import { type B, domainEvent } from '#events/event-definition';
      import { OrderPlacedEvent } from '#events/order-placed';
      const local = 1;
      export const f = () => [domainEvent(OrderPlacedEvent, {}), domainEvent(local, {}), String(OrderPlacedEvent)];
    `;

    const syntax = readModuleSyntax('x.ts', source);

    expect(syntax.imports.map((entry) => [entry.specifier, entry.typeOnly, entry.bindings.map((b) => `${b.imported}${b.typeOnly ? ':type' : ''}`)])).toEqual([
      ['#events/a', true, ['A:type']],
      ['#events/event-definition', false, ['B:type', 'domainEvent']],
      ['#events/order-placed', false, ['OrderPlacedEvent']],
    ]);
    expect(syntax.calls).toEqual([
      { callee: { specifier: '#events/event-definition', imported: 'domainEvent' }, firstArgument: { specifier: '#events/order-placed', imported: 'OrderPlacedEvent' } },
    ]);
  });
});

describe('building a map from code and a template', () => {
  const memoryTree = (files: Readonly<Record<string, string>>): SourceTree => ({
    read: (file) => files[file],
    list: (folder) => Object.keys(files).filter((file) => file.startsWith(`${folder}/`) && !file.slice(folder.length + 1).includes('/')).map((file) => file.slice(folder.length + 1)),
  });

  const definition = (detailType: string, source: EventDefinition['source']): EventDefinition => ({ detailType, source, description: `${detailType} happened`, schema: z.unknown() });
  const CATALOG = [definition('OrderPlaced.v1', 'ticketing.orders'), definition('SeatsHeld.v1', 'ticketing.inventory')];

  const CODE = {
    'package.json': JSON.stringify({ imports: { '#events/*': './events/*.ts', '#domain/*': './domain/*.ts' } }),
    'events/event-definition.ts': 'export const domainEvent = (d, x) => ({ d, x });',
    'events/order-placed.ts': "export const OrderPlacedEvent = defineEvent({ detailType: 'OrderPlaced.v1', source: EVENT_SOURCES.orders });",
    'events/seats-held.ts': "export const SeatsHeldEvent = defineEvent({ detailType: 'SeatsHeld.v1', source: EVENT_SOURCES.inventory });",
    'domain/orders/place.ts': "import { announce } from './announce.ts';\nexport const place = () => announce();",
    'domain/orders/announce.ts': "import { domainEvent } from '#events/event-definition';\nimport { OrderPlacedEvent } from '#events/order-placed';\nexport const announce = () => domainEvent(OrderPlacedEvent, {});",
    'domain/orders/projection.ts': "import { SeatsHeldEvent } from '#events/seats-held';\nexport const project = (e) => e === SeatsHeldEvent.detailType;",
    'domain/inventory/hold.ts': 'export const hold = () => 1;',
    'handlers/place-order.ts': "import { place } from '#domain/orders/place';\nimport type { Hold } from '#domain/inventory/hold';\nexport const handler = place;",
    'handlers/project-orders.ts': "import { project } from '#domain/orders/projection';\nexport const handler = project;",
  };

  const fn = (handler: string) => ({ Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: handler } } } });
  const TEMPLATE = {
    Resources: {
      PlaceOrder0A1B2C3D: fn('place-order'),
      ProjectOrders0A1B2C3D: fn('project-orders'),
      OrdersRuleABCDEF12: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventPattern: { source: [{ prefix: 'ticketing.' }], detail: { status: ['HELD'] } },
          Targets: [{ Arn: { 'Fn::GetAtt': ['ProjectOrders0A1B2C3D', 'Arn'] }, Id: 'Target0' }],
        },
      },
      Saga12345678: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: JSON.stringify({
            StartAt: 'PlaceOrder',
            States: { PlaceOrder: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${PlaceOrderFunctionArn}' }, End: true } },
          }),
          DefinitionSubstitutions: { PlaceOrderFunctionArn: { 'Fn::GetAtt': ['PlaceOrder0A1B2C3D', 'Arn'] } },
        },
      },
    },
  };

  const inputs = (overrides: Partial<ContextMapInputs> = {}): ContextMapInputs => ({
    tree: memoryTree(CODE),
    template: TEMPLATE,
    catalog: CATALOG,
    handlerContexts: {},
    taskFunctions: { PlaceOrder: 'PlaceOrderFunctionArn' },
    ...overrides,
  });

  test('publishing is found through domain code imported indirectly; importing a definition is not publishing', () => {
    const map = buildContextMap(inputs());

    expect(map.handlers.map((handler) => [handler.name, handler.context, handler.publishes])).toEqual([
      ['place-order', 'Orders', ['OrderPlaced.v1']],
      ['project-orders', 'Orders', []],
    ]);
  });

  test('a rule delivers every catalog event its pattern matches, whatever it filters on in the detail', () => {
    const map = buildContextMap(inputs());

    expect(map.rules).toEqual([{ name: 'OrdersRule', sources: [], detailTypes: ['OrderPlaced.v1', 'SeatsHeld.v1'], targets: ['project-orders'] }]);
    expect(map.events.map((event) => [event.detailType, event.context, event.publishers, event.consumers])).toEqual([
      ['OrderPlaced.v1', 'Orders', ['place-order'], ['project-orders']],
      ['SeatsHeld.v1', 'Inventory', [], ['project-orders']],
    ]);
  });

  test('triggers come from the template: a state of the machine, a rule', () => {
    const map = buildContextMap(inputs());

    expect(map.handlers.map((handler) => handler.triggers)).toEqual([[{ kind: 'state', state: 'PlaceOrder', role: 'on failure' }], [{ kind: 'rule', rule: 'OrdersRule' }]]);
  });

  test.each<[string, Partial<ContextMapInputs>, string]>([
    [
      'a handler importing two contexts without a declaration',
      { tree: memoryTree({ ...CODE, 'handlers/place-order.ts': "import { place } from '#domain/orders/place';\nimport { hold } from '#domain/inventory/hold';" }) },
      'handlers/place-order.ts imports Inventory and Orders domain code: declare its context in HANDLER_CONTEXTS',
    ],
    ['a declaration the imports do not support', { handlerContexts: { 'place-order': 'Billing' } }, 'handlers/place-order.ts is declared Billing but imports no Billing domain code'],
    ['a declaration of a handler that does not exist', { handlerContexts: { 'cancel-order': 'Orders' } }, 'HANDLER_CONTEXTS declares cancel-order'],
    ['a handler no function deploys', { tree: memoryTree({ ...CODE, 'handlers/cancel-order.ts': "import { place } from '#domain/orders/place';" }) }, 'handlers/cancel-order.ts is deployed by no function'],
    ['a domain folder of no context', { tree: memoryTree({ ...CODE, 'handlers/place-order.ts': "import { x } from '#domain/shipping/ship';" }) }, 'domain/shipping/ belongs to no bounded context'],
    ['a published event missing from the catalog', { catalog: CATALOG.slice(1) }, 'OrderPlaced.v1 (events/order-placed.ts) is published but missing from EVENT_CATALOG'],
    ['a task the infra wires to another substitution', { taskFunctions: { PlaceOrder: 'OtherFunctionArn' } }, 'PlaceOrder calls ${PlaceOrderFunctionArn} in the template, but TASK_FUNCTIONS names OtherFunctionArn'],
  ])('%s fails the generation with a clear message', (_case, overrides, message) => {
    expect(() => buildContextMap(inputs(overrides))).toThrow(message);
  });

  test('the declared context errors are ContextMapErrors', () => {
    expect(() => buildContextMap(inputs({ handlerContexts: { 'place-order': 'Billing' } }))).toThrow(ContextMapError);
  });

  test('a function without its handler name in the environment is refused', () => {
    const template = { Resources: { ...TEMPLATE.Resources, Anonymous12345678: { Type: 'AWS::Lambda::Function', Properties: {} } } };

    expect(() => readTemplateWiring(template)).toThrow('function Anonymous12345678 has no POWERTOOLS_SERVICE_NAME');
  });
});

describe('the model embedded in the page', () => {
  test('is read back exactly, even when a text holds the end of a comment', () => {
    const model = { contexts: [], handlers: [], rules: [], steps: [], events: [{ detailType: 'X.v1', source: 'ticketing.orders', context: 'Orders' as const, description: 'a --> b', publishers: [], consumers: [] }] };

    const page = `# Map\n\n${embedModel(model)}`;

    expect(extractModel(page)).toEqual(model);
  });

  test('a page without it says how to regenerate it', () => {
    expect(() => extractModel('# Map\n')).toThrow('the page has no embedded model: regenerate it with npm run context-map');
  });
});
