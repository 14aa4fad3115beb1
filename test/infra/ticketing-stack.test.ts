import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { z } from 'zod';
import { ENV, type EnvKey } from '#commons/config';
import { TABLES, type TableId } from '#domain/tables';
import { EVENT_CATALOG } from '#events/catalog';
import { EVENT_SOURCES } from '#events/event-definition';
import { PurchaseConfirmedEvent } from '#events/purchase-confirmed';
import { SeatsReleasedEvent } from '#events/seats-released';
import { SeatsReservedEvent } from '#events/seats-reserved';
import { SUSTAINED } from '#infra/constructs/alarms';
import { API_ROUTES } from '#infra/constructs/api';
import { EVENT_SOURCE_PREFIX } from '#infra/constructs/events';
import { FUNCTION_DEFAULTS } from '#infra/constructs/functions';
import { VISIBILITY_TIMEOUT_FACTOR } from '#infra/constructs/queue';
import { STEP_SPECS } from '#infra/constructs/workflow';
import { STACK_OUTPUTS, TABLE_NAME_OUTPUTS } from '#infra/outputs';
import { purchaseSagaDefinition, STATES, TASK_FUNCTIONS, type TaskStateName } from '#workflows/purchase-saga';
import { retrierWaitSeconds } from '#workflows/retry-budget';
import { EXPECTED_CATCH, EXPECTED_RETRY } from '#test/support/saga-policy';
import {
  assertResourceCount,
  assertResourceWith,
  functionOf,
  functionsByHandler,
  onlyResource,
  referencedLogicalId,
  resourcesAllowed,
  synthesizeForAssertions,
} from './template-queries.ts';
import { configReadByHandler } from './handler-config.ts';

/** Every Lambda entry point of handlers/. */
const HANDLERS = [
  'create-purchase',
  'get-purchase',
  'get-concert-seats',
  'start-purchase',
  'reserve-seats',
  'charge-payment',
  'create-invoice',
  'confirm-purchase',
  'void-invoice',
  'refund-payment',
  'release-seats',
  'record-purchase-failure',
  'project-purchase-status',
  'project-seat-availability',
  'sweep-purchases',
  'join-queue',
  'get-queue-ticket',
  'admit-buyers',
];
const COMMON_VARIABLES = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE'];
/** Item-level actions: a function granted one of them on a table uses that table. */
const ITEM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'];

const tableIds = Object.keys(TABLES) as TableId[];
const definitionSchema = z.object({ States: z.record(z.string(), z.record(z.string(), z.unknown())) });

let template: Template;

beforeAll(() => {
  template = synthesizeForAssertions();
});

const tableLogicalId = (table: TableId): string => {
  const outputs = template.findOutputs(TABLE_NAME_OUTPUTS[table]);
  return referencedLogicalId(Object.values(outputs)[0]?.Value);
};

const stateMachine = () => onlyResource(template, 'AWS::StepFunctions::StateMachine');
const stateMachineProperties = () => z.object({ Properties: z.record(z.string(), z.unknown()) }).parse(stateMachine().resource).Properties;

describe('data', () => {
  it('creates one table per entry of domain/tables.ts', () => {
    // Assess
    assertResourceCount(template, 'AWS::DynamoDB::Table', tableIds.length);
  });

  it.each(tableIds)('the %s table has the key schema of domain/tables.ts', (table) => {
    // Prepare
    const schema: { partitionKey: string; sortKey?: string } = TABLES[table];
    const keys = [{ AttributeName: schema.partitionKey, KeyType: 'HASH' }];
    if (schema.sortKey !== undefined) keys.push({ AttributeName: schema.sortKey, KeyType: 'RANGE' });

    // Act
    const resource = template.toJSON().Resources[tableLogicalId(table)];

    // Assess
    expect(resource.Properties.KeySchema).toEqual(keys);
  });

  it.each(tableIds)('the %s table is on-demand, encrypted, point-in-time recoverable and retained', (table) => {
    // Act
    const resource = template.toJSON().Resources[tableLogicalId(table)];

    // Assess
    expect(resource).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    });
  });

  it('expires idempotency records by TTL and no other table (a seat item must never disappear)', () => {
    // Act
    const withTtl = Object.values(template.findResources('AWS::DynamoDB::Table', { Properties: { TimeToLiveSpecification: Match.anyValue() } }));

    // Assess
    expect(withTtl).toHaveLength(1);
    expect(withTtl[0]?.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TABLES.idempotency.timeToLiveAttribute, Enabled: true });
  });
});

