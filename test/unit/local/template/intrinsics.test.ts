import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTemplateResolver } from '#local/template/intrinsics';
import { IntrinsicError } from '#local/template/template-errors';
import { cloudFormationTemplateSchema } from '#local/template/template-schema';
import { LOCAL_ENDPOINTS } from './fixtures/local-endpoints';

const template = cloudFormationTemplateSchema.parse(JSON.parse(readFileSync(join(__dirname, 'fixtures', 'resolver.template.json'), 'utf8')));
const resolverFor = (parameters?: Record<string, string>) =>
  createTemplateResolver({ template, stackName: 'App', endpoints: LOCAL_ENDPOINTS, ...(parameters ? { parameters } : {}) });

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

describe('template resolver', () => {
  const resolved: Array<[string, unknown, unknown]> = [
    // Pseudo parameters and parameters
    ['AWS::Region', { Ref: 'AWS::Region' }, REGION],
    ['AWS::AccountId', { Ref: 'AWS::AccountId' }, ACCOUNT],
    ['AWS::Partition', { Ref: 'AWS::Partition' }, 'aws'],
    ['AWS::URLSuffix', { Ref: 'AWS::URLSuffix' }, 'amazonaws.com'],
    ['AWS::StackName', { Ref: 'AWS::StackName' }, 'App'],
    ['a parameter default', { Ref: 'Stage' }, 'dev'],
    ['a list parameter', { Ref: 'Zones' }, ['a', 'b', 'c']],
    // Ref and GetAtt of each resource type: logical id as name, AWS-format ARNs
    ['Ref of a function', { Ref: 'Fn' }, 'Fn'],
    ['function ARN', { 'Fn::GetAtt': ['Fn', 'Arn'] }, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:Fn`],
    ['function named by the template', { 'Fn::GetAtt': ['NamedFn', 'Arn'] }, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:App-named`],
    ['Ref of a queue is its local URL', { Ref: 'Queue' }, `http://127.0.0.1:9324/${ACCOUNT}/Queue`],
    ['queue ARN', { 'Fn::GetAtt': ['Queue', 'Arn'] }, `arn:aws:sqs:${REGION}:${ACCOUNT}:Queue`],
    ['queue named by the template', { 'Fn::GetAtt': ['NamedQueue', 'QueueName'] }, 'orders'],
    ['queue URL attribute', { 'Fn::GetAtt': ['NamedQueue', 'QueueUrl'] }, `http://127.0.0.1:9324/${ACCOUNT}/orders`],
    ['Ref of a table', { Ref: 'Table' }, 'Table'],
    ['table ARN', { 'Fn::GetAtt': ['Table', 'Arn'] }, `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Table`],
    ['Ref of a state machine is its ARN', { Ref: 'Machine' }, `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Machine`],
    ['state machine name', { 'Fn::GetAtt': ['Machine', 'Name'] }, 'Machine'],
    ['Ref of an event bus is its name', { Ref: 'Bus' }, 'ticketing'],
    ['event bus ARN', { 'Fn::GetAtt': ['Bus', 'Arn'] }, `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/ticketing`],
    ['rule ARN on a custom bus', { 'Fn::GetAtt': ['Rule', 'Arn'] }, `arn:aws:events:${REGION}:${ACCOUNT}:rule/ticketing/Rule`],
    ['rule ARN on the default bus', { 'Fn::GetAtt': ['DefaultBusRule', 'Arn'] }, `arn:aws:events:${REGION}:${ACCOUNT}:rule/DefaultBusRule`],
    ['archive ARN', { 'Fn::GetAtt': ['Archive', 'Arn'] }, `arn:aws:events:${REGION}:${ACCOUNT}:archive/Archive`],
    ['log group name', { Ref: 'Logs' }, '/aws/lambda/Fn'],
    ['log group ARN', { 'Fn::GetAtt': ['Logs', 'Arn'] }, `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/Fn:*`],
    ['role ARN', { 'Fn::GetAtt': ['Role', 'Arn'] }, `arn:aws:iam::${ACCOUNT}:role/Role`],
    ['Ref of a topic is its ARN', { Ref: 'Topic' }, `arn:aws:sns:${REGION}:${ACCOUNT}:Topic`],
    ['user pool id', { Ref: 'Pool' }, `${REGION}_Pool`],
    ['user pool issuer is the local issuer', { 'Fn::GetAtt': ['Pool', 'ProviderURL'] }, LOCAL_ENDPOINTS.jwtIssuer],
    ['user pool client id', { Ref: 'PoolClient' }, 'PoolClient'],
    ['HTTP API endpoint', { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] }, LOCAL_ENDPOINTS.httpApi],
    ['GetAtt in its string form', { 'Fn::GetAtt': 'Fn.Arn' }, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:Fn`],
    // Functions
    ['Fn::Join', { 'Fn::Join': ['-', ['a', { Ref: 'Stage' }, 3]] }, 'a-dev-3'],
    ['Fn::Sub with pseudo parameters and resources', { 'Fn::Sub': '${AWS::StackName}/${Table}/${Fn.Arn}' }, `App/Table/arn:aws:lambda:${REGION}:${ACCOUNT}:function:Fn`],
    ['Fn::Sub with a variable map', { 'Fn::Sub': ['${Name}-${Stage}', { Name: { Ref: 'Bus' } }] }, 'ticketing-dev'],
    ['Fn::Sub keeps an escaped placeholder', { 'Fn::Sub': '${!Literal} ${Stage}' }, '${Literal} dev'],
    ['Fn::Select', { 'Fn::Select': [1, { Ref: 'Zones' }] }, 'b'],
    ['Fn::Select with a string index', { 'Fn::Select': ['2', ['x', 'y', 'z']] }, 'z'],
    ['Fn::Split', { 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] }, ['arn', 'aws', 'sqs', REGION, ACCOUNT, 'Queue']],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Table', 'Arn'] }] }] }, 'table/Table'],
    ['Fn::If on a true condition', { 'Fn::If': ['IsDev', 'small', 'large'] }, 'small'],
    ['Fn::If on a false condition', { 'Fn::If': ['IsProd', 'large', 'small'] }, 'small'],
    ['Fn::If with AWS::NoValue removes the property', { Keep: 1, Drop: { 'Fn::If': ['IsProd', 2, { Ref: 'AWS::NoValue' }] } }, { Keep: 1 }],
    ['AWS::NoValue removes a list element', ['a', { 'Fn::If': ['IsDev', { Ref: 'AWS::NoValue' }, 'b'] }], ['a']],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['StageSettings', { Ref: 'Stage' }, 'BatchSize'] }, 5],
    ['Fn::Base64', { 'Fn::Base64': { 'Fn::Sub': '${Stage}' } }, Buffer.from('dev').toString('base64')],
    ['nested objects and lists', { list: [{ Ref: 'Table' }], nested: { arn: { 'Fn::GetAtt': ['Bus', 'Arn'] } } }, { list: ['Table'], nested: { arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/ticketing` } }],
  ];

  it.each(resolved)('resolves %s', (_description, expression, expected) => {
    // Prepare
    const resolver = resolverFor();

    // Act
    const value = resolver.resolve(expression, 'test');

    // Assess
    expect(value).toEqual(expected);
  });

  const conditions: Array<[string, boolean]> = [
    ['IsDev', true],
    ['IsProd', false],
    ['DevInUsEast1', true],
    ['DevOrProd', true],
  ];

  it.each(conditions)('evaluates condition %s to %s', (name, expected) => {
    // Prepare
    const resolver = resolverFor();

    // Act
    const value = resolver.condition(name);

    // Assess
    expect(value).toBe(expected);
  });

  const failures: Array<[string, unknown, string]> = [
    ['a reference to an unknown name', { Ref: 'Nope' }, 'reference to unknown resource or parameter "Nope"'],
    ['an attribute with no local value', { 'Fn::GetAtt': ['Table', 'StreamArn'] }, 'attribute StreamArn of Table (AWS::DynamoDB::Table) has no local value'],
    ['a resource whose condition is false', { Ref: 'ProdOnly' }, 'not deployed because condition IsProd is false'],
    ['a parameter without a default', { Ref: 'Required' }, 'parameter Required has no Default'],
    ['an SSM parameter', { Ref: 'BootstrapVersion' }, 'SSM Parameter Store'],
    ['a cross-stack import', { 'Fn::ImportValue': 'SharedVpc' }, 'Fn::ImportValue is not supported locally'],
    ['an out-of-range Fn::Select', { 'Fn::Select': [3, ['a']] }, 'out of range'],
    ['an unknown condition', { 'Fn::If': ['Nope', 1, 2] }, 'unknown condition "Nope"'],
    ['a name that refers to itself', { Ref: 'SelfNamed' }, 'circular reference'],
    ['conditions that refer to each other', { 'Fn::If': ['LoopA', 1, 2] }, 'circular reference'],
    ['a non-scalar in Fn::Join', { 'Fn::Join': [',', [['nested']]] }, 'Fn::Join needs scalar values'],
  ];

  it.each(failures)('fails on %s', (_description, expression, message) => {
    // Prepare
    const resolver = resolverFor();

    // Act
    const act = () => resolver.resolve(expression, 'test');

    // Assess
    expect(act).toThrow(IntrinsicError);
    expect(act).toThrow(message);
  });

  it('names where the failing value is in the template', () => {
    // Prepare
    const resolver = resolverFor();

    // Act
    const act = () => resolver.resolve({ Variables: { TABLE: { Ref: 'Nope' } } }, 'Resources.Fn.Properties.Environment');

    // Assess
    expect(act).toThrow('Resources.Fn.Properties.Environment.Variables.TABLE: reference to unknown resource');
  });

  it('uses a given parameter value over the default', () => {
    // Prepare
    const resolver = resolverFor({ Required: 'given', Stage: 'prod' });

    // Act
    const values = resolver.resolve([{ Ref: 'Required' }, { Ref: 'Stage' }], 'test');

    // Assess
    expect(values).toEqual(['given', 'prod']);
  });

  it('does not deploy a resource whose condition is false', () => {
    // Prepare
    const resolver = resolverFor();

    // Act
    const deployed = [resolver.isDeployed('ProdOnly'), resolver.isDeployed('Queue')];

    // Assess
    expect(deployed).toEqual([false, true]);
  });
});
