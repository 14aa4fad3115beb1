import { Duration, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { z } from 'zod';
import { PENDING_START_INDEX } from '#domain/orders/pending-start';
import { DEFAULT_SWEEP_STALE_AFTER, PurchaseSweeper, SweepWindowTooShortError } from '#infra/constructs/purchase-sweeper';
import { STACK_OUTPUTS, TABLE_NAME_OUTPUTS } from '#infra/outputs';
import { assertResourceWith, functionOf, grantsOfRole, onlyResource, referencedLogicalId, resourcesAllowed, synthesizeForAssertions } from './template-queries.ts';

let template: Template;

beforeAll(() => {
  template = synthesizeForAssertions();
});

const outputTarget = (name: string) => referencedLogicalId(Object.values(template.findOutputs(name))[0]?.Value);
const purchasesTable = () => outputTarget(TABLE_NAME_OUTPUTS.purchases);
const roleOf = (handlerName: string) => referencedLogicalId(functionOf(template, handlerName).Properties.Role);
const actionsOn = (handlerName: string, logicalId: string) =>
  grantsOfRole(template, roleOf(handlerName))
    .filter((grant) => grant.resources.some((resource) => JSON.stringify(resource).includes(`"${logicalId}"`)))
    .flatMap((grant) => grant.actions)
    .sort();

describe('the waiting-to-start index', () => {
  it('is a sparse, sharded index on the purchases table with keys only', () => {
    // Act
    const table = template.toJSON().Resources[purchasesTable()];

    // Assess
    expect(table.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: PENDING_START_INDEX.name,
        KeySchema: [
          { AttributeName: PENDING_START_INDEX.partitionKey, KeyType: 'HASH' },
          { AttributeName: PENDING_START_INDEX.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
  });
});

describe('the schedule', () => {
  it('runs the sweeper every minute from a scheduled rule on the default bus', () => {
    // Prepare
    const sweeper = functionOf(template, 'sweep-purchases');

    // Act
    const rule = onlyResource(template, 'AWS::Events::Rule', {
      ScheduleExpression: Match.anyValue(),
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [sweeper.logicalId, 'Arn'] } })]),
    }).resource;

    // Assess
    expect(rule).toMatchObject({
      Properties: {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [{ Arn: { 'Fn::GetAtt': [sweeper.logicalId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } }],
      },
    });
    expect(z.object({ Properties: z.object({ EventBusName: z.unknown().optional() }) }).parse(rule).Properties.EventBusName).toBeUndefined();
  });

  it('configures the window and the re-queue bound through the environment, with sane defaults', () => {
    // Act
    const variables = functionOf(template, 'sweep-purchases').Properties.Environment.Variables;

    // Assess
    expect(variables).toMatchObject({ SWEEP_STALE_AFTER_SECONDS: String(DEFAULT_SWEEP_STALE_AFTER.toSeconds()), SWEEP_MAX_REQUEUES: '3' });
  });

  it('raises an alarm that notifies the alarm topic when the sweeper fails', () => {
    // Prepare
    const sweeper = functionOf(template, 'sweep-purchases');
    const topic = onlyResource(template, 'AWS::SNS::Topic');

    // Assess
    assertResourceWith(template, 'AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: sweeper.logicalId } }],
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic.logicalId }],
    });
  });
});

describe('least privilege', () => {
  it('lets the sweeper read and conditionally update purchases, and query only its index', () => {
    // Act
    const onTable = actionsOn('sweep-purchases', purchasesTable());
    const queried = grantsOfRole(template, roleOf('sweep-purchases')).filter((grant) => grant.actions.includes('dynamodb:Query'));

    // Assess
    expect(onTable).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(queried.map((grant) => grant.resources)).toEqual([
      [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [purchasesTable(), 'Arn'] }, `/index/${PENDING_START_INDEX.name}`]] }],
    ]);
  });

  it('lets the sweeper send to the purchase queue, publish to the bus and describe executions of the saga only', () => {
    // Prepare
    const role = roleOf('sweep-purchases');

    // Act
    const sendsTo = resourcesAllowed(template, role, 'sqs:SendMessage');
    const publishesTo = resourcesAllowed(template, role, 'events:PutEvents');
    const describes = grantsOfRole(template, role).filter((grant) => grant.actions.includes('states:DescribeExecution'));

    // Assess
    expect(sendsTo).toEqual([outputTarget(STACK_OUTPUTS.purchaseQueueUrl)]);
    expect(publishesTo).toEqual([outputTarget(STACK_OUTPUTS.eventBusName)]);
    expect(describes).toHaveLength(1);
    expect(JSON.stringify(describes[0]?.resources)).toContain(':execution:');
    expect(grantsOfRole(template, role).flatMap((grant) => grant.actions)).not.toContain('states:StartExecution');
  });

  it('lets the starter claim purchases with UpdateItem, read back why a claim failed, and send deferred starts back to its own queue', () => {
    // Act
    const onTable = actionsOn('start-purchase', purchasesTable());
    const sendsTo = resourcesAllowed(template, roleOf('start-purchase'), 'sqs:SendMessage');

    // Assess
    // The GetItem is narrowed to the key and the refusal mark (test/infra/least-privilege.test.ts).
    expect(onTable).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(sendsTo).toEqual([outputTarget(STACK_OUTPUTS.purchaseQueueUrl)]);
  });

  it('lets create-purchase look seats up with BatchGetItem only', () => {
    // Act
    const onSeats = actionsOn('create-purchase', outputTarget(TABLE_NAME_OUTPUTS.seats));

    // Assess
    expect(onSeats).toEqual(['dynamodb:BatchGetItem']);
  });
});

describe('the window', () => {
  it('must outlast the starter, so a claim still in use can never meet a refusal', () => {
    // Prepare
    const stack = new Stack();
    const table = new dynamodb.Table(stack, 'Purchases', { partitionKey: { name: 'purchaseId', type: dynamodb.AttributeType.STRING } });
    const props = {
      purchasesTable: table,
      purchaseQueue: new sqs.Queue(stack, 'Queue'),
      stateMachine: new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')) }),
      eventBus: new events.EventBus(stack, 'Bus'),
      starterTimeout: Duration.seconds(90),
      staleAfter: Duration.minutes(2),
    };

    // Act
    const build = () => new PurchaseSweeper(stack, 'Sweeper', props);

    // Assess
    expect(build).toThrow(SweepWindowTooShortError);
  });
});