describe('events', () => {
  it('archives every ticketing event of the custom bus', () => {
    // Prepare
    const bus = onlyResource(template, 'AWS::Events::EventBus');

    // Assess
    assertResourceWith(template, 'AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [bus.logicalId, 'Arn'] },
      EventPattern: { source: [{ prefix: EVENT_SOURCE_PREFIX }] },
      RetentionDays: Match.anyValue(),
    });
  });

  it('leaves the archive on AWS owned keys without an empty KmsKeyIdentifier, which some regions reject', () => {
    // Act
    const archive = onlyResource(template, 'AWS::Events::Archive');

    // Assess
    expect(z.object({ Properties: z.record(z.string(), z.unknown()) }).parse(archive.resource).Properties).not.toHaveProperty('KmsKeyIdentifier');
  });

  it('uses an archive prefix that every bounded context source starts with', () => {
    // Assess
    expect(Object.values(EVENT_SOURCES).filter((source) => !source.startsWith(EVENT_SOURCE_PREFIX))).toEqual([]);
  });

  it.each([
    ['project-purchase-status', EVENT_CATALOG.map((definition) => definition.detailType)],
    ['project-seat-availability', [SeatsReservedEvent, SeatsReleasedEvent, PurchaseConfirmedEvent].map((definition) => definition.detailType)],
  ])('routes exactly its events to %s, with a retry policy and a dead-letter queue', (handlerName, detailTypes) => {
    // Prepare
    const projection = functionOf(template, handlerName);

    // Act
    const rule = onlyResource(template, 'AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [projection.logicalId, 'Arn'] } })],
    });

    // Assess
    expect(rule.resource).toMatchObject({
      Properties: {
        EventBusName: { Ref: onlyResource(template, 'AWS::Events::EventBus').logicalId },
        EventPattern: { 'detail-type': detailTypes },
        Targets: [
          {
            RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
          },
        ],
      },
    });
  });

  it.each(['project-purchase-status', 'project-seat-availability'])(
    '%s sends events it fails on after Lambda retries to the same dead-letter queue as its rule',
    (handlerName) => {
      // Prepare
      const projection = functionOf(template, handlerName);
      const rule = onlyResource(template, 'AWS::Events::Rule', {
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [projection.logicalId, 'Arn'] } })],
      });
      const targetDlq = z
        .object({ Properties: z.object({ Targets: z.array(z.object({ DeadLetterConfig: z.object({ Arn: z.unknown() }) })) }) })
        .parse(rule.resource).Properties.Targets[0]?.DeadLetterConfig.Arn;

      // Assess
      expect(referencedLogicalId(projection.Properties.DeadLetterConfig?.TargetArn)).toBe(referencedLogicalId(targetDlq));
    },
  );
});

