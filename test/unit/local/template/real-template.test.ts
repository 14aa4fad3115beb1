import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TABLES } from '#domain/tables';
import { STACK_NAME } from '#infra/outputs';
import { synthesizeTemplate } from '#infra/synth';
import { buildLocalApp } from '#local/template/build-local-app';
import type { LocalApp, LocalFunction } from '#local/template/local-app';
import { STATES, TASK_FUNCTIONS } from '#workflows/purchase-saga';
import { LOCAL_ENDPOINTS } from './fixtures/local-endpoints';

/**
 * The model of the app's own template, synthesized in process. Bundling is
 * skipped to keep this fast: every function points at a stand-in bundle,
 * since this test is about what the template declares, not the code.
 */
const STAND_IN_BUNDLE = join(__dirname, 'fixtures', 'assembly', 'asset.1f2e3d');
const SYNTH_TIMEOUT_MS = 120_000;

const REPOSITORY_ROOT = resolve(__dirname, '../../../..');
const HANDLER_NAMES = readdirSync(join(REPOSITORY_ROOT, 'handlers'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -'.ts'.length));

/** Functions carry their handler's file name as POWERTOOLS_SERVICE_NAME. */
const handlerOf = (fn: LocalFunction | undefined) => fn?.environment.POWERTOOLS_SERVICE_NAME;

describe('LocalApp of the synthesized ticketing stack', () => {
  let app: LocalApp;
  const functionNamed = (name: string) => app.functions.find((fn) => fn.name === name || fn.arn === name);

  beforeAll(() => {
    const template = synthesizeTemplate({ bundle: false, validateTemplate: false });
    app = buildLocalApp({ template, stackName: STACK_NAME, endpoints: LOCAL_ENDPOINTS, locateAsset: () => STAND_IN_BUNDLE });
  }, SYNTH_TIMEOUT_MS);

  it('serves one function per handler', () => {
    expect(app.functions.map(handlerOf).sort()).toEqual([...HANDLER_NAMES].sort());
  });

  it('serves the saga with all its states, each task invoking a function of the stack', () => {
    const [machine, ...others] = app.stateMachines;
    const taskFunctions = Object.keys(TASK_FUNCTIONS).map((state) => {
      const parameters = (machine?.definition.States[state] as { Parameters?: { FunctionName?: string } } | undefined)?.Parameters;
      return handlerOf(functionNamed(parameters?.FunctionName ?? ''));
    });

    expect(others).toEqual([]);
    expect(Object.keys(machine?.definition.States ?? {}).sort()).toEqual(Object.values(STATES).sort());
    expect(Object.keys(machine?.definition.States ?? {})).toHaveLength(10);
    expect(taskFunctions).toEqual([
      'reserve-seats',
      'charge-payment',
      'create-invoice',
      'confirm-purchase',
      'void-invoice',
      'refund-payment',
      'release-seats',
      'record-purchase-failure',
    ]);
  });

  it('serves the purchase queue with its dead-letter queue, drained by the starter', () => {
    const [mapping, ...others] = app.eventSourceMappings;
    const queue = app.queues.find((candidate) => candidate.arn === mapping?.queueArn);
    const deadLetterQueue = app.queues.find((candidate) => candidate.arn === queue?.redrivePolicy?.deadLetterQueueArn);

    expect(others).toEqual([]);
    expect(handlerOf(functionNamed(mapping?.functionName ?? ''))).toBe('start-purchase');
    expect(mapping).toMatchObject({ reportBatchItemFailures: true, maximumConcurrency: expect.any(Number) });
    expect(deadLetterQueue).toBeDefined();
    expect(queue?.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * (functionNamed(mapping?.functionName ?? '')?.timeoutSeconds ?? Infinity));
  });

  it('serves the bus with its archive and a rule per projection', () => {
    const [bus] = app.eventBuses;
    const patternRules = app.rules.filter((rule) => rule.scheduleExpression === undefined);

    expect(app.eventBuses).toHaveLength(1);
    expect(app.archives.map((archive) => archive.eventBusName)).toEqual([bus?.name]);
    expect(patternRules.every((rule) => rule.eventBusName === bus?.name && rule.enabled)).toBe(true);
    expect(patternRules.flatMap((rule) => rule.targets.map((target) => handlerOf(functionNamed(target.arn)))).sort()).toEqual([
      'project-purchase-status',
      'project-seat-availability',
    ]);
  });

  it("serves the sweeper's and the admitter's schedules as scheduled rules on the default bus", () => {
    const scheduled = app.rules.filter((rule) => rule.scheduleExpression !== undefined);

    expect(scheduled.map((rule) => [rule.eventBusName, rule.scheduleExpression, rule.targets.map((target) => handlerOf(functionNamed(target.arn)))])).toEqual([
      ['default', 'rate(1 minute)', ['sweep-purchases']],
      ['default', 'rate(1 minute)', ['admit-buyers']],
    ]);
  });

  it('serves the API routes behind the local JWT issuer', () => {
    const routes = app.httpApis.flatMap((api) => api.routes);

    expect(routes.map((route) => [route.routeKey, handlerOf(functionNamed(route.functionName))]).sort()).toEqual([
      ['GET /concerts/{concertId}/queue/{ticketId}', 'get-queue-ticket'],
      ['GET /concerts/{concertId}/seats', 'get-concert-seats'],
      ['GET /purchases/{purchaseId}', 'get-purchase'],
      ['POST /concerts/{concertId}/queue', 'join-queue'],
      ['POST /purchases', 'create-purchase'],
    ]);
    expect(routes.every((route) => route.authorizer?.issuer === LOCAL_ENDPOINTS.jwtIssuer)).toBe(true);
  });

  it('serves a table per table of the domain, with its key schema', () => {
    const partitionKeys = app.tables.map((table) => table.partitionKey.name).sort();

    expect(partitionKeys).toEqual(Object.values(TABLES).map((table) => table.partitionKey).sort());
  });
});
