import {
  cloudWatchAlarmArn,
  cognitoUserPoolArn,
  DEFAULT_EVENT_BUS,
  dynamoDbTableArn,
  eventArchiveArn,
  eventBusArn,
  eventBusNameOf,
  eventRuleArn,
  iamPolicyArn,
  iamRoleArn,
  kmsKeyArn,
  lambdaFunctionArn,
  logGroupArn,
  snsTopicArn,
  sqsQueueArn,
  sqsQueueUrl,
  stateMachineArn,
} from '#local/arns';

/**
 * What `Ref` and `Fn::GetAtt` return for each resource type when the stack
 * "deploys" locally. A resource's physical name is its logical id unless the
 * template names it, so local names are stable across runs and readable.
 */

/** Local endpoints that appear inside resolved values (queue URLs, issuer, API URL). */
export interface LocalEndpoints {
  /** Base URL of the local SQS service; a queue's URL is `<sqs>/<account>/<name>`. */
  readonly sqs: string;
  /** The local JWT issuer that stands in for Cognito user pools (a pool's ProviderURL). */
  readonly jwtIssuer: string;
  /** Base URL of the local HTTP API (an API's ApiEndpoint). */
  readonly httpApi: string;
}

export interface IdentityContext {
  readonly logicalId: string;
  readonly region: string;
  readonly endpoints: LocalEndpoints;
  /** One of the resource's own properties, resolved; undefined when absent. */
  property(name: string): unknown;
}

interface ResourceIdentity {
  ref(context: IdentityContext): string;
  readonly attributes: Readonly<Record<string, (context: IdentityContext) => string>>;
}

/** The physical name: the template's name property when set, else the logical id. */
const nameFrom =
  (property: string) =>
  (context: IdentityContext): string => {
    const value = context.property(property);
    return typeof value === 'string' && value !== '' ? value : context.logicalId;
  };

/** Local ids for services whose ids AWS generates (user pools look like `us-east-1_AbC123`). */
const userPoolId = (context: IdentityContext) => `${context.region}_${context.logicalId}`;

const byLogicalId = (context: IdentityContext) => context.logicalId;

const functionName = nameFrom('FunctionName');
const queueName = nameFrom('QueueName');
const tableName = nameFrom('TableName');
const machineName = nameFrom('StateMachineName');
const busName = nameFrom('Name');
const ruleName = nameFrom('Name');
const archiveName = nameFrom('ArchiveName');
const logGroupName = nameFrom('LogGroupName');
const roleName = nameFrom('RoleName');
const topicName = nameFrom('TopicName');
const alarmName = nameFrom('AlarmName');
const ruleBusName = (context: IdentityContext) => {
  const bus = context.property('EventBusName');
  return typeof bus === 'string' && bus !== '' ? eventBusNameOf(bus) : DEFAULT_EVENT_BUS;
};

const tableIdentity: ResourceIdentity = {
  ref: tableName,
  attributes: { Arn: (c) => dynamoDbTableArn(tableName(c)) },
};