describe('workflow', () => {
  it('is a Standard state machine logging ALL with execution data, traced by X-Ray', () => {
    // Assess
    expect(stateMachineProperties()).toMatchObject({
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('logs to a group under /aws/vendedlogs/, which needs no room in the account log resource policy', () => {
    // Prepare
    const destinationSchema = z.object({ LoggingConfiguration: z.object({ Destinations: z.array(z.object({ CloudWatchLogsLogGroup: z.object({ LogGroupArn: z.unknown() }) })) }) });

    // Act
    const [destination] = destinationSchema.parse(stateMachineProperties()).LoggingConfiguration.Destinations;
    const logGroup = template.toJSON().Resources[referencedLogicalId(destination?.CloudWatchLogsLogGroup.LogGroupArn)];

    // Assess
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/vendedlogs/states/Ticketing-purchase-saga' } });
  });

  it('deploys workflows/purchase-saga.ts as written, with every state', () => {
    // Act
    const definition: unknown = JSON.parse(z.string().parse(stateMachineProperties().DefinitionString));

    // Assess
    expect(definition).toEqual(JSON.parse(JSON.stringify(purchaseSagaDefinition)));
    expect(Object.keys(definitionSchema.parse(definition).States).sort()).toEqual(Object.values(STATES).sort());
  });

  it('gives every task state a timeout', () => {
    // Act
    const states = definitionSchema.parse(JSON.parse(z.string().parse(stateMachineProperties().DefinitionString))).States;
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');

    // Assess
    expect(tasks.map(([name]) => name).sort()).toEqual(Object.keys(TASK_FUNCTIONS).sort());
    for (const [, task] of tasks) {
      expect(task).toMatchObject({ TimeoutSeconds: expect.any(Number) });
    }
  });

  it.each(Object.keys(TASK_FUNCTIONS) as TaskStateName[])(
    'substitutes the ARN of the %s function, which the machine may invoke and which ends before its task times out',
    (state) => {
      // Prepare
      const step = functionOf(template, STEP_SPECS[state].handlerName);
      const substitutions = z.record(z.string(), z.unknown()).parse(stateMachineProperties().DefinitionSubstitutions);
      const roleLogicalId = referencedLogicalId(stateMachineProperties().RoleArn);
      const task = definitionSchema.parse(JSON.parse(z.string().parse(stateMachineProperties().DefinitionString))).States[state];

      // Assess
      expect(substitutions[TASK_FUNCTIONS[state]]).toEqual({ 'Fn::GetAtt': [step.logicalId, 'Arn'] });
      expect(resourcesAllowed(template, roleLogicalId, 'lambda:InvokeFunction')).toContain(step.logicalId);
      expect(step.Properties.Timeout).toBeLessThan(z.number().parse(task?.TimeoutSeconds));
    },
  );

  it("invokes Lambda through the integration ARN of the stack's own partition, so the machine deploys to aws-cn and aws-us-gov too", () => {
    // Act
    const substitutions = z.record(z.string(), z.unknown()).parse(stateMachineProperties().DefinitionSubstitutions);
    const resources = Object.values(definitionSchema.parse(JSON.parse(z.string().parse(stateMachineProperties().DefinitionString))).States).map((state) => state.Resource);

    // Assess
    expect(substitutions.Partition).toEqual({ Ref: 'AWS::Partition' });
    expect(resources.filter((resource) => resource !== undefined && resource !== 'arn:${Partition}:states:::lambda:invoke')).toEqual([]);
  });
});

/**
 * The saga's Retry and Catch policy, the literal table of
 * test/support/saga-policy.ts, held against the synthesized definition: a
 * change to the source lists (a transient error dropped, States.ALL retried, a
 * catcher lost or sent elsewhere) must show up as a failure here.
 */
describe('workflow retries and catches, read from the synthesized definition', () => {
  const errorListSchema = z.object({ ErrorEquals: z.array(z.string()) }).loose();
  const retrierSchema = errorListSchema.extend({
    IntervalSeconds: z.number().optional(),
    MaxAttempts: z.number().optional(),
    BackoffRate: z.number().optional(),
    MaxDelaySeconds: z.number().optional(),
  });
  const synthesizedTasks = () =>
    Object.fromEntries(
      Object.entries(
        z
          .object({
            States: z.record(
              z.string(),
              z
                .object({ Type: z.string(), TimeoutSeconds: z.number().optional(), Retry: z.array(retrierSchema).optional(), Catch: z.array(errorListSchema).optional() })
                .loose(),
            ),
          })
          .parse(JSON.parse(z.string().parse(stateMachineProperties().DefinitionString))).States,
      ).filter(([, state]) => state.Type === 'Task'),
    );
  /** The order of the names inside one ErrorEquals does not matter to the machine; the order of retriers and catchers does. */
  const asSets = (entries: ReadonlyArray<z.infer<typeof errorListSchema>> | undefined) =>
    entries?.map((entry) => ({ ...entry, ErrorEquals: [...entry.ErrorEquals].sort() }));
  const expectedAsSets = (entries: readonly unknown[] | undefined) => asSets(entries === undefined ? undefined : z.array(errorListSchema).parse(entries));

  it('has exactly the task states the policy below is written for', () => {
    // Assess
    expect(Object.keys(synthesizedTasks()).sort()).toEqual(Object.keys(EXPECTED_RETRY).sort());
    expect(Object.keys(EXPECTED_CATCH).sort()).toEqual(Object.keys(EXPECTED_RETRY).sort());
  });

  it.each(Object.keys(EXPECTED_RETRY))('%s retries exactly the named transient errors, then a duplicate in progress, with the designed backoff', (state) => {
    // Act
    const retry = asSets(synthesizedTasks()[state]?.Retry);

    // Assess
    expect(retry).toEqual(expectedAsSets(EXPECTED_RETRY[state]));
  });

  it.each(Object.keys(EXPECTED_CATCH))('%s catches exactly the designed errors, each sent to its compensation', (state) => {
    // Act
    const catches = asSets(synthesizedTasks()[state]?.Catch);

    // Assess
    expect(catches).toEqual(expectedAsSets(EXPECTED_CATCH[state]));
  });

  it('never retries States.ALL or any States.* error but a task timeout', () => {
    // Act
    const retried = Object.values(synthesizedTasks()).flatMap((task) => (task.Retry ?? []).flatMap((retrier) => retrier.ErrorEquals));

    // Assess
    expect(new Set(retried.filter((error) => error.startsWith('States.')))).toEqual(new Set(['States.Timeout']));
  });

  it('lets only ReserveSeats, ChargePayment and CreateInvoice catch every error, alone and in their last catcher; the rest fail the execution to be redriven', () => {
    // Act
    const catchAll = Object.entries(synthesizedTasks()).flatMap(([name, task]) =>
      (task.Catch ?? []).flatMap((catcher, index, catchers) =>
        catcher.ErrorEquals.includes('States.ALL') ? [{ name, alone: catcher.ErrorEquals.length === 1, last: index === catchers.length - 1 }] : [],
      ),
    );

    // Assess
    expect(catchAll.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'ChargePayment', alone: true, last: true },
      { name: 'CreateInvoice', alone: true, last: true },
      { name: 'ReserveSeats', alone: true, last: true },
    ]);
  });

  it.each(Object.keys(TASK_FUNCTIONS) as TaskStateName[])('%s waits out a duplicate in progress for longer than its deployed function can run', (state) => {
    // Prepare
    const functionTimeout = z.number().parse(functionOf(template, STEP_SPECS[state].handlerName).Properties.Timeout);
    const inProgress = synthesizedTasks()[state]?.Retry?.find((retrier) => retrier.ErrorEquals.includes('IdempotencyAlreadyInProgressError'));

    // Act
    const wait = inProgress ? retrierWaitSeconds(inProgress) : 0;

    // Assess
    expect(wait).toBeGreaterThan(functionTimeout);
  });
});

describe('purchase queue', () => {
  const purchaseQueue = () => {
    const url = Object.values(template.findOutputs(STACK_OUTPUTS.purchaseQueueUrl))[0]?.Value;
    return referencedLogicalId(url);
  };

  it('is encrypted and redrives to its dead-letter queue after a bounded number of receives', () => {
    // Prepare
    const deadLetterQueue = referencedLogicalId(Object.values(template.findOutputs(STACK_OUTPUTS.purchaseDeadLetterQueueUrl))[0]?.Value);

    // Act
    const queue = template.toJSON().Resources[purchaseQueue()];

    // Assess
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] }, maxReceiveCount: expect.any(Number) },
    });
  });

  it('has a visibility timeout of at least six times the starter timeout', () => {
    // Prepare
    const starter = functionOf(template, 'start-purchase');

    // Act
    const queue = template.toJSON().Resources[purchaseQueue()];

    // Assess
    expect(VISIBILITY_TIMEOUT_FACTOR).toBeGreaterThanOrEqual(6);
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * starter.Properties.Timeout);
  });

  it('feeds the starter in batches with bounded concurrency and partial batch failures', () => {
    // Prepare
    const starter = functionOf(template, 'start-purchase');

    // Assess
    assertResourceWith(template, 'AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [purchaseQueue(), 'Arn'] },
      FunctionName: { Ref: starter.logicalId },
      BatchSize: Match.anyValue(),
      ScalingConfig: { MaximumConcurrency: Match.anyValue() },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets the starter start executions of the saga', () => {
    // Prepare
    const starter = functionOf(template, 'start-purchase');

    // Act
    const allowed = resourcesAllowed(template, referencedLogicalId(starter.Properties.Role), 'states:StartExecution');

    // Assess
    expect(allowed).toEqual([stateMachine().logicalId]);
  });

  it('refuses requests without TLS on every queue', () => {
    // Act
    const queuesWithTlsPolicy = Object.values(
      template.findResources('AWS::SQS::QueuePolicy', {
        Properties: {
          PolicyDocument: {
            Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
          },
        },
      }),
    ).flatMap((policy) => z.array(z.unknown()).parse(policy.Properties.Queues).map(referencedLogicalId));

    // Assess
    expect(queuesWithTlsPolicy.sort()).toEqual(Object.keys(template.findResources('AWS::SQS::Queue')).sort());
  });
});

