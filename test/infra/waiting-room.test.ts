import { Match, type Template } from 'aws-cdk-lib/assertions';
import { TABLE_NAME_OUTPUTS } from '#infra/outputs';
import { PRE_QUEUE_INDEX } from '#domain/waiting-room/queue-ticket';
import { ADMISSION_KEY_ATTRIBUTE } from '#domain/waiting-room/on-sale';
import { functionOf, functionsByHandler, grantsOfRole, onlyResource, referencedLogicalId, resourcesAllowed, synthesizeForAssertions } from './template-queries.ts';

/** The waiting room's part of the template: its schedule, its index, its routes and who may read the admission key. */
let template: Template;
beforeAll(() => {
  template = synthesizeForAssertions();
});

const tableOf = (output: string) => referencedLogicalId(Object.values(template.findOutputs(output))[0]?.Value);
const roleOf = (handlerName: string) => referencedLogicalId(functionOf(template, handlerName).Properties.Role);

describe('waiting room', () => {
  it('runs the admitter every minute, with no retry that could overlap the next run', () => {
    // Prepare
    const admitter = functionOf(template, 'admit-buyers');

    // Act
    const rule = onlyResource(template, 'AWS::Events::Rule', {
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [admitter.logicalId, 'Arn'] } })]),
    }).resource;

    // Assess
    expect(rule).toMatchObject({ Properties: { ScheduleExpression: 'rate(1 minute)', State: 'ENABLED', Targets: [{ RetryPolicy: { MaximumRetryAttempts: 0 } }] } });
  });

  it('indexes only the pre-queue, by shuffle key, keys only', () => {
    // Act
    const table = template.toJSON().Resources[tableOf(TABLE_NAME_OUTPUTS.waitingRoom)];

    // Assess
    expect(table.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: PRE_QUEUE_INDEX.name,
        KeySchema: [
          { AttributeName: PRE_QUEUE_INDEX.partitionKey, KeyType: 'HASH' },
          { AttributeName: PRE_QUEUE_INDEX.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
  });

  it('lets the admitter read the depth of the purchase dead-letter queue and nothing else of SQS', () => {
    // Act
    const sqsGrants = grantsOfRole(template, roleOf('admit-buyers')).filter((grant) => grant.actions.some((action) => action.startsWith('sqs:')));

    // Assess
    expect(sqsGrants.flatMap((grant) => grant.actions)).toEqual(['sqs:GetQueueAttributes']);
    expect(resourcesAllowed(template, roleOf('admit-buyers'), 'sqs:GetQueueAttributes')).toEqual([expect.stringMatching(/PurchaseQueueDeadLetterQueue/)]);
  });

  it('lets the admitter list the purchase saga executions and nothing else of Step Functions', () => {
    // Prepare
    const stateMachine = onlyResource(template, 'AWS::StepFunctions::StateMachine').logicalId;

    // Act
    const statesGrants = grantsOfRole(template, roleOf('admit-buyers')).filter((grant) => grant.actions.some((action) => action.startsWith('states:')));

    // Assess
    expect(statesGrants.flatMap((grant) => grant.actions)).toEqual(['states:ListExecutions']);
    expect(statesGrants.flatMap((grant) => grant.resources)).toEqual([{ Ref: stateMachine }]);
  });

  it('lets only the token signer and verifier read the admission key; every other reader of the concerts table names its attributes', () => {
    // Prepare
    const concerts = tableOf(TABLE_NAME_OUTPUTS.concerts);

    // Act
    const readers = [...functionsByHandler(template).keys()].flatMap((handler) => {
      const reads = grantsOfRole(template, roleOf(handler)).filter(
        (grant) => grant.actions.some((action) => action === 'dynamodb:GetItem') && grant.resources.some((resource) => JSON.stringify(resource).includes(`"${concerts}"`)),
      );
      return reads.map((grant) => ({ handler, attributes: grant.conditions['ForAllValues:StringEquals']?.['dynamodb:Attributes'] }));
    });

    // Assess
    expect(readers.every((reader) => reader.attributes !== undefined)).toBe(true);
    expect(readers.filter((reader) => [reader.attributes].flat().includes(ADMISSION_KEY_ATTRIBUTE)).map((reader) => reader.handler).sort()).toEqual(['create-purchase', 'get-queue-ticket']);
  });
});