const IDENTITIES: Readonly<Record<string, ResourceIdentity>> = {
  'AWS::Lambda::Function': {
    ref: functionName,
    attributes: { Arn: (c) => lambdaFunctionArn(functionName(c)) },
  },
  'AWS::SQS::Queue': {
    ref: (c) => sqsQueueUrl(c.endpoints.sqs, queueName(c)),
    attributes: {
      Arn: (c) => sqsQueueArn(queueName(c)),
      QueueName: queueName,
      QueueUrl: (c) => sqsQueueUrl(c.endpoints.sqs, queueName(c)),
    },
  },
  'AWS::DynamoDB::Table': tableIdentity,
  'AWS::DynamoDB::GlobalTable': tableIdentity,
  'AWS::StepFunctions::StateMachine': {
    ref: (c) => stateMachineArn(machineName(c)),
    attributes: { Arn: (c) => stateMachineArn(machineName(c)), Name: machineName },
  },
  'AWS::Events::EventBus': {
    ref: busName,
    attributes: { Arn: (c) => eventBusArn(busName(c)), Name: busName },
  },
  'AWS::Events::Rule': {
    ref: (c) => (ruleBusName(c) === DEFAULT_EVENT_BUS ? ruleName(c) : `${ruleBusName(c)}|${ruleName(c)}`),
    attributes: { Arn: (c) => eventRuleArn(ruleBusName(c), ruleName(c)) },
  },
  'AWS::Events::Archive': {
    ref: archiveName,
    attributes: { Arn: (c) => eventArchiveArn(archiveName(c)) },
  },
  'AWS::Logs::LogGroup': {
    ref: logGroupName,
    attributes: { Arn: (c) => logGroupArn(logGroupName(c)) },
  },
  'AWS::IAM::Role': {
    ref: roleName,
    attributes: { Arn: (c) => iamRoleArn(roleName(c)), RoleId: (c) => `AROA${c.logicalId.toUpperCase()}` },
  },
  'AWS::IAM::ManagedPolicy': {
    ref: (c) => iamPolicyArn(nameFrom('ManagedPolicyName')(c)),
    attributes: { PolicyArn: (c) => iamPolicyArn(nameFrom('ManagedPolicyName')(c)) },
  },
  'AWS::SNS::Topic': {
    ref: (c) => snsTopicArn(topicName(c)),
    attributes: { TopicArn: (c) => snsTopicArn(topicName(c)), TopicName: topicName },
  },
  'AWS::Cognito::UserPool': {
    ref: userPoolId,
    attributes: {
      Arn: (c) => cognitoUserPoolArn(userPoolId(c)),
      ProviderName: (c) => `cognito-idp.${c.region}.amazonaws.com/${userPoolId(c)}`,
      // Tokens are issued by the local issuer, so that is the pool's issuer URL locally.
      ProviderURL: (c) => c.endpoints.jwtIssuer,
      UserPoolId: userPoolId,
    },
  },
  'AWS::Cognito::UserPoolClient': { ref: byLogicalId, attributes: { ClientId: byLogicalId } },
  'AWS::ApiGatewayV2::Api': {
    ref: byLogicalId,
    attributes: { ApiId: byLogicalId, ApiEndpoint: (c) => c.endpoints.httpApi.replace(/\/+$/, '') },
  },
  'AWS::ApiGatewayV2::Authorizer': { ref: byLogicalId, attributes: { AuthorizerId: byLogicalId } },
  'AWS::ApiGatewayV2::Integration': { ref: byLogicalId, attributes: { IntegrationId: byLogicalId } },
  'AWS::ApiGatewayV2::Route': { ref: byLogicalId, attributes: { RouteId: byLogicalId } },
  'AWS::Lambda::EventSourceMapping': { ref: byLogicalId, attributes: { Id: byLogicalId } },
  'AWS::CloudWatch::Alarm': {
    ref: alarmName,
    attributes: { Arn: (c) => cloudWatchAlarmArn(alarmName(c)) },
  },
  'AWS::KMS::Key': {
    ref: byLogicalId,
    attributes: { Arn: (c) => kmsKeyArn(c.logicalId), KeyId: byLogicalId },
  },
};

/** What `Ref` returns locally; the logical id for types whose Ref is an opaque id. */
export const localRef = (resourceType: string, context: IdentityContext): string =>
  (IDENTITIES[resourceType]?.ref ?? byLogicalId)(context);

/** What `Fn::GetAtt` returns locally, or undefined when the attribute has no local value. */
export const localAttribute = (resourceType: string, attribute: string, context: IdentityContext): string | undefined => {
  const attributes = IDENTITIES[resourceType]?.attributes;
  const compute = attributes && Object.hasOwn(attributes, attribute) ? attributes[attribute] : undefined;
  return compute?.(context);
};
