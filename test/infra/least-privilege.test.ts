import * as path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { z } from 'zod';
import { TABLES } from '#domain/tables';
import { SUSTAINED } from '#infra/constructs/alarms';
import { PUBLISHED_EVENTS } from '#infra/constructs/publishing';
import { PAYMENT_TOKEN_ATTRIBUTE } from '#infra/constructs/table-access';
import { TABLE_NAME_OUTPUTS } from '#infra/outputs';
import { fileSystemTree, scanHandlers } from '#tools/context-map/code-scan';
import { resolveDefinition } from '#tools/context-map/event-definitions';
import { functionsByHandler, grantsOfRole, referencedLogicalId, synthesizeForAssertions, type Grant } from './template-queries.ts';

/**
 * Each function may do only its own job: read from the synthesized
 * policies, not from the helpers that wrote them.
 */

/** Reads that return item attributes to the caller. */
const PURCHASE_READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'];
/** The one function whose job needs the payment token: it hands it to the payment provider. */
const TOKEN_READER = 'charge-payment';
/** Readers of the whole purchase, payment token included: none, every read names its attributes. */
const WHOLE_ITEM_READERS: readonly string[] = [];
/** Every function that reads a purchase. */
const PURCHASE_READERS = ['charge-payment', 'create-purchase', 'get-purchase', 'start-purchase', 'sweep-purchases'];

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

let template: Template;
let roles: Array<{ handler: string; grants: Grant[] }>;

beforeAll(() => {
  template = synthesizeForAssertions();
  roles = [...functionsByHandler(template)].map(([handler, resource]) => ({ handler, grants: grantsOfRole(template, referencedLogicalId(resource.Properties.Role)) }));
});

const purchasesTable = () => referencedLogicalId(Object.values(template.findOutputs(TABLE_NAME_OUTPUTS.purchases))[0]?.Value);
/** Statements on the purchases table itself (its keys-only index excluded: it holds no token). */
const onPurchasesTable = (grant: Grant) => grant.resources.some((resource) => JSON.stringify(resource) === JSON.stringify({ 'Fn::GetAtt': [purchasesTable(), 'Arn'] }));
const valuesOf = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : [value].flat());

describe('DynamoDB', () => {
  it('lets no function scan a table', () => {
    // Act
    const scanners = roles.filter((role) => role.grants.some((grant) => grant.actions.some((action) => action === 'dynamodb:Scan' || action === 'dynamodb:*')));

    // Assess
    expect(scanners.map((role) => role.handler)).toEqual([]);
  });

  it('lets no function batch-write or delete items, except idempotency records', () => {
    // Act
    const writers = roles.flatMap((role) =>
      role.grants
        .filter((grant) => grant.actions.some((action) => action === 'dynamodb:BatchWriteItem' || action === 'dynamodb:DeleteItem'))
        .flatMap((grant) => grant.resources.map((resource) => `${role.handler} ${JSON.stringify(resource)}`)),
    );

    // Assess
    for (const writer of writers) expect(writer).toContain('"DataIdempotency');
  });

  it('lets every reader of the purchases table read only named attributes, and only the charge step the token', () => {
    // Act
    const readers = roles.flatMap((role) =>
      role.grants
        .filter((grant) => onPurchasesTable(grant) && grant.actions.some((action) => PURCHASE_READS.includes(action)))
        .map((grant) => ({ handler: role.handler, grant })),
    );
    const unconditioned = readers.filter(({ grant }) => grant.conditions['ForAllValues:StringEquals']?.['dynamodb:Attributes'] === undefined);
    const conditioned = readers.filter((reader) => !unconditioned.includes(reader));

    // Assess
    expect(unconditioned.map(({ handler }) => handler).sort()).toEqual(WHOLE_ITEM_READERS);
    for (const { grant } of unconditioned) expect(grant.actions.filter((action) => PURCHASE_READS.includes(action))).toEqual(['dynamodb:GetItem']);
    expect(conditioned.map(({ handler }) => handler).sort()).toEqual(PURCHASE_READERS);
    for (const { handler, grant } of conditioned) {
      const attributes = valuesOf(grant.conditions['ForAllValues:StringEquals']?.['dynamodb:Attributes']);
      expect(attributes).toContain(TABLES.purchases.partitionKey);
      expect(attributes.includes(PAYMENT_TOKEN_ATTRIBUTE)).toBe(handler === TOKEN_READER);
      expect(grant.conditions.StringEqualsIfExists?.['dynamodb:Select']).toBe('SPECIFIC_ATTRIBUTES');
    }
  });
});