describe('api', () => {
  it('writes its access log to a group under /aws/vendedlogs/', () => {
    // Prepare
    const stage = onlyResource(template, 'AWS::ApiGatewayV2::Stage');
    const stageSchema = z.object({ Properties: z.object({ AccessLogSettings: z.object({ DestinationArn: z.unknown() }) }) });

    // Act
    const logGroup = template.toJSON().Resources[referencedLogicalId(stageSchema.parse(stage.resource).Properties.AccessLogSettings.DestinationArn)];

    // Assess
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/vendedlogs/apigateway/Ticketing-buyers-access' } });
  });

  it('sends no CORS headers unless the deployer names the origins', () => {
    // Act
    const api = onlyResource(template, 'AWS::ApiGatewayV2::Api');

    // Assess
    expect(z.object({ Properties: z.record(z.string(), z.unknown()) }).parse(api.resource).Properties).not.toHaveProperty('CorsConfiguration');
  });

  it.each([
    { route: API_ROUTES.createPurchase, handlerName: 'create-purchase' },
    { route: API_ROUTES.getPurchase, handlerName: 'get-purchase' },
    { route: API_ROUTES.getConcertSeats, handlerName: 'get-concert-seats' },
  ])('routes $route.method $route.path to $handlerName behind the JWT authorizer', ({ route, handlerName }) => {
    // Prepare
    const authorizer = onlyResource(template, 'AWS::ApiGatewayV2::Authorizer');
    const handler = functionOf(template, handlerName);
    const integration = onlyResource(template, 'AWS::ApiGatewayV2::Integration', {
      IntegrationUri: { 'Fn::GetAtt': [handler.logicalId, 'Arn'] },
    });

    // Assess
    expect(integration.resource).toMatchObject({ Properties: { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' } });
    assertResourceWith(template, 'AWS::ApiGatewayV2::Route', {
      RouteKey: `${route.method} ${route.path}`,
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizer.logicalId },
      Target: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ Ref: integration.logicalId }])] }),
    });
  });

  it('declares no route but the buyer routes', () => {
    // Assess
    assertResourceCount(template, 'AWS::ApiGatewayV2::Route', Object.keys(API_ROUTES).length);
  });

  it('checks JWTs issued by the buyer user pool for its app client', () => {
    // Prepare
    const userPool = onlyResource(template, 'AWS::Cognito::UserPool');
    const client = onlyResource(template, 'AWS::Cognito::UserPoolClient');

    // Assess
    assertResourceWith(template, 'AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: client.logicalId }],
        Issuer: { 'Fn::Join': ['', Match.arrayWith([{ Ref: userPool.logicalId }])] },
      },
    });
  });

  it('lets buyers sign in through the app client without any OAuth redirect flow', () => {
    // Assess
    assertResourceWith(template, 'AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      CallbackURLs: Match.absent(),
    });
  });

  it('lets `npm run token -- --target aws` sign a test buyer in with a password, through the app client', () => {
    // Assess: USER_PASSWORD_AUTH needs no IAM permission to sign in, only to create the user and set its password.
    assertResourceWith(template, 'AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    });
  });

  it('access-logs and throttles its default stage', () => {
    // Assess
    assertResourceWith(template, 'AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });
});

describe('functions', () => {
  it('deploys exactly one function per handler', () => {
    // Act
    const handlers = [...functionsByHandler(template).keys()];

    // Assess
    expect(handlers.sort()).toEqual([...HANDLERS].sort());
    assertResourceCount(template, 'AWS::Lambda::Function', HANDLERS.length);
  });

  it.each(HANDLERS)('%s runs on arm64 with the current Node.js runtime, active tracing and its own log group', (handlerName) => {
    // Prepare
    const { logicalId } = functionOf(template, handlerName);

    // Act
    const resource = template.toJSON().Resources[logicalId];
    const logGroup = template.toJSON().Resources[referencedLogicalId(resource.Properties.LoggingConfig.LogGroup)];

    // Assess
    expect(resource.Properties).toMatchObject({
      Architectures: ['arm64'],
      Runtime: FUNCTION_DEFAULTS.runtime.name,
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
    });
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: expect.any(Number) } });
  });

  it.each(HANDLERS)('%s gets exactly the configuration its code reads', (handlerName) => {
    // Prepare
    const expected = [...configReadByHandler(handlerName).map((key) => ENV[key]), ...COMMON_VARIABLES];

    // Act
    const variables = Object.keys(functionOf(template, handlerName).Properties.Environment.Variables);

    // Assess
    expect(variables.sort()).toEqual(expected.sort());
  });

  it.each(HANDLERS)('%s may use exactly the tables its configuration names', (handlerName) => {
    // Prepare
    const handler = functionOf(template, handlerName);
    const variables = handler.Properties.Environment.Variables;
    const configured = tableIds.filter((table) => variables[ENV[`${table}Table` as EnvKey]] !== undefined);

    // Act
    const readable = ITEM_ACTIONS.flatMap((action) => resourcesAllowed(template, referencedLogicalId(handler.Properties.Role), action));

    // Assess
    expect(tableIds.filter((table) => readable.includes(tableLogicalId(table)))).toEqual(configured);
    for (const table of configured) expect(variables[ENV[`${table}Table` as EnvKey]]).toEqual({ Ref: tableLogicalId(table) });
  });

  it('attaches no AWS managed policy to any role', () => {
    // Assess
    expect(Object.keys(template.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.anyValue() } }))).toEqual([]);
  });
});

