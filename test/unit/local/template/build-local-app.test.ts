import { join } from 'node:path';
import { buildLocalApp } from '#local/template/build-local-app';
import { readCloudAssembly } from '#local/template/cloud-assembly';
import type { LocalApp } from '#local/template/local-app';
import { loadLocalApp } from '#local/template/load-local-app';
import { TemplateError, UnsupportedPropertyError, UnsupportedResourceError } from '#local/template/template-errors';
import { LOCAL_ENDPOINTS } from './fixtures/local-endpoints';

const ASSEMBLY_DIR = join(__dirname, 'fixtures', 'assembly');
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Condition?: string }> } & Record<string, unknown>;

const assembly = readCloudAssembly(ASSEMBLY_DIR);
const baseTemplate = () => structuredClone(assembly.template) as Template;
const build = (template: unknown): LocalApp =>
  buildLocalApp({ template, stackName: assembly.stackName, endpoints: LOCAL_ENDPOINTS, locateAsset: assembly.locateAsset });
const propertiesOf = (template: Template, logicalId: string): Record<string, unknown> => {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`fixture has no resource ${logicalId}`);
  resource.Properties ??= {};
  return resource.Properties;
};

describe('LocalApp from the fixture cloud assembly', () => {
  let app: LocalApp;

  beforeAll(() => {
    app = loadLocalApp({ cdkOutDir: ASSEMBLY_DIR, endpoints: LOCAL_ENDPOINTS });
  });

  it('names the stack after the assembly artifact', () => {
    expect(app.stackName).toBe('App');
  });

  it('serves tables with their keys, indexes and TTL', () => {
    expect(app.tables).toEqual([
      {
        logicalId: 'Purchases',
        name: 'Purchases',
        arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Purchases`,
        partitionKey: { name: 'purchaseId', type: 'S' },
        globalSecondaryIndexes: [],
        localSecondaryIndexes: [],
        timeToLiveAttribute: 'expiration',
      },
      {
        logicalId: 'Seats',
        name: 'Seats',
        arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Seats`,
        partitionKey: { name: 'concertId', type: 'S' },
        sortKey: { name: 'seatId', type: 'S' },
        globalSecondaryIndexes: [{ name: 'byStatus', partitionKey: { name: 'status', type: 'S' }, projection: { type: 'KEYS_ONLY' } }],
        localSecondaryIndexes: [],
      },
    ]);
  });

  it('serves queues with their redrive policy and visibility timeout, skipping those whose condition is false', () => {
    const byName = Object.fromEntries(app.queues.map((queue) => [queue.name, queue]));

    expect(Object.keys(byName)).toEqual(['PurchaseDlq', 'PurchaseQueue', 'RuleDlq']);
    expect(byName.PurchaseQueue).toMatchObject({
      url: `${LOCAL_ENDPOINTS.sqs}/${ACCOUNT}/PurchaseQueue`,
      arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:PurchaseQueue`,
      visibilityTimeoutSeconds: 180,
      redrivePolicy: { deadLetterQueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:PurchaseDlq`, maxReceiveCount: 3 },
    });
    expect(byName.PurchaseDlq).toMatchObject({ visibilityTimeoutSeconds: 30, messageRetentionSeconds: 345_600 });
    expect(byName.PurchaseDlq?.redrivePolicy).toBeUndefined();
  });

  it('serves functions with their bundled code and resolved environment', () => {
    const [createPurchase, startPurchase] = app.functions;

    expect(createPurchase).toEqual({
      logicalId: 'CreatePurchase',
      name: 'CreatePurchase',
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:CreatePurchase`,
      handler: 'index.handler',
      codeDir: join(ASSEMBLY_DIR, 'asset.1f2e3d'),
      runtime: 'nodejs20.x',
      environment: {
        PURCHASES_TABLE_NAME: 'Purchases',
        PURCHASE_QUEUE_URL: `${LOCAL_ENDPOINTS.sqs}/${ACCOUNT}/PurchaseQueue`,
        EVENT_BUS_NAME: 'App-bus',
        POWERTOOLS_SERVICE_NAME: 'create-purchase',
        MAX_SEATS: '10',
      },
      timeoutSeconds: 10,
      memoryMb: 256,
      deadLetterQueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:RuleDlq`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/CreatePurchaseRole`,
    });
    expect(startPurchase).toMatchObject({
      codeDir: join(ASSEMBLY_DIR, 'asset.4c5b6a'),
      environment: { STATE_MACHINE_ARN: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Saga` },
      timeoutSeconds: 30,
      memoryMb: 128,
      reservedConcurrency: 5,
    });
  });

  it("reads the functions' role with the policies attached to it, resolved", () => {
    expect(app.roles).toEqual([
      {
        logicalId: 'CreatePurchaseRole',
        name: 'CreatePurchaseRole',
        arn: `arn:aws:iam::${ACCOUNT}:role/CreatePurchaseRole`,
        policyDocuments: [{ Statement: [{ Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Purchases` }], Version: '2012-10-17' }],
        awsManagedPolicyArns: [],
      },
    ]);
  });

  it('serves the SQS event source mapping with its batch size, concurrency and partial failures', () => {
    expect(app.eventSourceMappings).toEqual([
      {
        logicalId: 'StartPurchaseQueueMapping',
        functionName: 'StartPurchase',
        queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:PurchaseQueue`,
        batchSize: 5,
        maximumBatchingWindowSeconds: 0,
        maximumConcurrency: 2,
        reportBatchItemFailures: true,
        enabled: true,
      },
    ]);
  });

  it('serves the state machine with its substitutions applied', () => {
    const [machine] = app.stateMachines;

    expect(machine).toMatchObject({
      name: 'Saga',
      arn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Saga`,
      type: 'STANDARD',
      logging: { level: 'ALL', includeExecutionData: true },
      tracingEnabled: true,
    });
    expect(machine?.definition.States.CreatePurchase).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:CreatePurchase`, 'Payload.$': '$' },
      TimeoutSeconds: 30,
      End: true,
    });
  });

  it('serves the bus, its archive and its rules with their targets', () => {
    const busArn = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/App-bus`;

    expect(app.eventBuses).toEqual([{ logicalId: 'Bus', name: 'App-bus', arn: busArn }]);
    expect(app.archives).toEqual([
      {
        logicalId: 'BusArchive',
        name: 'BusArchive',
        arn: `arn:aws:events:${REGION}:${ACCOUNT}:archive/BusArchive`,
        eventBusName: 'App-bus',
        eventBusArn: busArn,
        eventPattern: { account: [ACCOUNT] },
        retentionDays: 30,
      },
    ]);
    expect(app.rules).toEqual([
      {
        logicalId: 'ProjectPurchaseStatusRule',
        name: 'ProjectPurchaseStatusRule',
        arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/App-bus/ProjectPurchaseStatusRule`,
        eventBusName: 'App-bus',
        eventPattern: { source: ['ticketing.orders'], 'detail-type': [{ prefix: 'Purchase' }] },
        enabled: true,
        targets: [
          {
            id: 'Target0',
            arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:CreatePurchase`,
            kind: 'lambda',
            retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeSeconds: 7200 },
            deadLetterQueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:RuleDlq`,
          },
        ],
      },
      {
        logicalId: 'RestartPurchaseRule',
        name: 'RestartPurchaseRule',
        arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/App-bus/RestartPurchaseRule`,
        eventBusName: 'App-bus',
        eventPattern: { source: ['ticketing.support'] },
        enabled: false,
        targets: [
          {
            id: 'Target0',
            arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:PurchaseQueue`,
            kind: 'sqs',
            inputTransformer: { inputPathsMap: { purchaseId: '$.detail.purchaseId' }, inputTemplate: '{"purchaseId":<purchaseId>}' },
            retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 },
          },
          {
            id: 'Target1',
            arn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Saga`,
            kind: 'stepFunctions',
            retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 },
          },
        ],
      },
    ]);
  });

  it('serves the HTTP API routes with the JWT authorizer pointed at the local issuer', () => {
    expect(app.httpApis).toEqual([
      {
        logicalId: 'Api',
        apiId: 'Api',
        name: 'TicketsApi',
        endpoint: LOCAL_ENDPOINTS.httpApi,
        routes: [
          {
            routeKey: 'POST /purchases',
            method: 'POST',
            path: '/purchases',
            functionName: 'CreatePurchase',
            timeoutMs: 30_000,
            authorizer: {
              logicalId: 'ApiJwt',
              name: 'Jwt',
              issuer: LOCAL_ENDPOINTS.jwtIssuer,
              audience: ['UsersWeb'],
              identitySource: ['$request.header.Authorization'],
            },
            authorizationScopes: [],
          },
          {
            routeKey: 'GET /health',
            method: 'GET',
            path: '/health',
            functionName: 'StartPurchase',
            timeoutMs: 5000,
            authorizationScopes: [],
          },
        ],
      },
    ]);
  });

  it('resolves the stack outputs, leaving out those whose condition is false', () => {
    expect(app.outputs).toEqual({
      ApiUrl: LOCAL_ENDPOINTS.httpApi,
      StateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Saga`,
      PurchaseQueueUrl: `${LOCAL_ENDPOINTS.sqs}/${ACCOUNT}/PurchaseQueue`,
    });
  });

  it('lists every resource it does not run, with a reason', () => {
    expect(app.notNeeded.map((resource) => resource.logicalId)).toEqual([
      'PurchaseQueuePolicy',
      'CreatePurchaseRole',
      'CreatePurchaseRoleDefaultPolicy',
      'CreatePurchaseLogs',
      'SagaLogs',
      'CreatePurchasePermission',
      'Users',
      'UsersWeb',
      'Alarms',
      'DlqAlarm',
      'CDKMetadata',
    ]);
    expect(app.notNeeded.every((resource) => resource.reason.length > 0)).toBe(true);
  });
});