describe('EventBridge', () => {
  const putEvents = (grants: readonly Grant[]) => grants.filter((grant) => grant.actions.some((action) => action === 'events:PutEvents' || action === 'events:*'));

  it('conditions every PutEvents on the source and detail-type of the events the function publishes', () => {
    // Act
    const statements = roles.flatMap((role) => putEvents(role.grants));

    // Assess
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(valuesOf(statement.conditions.StringEquals?.['events:source']).length).toBeGreaterThan(0);
      expect(valuesOf(statement.conditions.StringEquals?.['events:detail-type']).length).toBeGreaterThan(0);
    }
  });

  it("lets each function publish exactly what its code publishes, by the context map's scan of the handlers", () => {
    // Prepare
    const tree = fileSystemTree(PROJECT_ROOT);
    const published = Object.fromEntries(
      scanHandlers(tree)
        .filter((scan) => scan.published.length > 0)
        .map((scan) => [scan.name, scan.published.map((reference) => resolveDefinition(tree, reference))]),
    );

    // Act
    const allowed = Object.fromEntries(
      roles
        .map((role) => ({ handler: role.handler, statements: putEvents(role.grants) }))
        .filter((role) => role.statements.length > 0)
        .map((role) => [
          role.handler,
          {
            sources: role.statements.flatMap((statement) => valuesOf(statement.conditions.StringEquals?.['events:source'])).sort(),
            detailTypes: role.statements.flatMap((statement) => valuesOf(statement.conditions.StringEquals?.['events:detail-type'])).sort(),
          },
        ]),
    );

    // Assess
    expect(Object.keys(PUBLISHED_EVENTS).sort()).toEqual(Object.keys(published).sort());
    expect(allowed).toEqual(
      Object.fromEntries(
        Object.entries(published).map(([handler, definitions]) => [
          handler,
          {
            sources: [...new Set(definitions.map((definition) => definition.source))].sort(),
            detailTypes: definitions.map((definition) => definition.detailType).sort(),
          },
        ]),
      ),
    );
  });
});

describe('alarms', () => {
  const alarmSchema = z.object({
    Properties: z.object({ AlarmDescription: z.string(), EvaluationPeriods: z.number(), DatapointsToAlarm: z.number().optional(), Namespace: z.string().optional() }),
  });
  const alarms = () => Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(([logicalId, alarm]) => ({ logicalId, ...alarmSchema.parse(alarm).Properties }));

  it('says in every alarm why it pages a person and what to do', () => {
    // Assess
    for (const alarm of alarms()) expect(alarm.AlarmDescription.length).toBeGreaterThan(80);
  });

  it('fires on the first datapoint only for conditions that persist until someone acts: dead letters and unsettled executions', () => {
    // Act
    const immediate = alarms().filter((alarm) => alarm.EvaluationPeriods === 1);
    const sustained = alarms().filter((alarm) => alarm.EvaluationPeriods > 1);

    // Assess
    expect(immediate.map((alarm) => alarm.logicalId).every((id) => /DeadLetterQueueNotEmpty|ExecutionNeedsAPerson/.test(id))).toBe(true);
    expect(sustained.map((alarm) => alarm.logicalId).sort()).toEqual([expect.stringMatching(/Api5xx/), expect.stringMatching(/SweepFailed/), expect.stringMatching(/WaitingRoomAdmissionFailed/)]);
    for (const alarm of sustained) expect(alarm).toMatchObject({ EvaluationPeriods: SUSTAINED.evaluationPeriods, DatapointsToAlarm: SUSTAINED.datapointsToAlarm });
  });
});