describe('alarms', () => {
  const alarmActionsOf = (alarm: unknown) => z.object({ Properties: z.object({ AlarmActions: z.array(z.unknown()) }) }).parse(alarm).Properties.AlarmActions;

  it('raises an alarm when any dead-letter queue holds a message', () => {
    // Prepare
    const deadLetterQueues = Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.absent() } }));

    // Act
    const watched = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' },
      }),
    ).map((alarm) => referencedLogicalId(z.array(z.object({ Value: z.unknown() })).parse(alarm.Properties.Dimensions)[0]?.Value));

    // Assess
    expect(deadLetterQueues).toHaveLength(3);
    expect(watched.sort()).toEqual(deadLetterQueues.sort());
  });

  it('raises one alarm on the first execution that failed, timed out or was aborted: business rejections succeed', () => {
    // Prepare
    const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/States' }) }) })]) } }));
    const metricsSchema = z.array(
      z.object({ Id: z.string(), Expression: z.string().optional(), MetricStat: z.object({ Metric: z.object({ Namespace: z.string(), MetricName: z.string() }) }).optional() }),
    );

    // Act
    const properties = z.object({ Threshold: z.number(), ComparisonOperator: z.string(), Metrics: metricsSchema }).loose().parse(alarm?.Properties);
    const watched = properties.Metrics.flatMap((metric) => (metric.MetricStat ? [`${metric.MetricStat.Metric.Namespace}/${metric.MetricStat.Metric.MetricName}`] : []));
    const expression = properties.Metrics.find((metric) => metric.Expression)?.Expression ?? '';

    // Assess
    expect(watched.sort()).toEqual(['AWS/States/ExecutionsAborted', 'AWS/States/ExecutionsFailed', 'AWS/States/ExecutionsTimedOut']);
    for (const metric of properties.Metrics.filter((m) => m.MetricStat)) expect(expression).toContain(metric.Id);
    expect(properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('raises an alarm when the API answers 5xx to a share of its requests for several minutes, not on one 5xx', () => {
    // Prepare
    const watches = (metricName: string) => Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/ApiGateway', MetricName: metricName }) }) });

    // Assess
    assertResourceWith(template, 'AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([watches('5xx'), watches('Count')]),
      EvaluationPeriods: SUSTAINED.evaluationPeriods,
      DatapointsToAlarm: SUSTAINED.datapointsToAlarm,
    });
  });

  it('subscribes nobody to the alarm topic unless the deployer gives an e-mail', () => {
    // Assess
    assertResourceCount(template, 'AWS::SNS::Subscription', 0);
  });

  it('notifies the alarm topic from every alarm', () => {
    // Prepare
    const topic = onlyResource(template, 'AWS::SNS::Topic');

    // Act
    const actions = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(alarmActionsOf);

    // Assess
    expect(actions).toHaveLength(7);
    for (const alarmActions of actions) expect(alarmActions).toEqual([{ Ref: topic.logicalId }]);
  });
});

describe('outputs', () => {
  it('are the outputs of the tools\' fixture of `cdk deploy --outputs-file`, no more and no fewer', () => {
    // Prepare
    const fixture = z
      .object({ Ticketing: z.record(z.string(), z.string()) })
      .parse(JSON.parse(readFileSync(resolve(__dirname, '..', 'unit', 'tools', 'fixtures', 'cdk-outputs.json'), 'utf8')));

    // Assess
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(Object.keys(fixture.Ticketing).sort());
  });

  it.each([...Object.values(STACK_OUTPUTS), ...Object.values(TABLE_NAME_OUTPUTS)])('exports %s', (name) => {
    // Assess
    expect(Object.keys(template.findOutputs(name))).toEqual([name]);
  });
});