describe('template the local runtime cannot serve', () => {
  const cases: Array<[string, (template: Template) => void, new (...args: never[]) => Error, string]> = [
    ['an unknown resource type', (t) => void (t.Resources.Bucket = { Type: 'AWS::S3::Bucket' }), UnsupportedResourceError, 'Resource Bucket (AWS::S3::Bucket) cannot be served locally'],
    ['a custom resource', (t) => void (t.Resources.Seed = { Type: 'Custom::Seed', Properties: { ServiceToken: 'x' } }), UnsupportedResourceError, 'Resource Seed (Custom::Seed)'],
    ['a FIFO queue', (t) => void (propertiesOf(t, 'PurchaseQueue').FifoQueue = true), UnsupportedPropertyError, 'PurchaseQueue (AWS::SQS::Queue) property FifoQueue'],
    ['a FIFO queue name', (t) => void (propertiesOf(t, 'PurchaseQueue').QueueName = 'orders.fifo'), UnsupportedPropertyError, 'PurchaseQueue (AWS::SQS::Queue) property QueueName'],
    ['a visibility timeout SQS refuses', (t) => void (propertiesOf(t, 'PurchaseQueue').VisibilityTimeout = 50_000), UnsupportedPropertyError, 'property VisibilityTimeout'],
    ['a queue name declared twice', (t) => void (propertiesOf(t, 'PurchaseDlq').QueueName = 'PurchaseQueue'), TemplateError, 'the queue name PurchaseQueue is declared twice'],
    [
      'a retry policy EventBridge refuses',
      (t) => void ((propertiesOf(t, 'ProjectPurchaseStatusRule').Targets as Array<Record<string, unknown>>)[0]!.RetryPolicy = { MaximumRetryAttempts: 186 }),
      UnsupportedPropertyError,
      'property Targets.0.RetryPolicy.MaximumRetryAttempts',
    ],
    ['a Lambda layer', (t) => void (propertiesOf(t, 'CreatePurchase').Layers = ['arn:aws:lambda:us-east-1:1:layer:x:1']), UnsupportedPropertyError, 'property Layers cannot be served locally: layers are not unpacked'],
    [
      'a function dead-letter topic',
      (t) => void (propertiesOf(t, 'CreatePurchase').DeadLetterConfig = { TargetArn: { Ref: 'Alarms' } }),
      UnsupportedPropertyError,
      'property DeadLetterConfig cannot be served locally: only SQS dead-letter queues',
    ],
    ['an unknown function property', (t) => void (propertiesOf(t, 'CreatePurchase').Shiny = true), UnsupportedPropertyError, 'CreatePurchase (AWS::Lambda::Function) property Shiny'],
    ['a Python function', (t) => void (propertiesOf(t, 'CreatePurchase').Runtime = 'python3.12'), UnsupportedPropertyError, 'property Runtime cannot be served locally: only Node.js functions'],
    [
      'a JSONata state machine',
      (t) => {
        const properties = propertiesOf(t, 'Saga');
        properties.DefinitionString = String(properties.DefinitionString).replace('{"StartAt"', '{"QueryLanguage":"JSONata","StartAt"');
      },
      UnsupportedPropertyError,
      'property QueryLanguage cannot be served locally: the local engine runs JSONPath only',
    ],
    [
      'a definition placeholder without a substitution',
      (t) => void delete (propertiesOf(t, 'Saga').DefinitionSubstitutions as Record<string, unknown>).TaskTimeout,
      UnsupportedPropertyError,
      'uses ${TaskTimeout} but no substitution defines it',
    ],
    ['event filtering on a mapping', (t) => void (propertiesOf(t, 'StartPurchaseQueueMapping').FilterCriteria = { Filters: [] }), UnsupportedPropertyError, 'property FilterCriteria'],
    ['a cron schedule', (t) => void (propertiesOf(t, 'RestartPurchaseRule').ScheduleExpression = 'cron(0 12 * * ? *)'), UnsupportedPropertyError, 'cron schedules are not emulated locally'],
    ['a scheduled rule on a custom bus', (t) => void (propertiesOf(t, 'RestartPurchaseRule').ScheduleExpression = 'rate(1 minute)'), UnsupportedPropertyError, 'default event bus only'],
    [
      'a rule target the bus cannot deliver to',
      (t) => void ((propertiesOf(t, 'ProjectPurchaseStatusRule').Targets as Array<Record<string, unknown>>)[0]!.Arn = { Ref: 'Alarms' }),
      UnsupportedPropertyError,
      'property Targets[0].Arn',
    ],
    [
      'a FIFO setting on a rule target',
      (t) => void ((propertiesOf(t, 'RestartPurchaseRule').Targets as Array<Record<string, unknown>>)[0]!.SqsParameters = { MessageGroupId: 'g' }),
      UnsupportedPropertyError,
      'property Targets[0].SqsParameters',
    ],
    [
      'a JWT issuer that is not a user pool of the stack',
      (t) => void ((propertiesOf(t, 'ApiJwt').JwtConfiguration as Record<string, unknown>).Issuer = 'https://auth.example.com'),
      UnsupportedPropertyError,
      'property JwtConfiguration.Issuer',
    ],
    ['IAM authorization on a route', (t) => void (propertiesOf(t, 'GetHealthRoute').AuthorizationType = 'AWS_IAM'), UnsupportedPropertyError, 'property AuthorizationType'],
    ['payload format 1.0', (t) => void (propertiesOf(t, 'HealthIntegration').PayloadFormatVersion = '1.0'), UnsupportedPropertyError, 'property PayloadFormatVersion'],
    ['a named stage', (t) => void (propertiesOf(t, 'ApiDefaultStage').StageName = 'prod'), UnsupportedPropertyError, 'property StageName'],
    ['a macro', (t) => void (t.Transform = 'AWS::Serverless-2016-10-31'), TemplateError, 'declares Transform'],
    ['a function whose bundle is missing', (t) => void ((propertiesOf(t, 'CreatePurchase').Code as Record<string, unknown>).S3Key = 'missing.zip'), TemplateError, 'no asset in the cloud assembly for code missing.zip'],
    [
      'a dead-letter queue from outside the stack',
      (t) => void ((propertiesOf(t, 'PurchaseQueue').RedrivePolicy as Record<string, unknown>).deadLetterTargetArn = 'arn:aws:sqs:us-east-1:000000000000:Elsewhere'),
      TemplateError,
      'Queue PurchaseQueue: its dead-letter queue arn:aws:sqs:us-east-1:000000000000:Elsewhere is not a queue of this stack',
    ],
    [
      'a mapping to a function outside the stack',
      (t) => void (propertiesOf(t, 'StartPurchaseQueueMapping').FunctionName = 'Elsewhere'),
      TemplateError,
      'Event source mapping StartPurchaseQueueMapping: function Elsewhere is not a function of this stack',
    ],
  ];

  it.each(cases)('fails to start on %s, naming it', (_description, mutate, errorClass, message) => {
    // Prepare
    const template = baseTemplate();
    mutate(template);

    // Act
    const act = () => build(template);

    // Assess
    expect(act).toThrow(errorClass);
    expect(act).toThrow(message);
  });

  it('serves a rate schedule on the default bus as a scheduled rule', () => {
    // Prepare
    const template = baseTemplate();
    const properties = propertiesOf(template, 'RestartPurchaseRule');
    delete properties.EventBusName;
    delete properties.EventPattern;
    properties.ScheduleExpression = 'rate(5 minutes)';

    // Act
    const rule = build(template).rules.find((candidate) => candidate.logicalId === 'RestartPurchaseRule');

    // Assess
    expect(rule).toMatchObject({ eventBusName: 'default', scheduleExpression: 'rate(5 minutes)', arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/RestartPurchaseRule` });
  });

  it("combines a role's inline policies, its managed policies of the stack and the policies naming it, and lists AWS managed ones apart", () => {
    // Prepare
    const template = baseTemplate();
    const basicExecution = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
    const inline = { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['PurchaseQueue', 'Arn'] } }] };
    const managed = { Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: 'Saga' } }] };
    template.Resources.SharedPolicy = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: managed } };
    Object.assign(propertiesOf(template, 'CreatePurchaseRole'), {
      Policies: [{ PolicyName: 'inline', PolicyDocument: inline }],
      ManagedPolicyArns: [{ Ref: 'SharedPolicy' }, basicExecution],
    });

    // Act
    const [role] = build(template).roles;

    // Assess
    expect(role?.policyDocuments).toEqual([
      { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:PurchaseQueue` }] },
      { Statement: [{ Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Purchases` }], Version: '2012-10-17' },
      { Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Saga` }] },
    ]);
    expect(role?.awsManagedPolicyArns).toEqual([basicExecution]);
  });

  it('fails to start when a function assumes a role the stack does not declare, naming it', () => {
    // Prepare
    const template = baseTemplate();
    propertiesOf(template, 'StartPurchase').Role = `arn:aws:iam::${ACCOUNT}:role/Elsewhere`;

    // Act
    const act = () => build(template);

    // Assess
    expect(act).toThrow(`Role arn:aws:iam::${ACCOUNT}:role/Elsewhere, which a function assumes, is not a role of this stack`);
  });

  it('does not resolve ignored properties, so their references cannot fail startup', () => {
    // Prepare
    const template = baseTemplate();
    propertiesOf(template, 'CreatePurchase').KmsKeyArn = { 'Fn::GetAtt': ['NoSuchKey', 'Arn'] };

    // Act
    const app = build(template);

    // Assess
    expect(app.functions.map((fn) => fn.name)).toContain('CreatePurchase');
  });
});

describe('cloud assembly', () => {
  it('fails clearly when there is nothing synthesized', () => {
    expect(() => readCloudAssembly(join(__dirname, 'fixtures', 'no-such-dir'))).toThrow('synthesize the app first (npx cdk synth)');
  });

  it('fails clearly on an unknown stack name', () => {
    expect(() => readCloudAssembly(ASSEMBLY_DIR, 'Other')).toThrow('Stack Other is not in the cloud assembly (stacks: App)');
  });
});
