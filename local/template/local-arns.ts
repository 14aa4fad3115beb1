import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/ports';

/**
 * ARNs of local resources, in the format AWS uses for each service, so code
 * that parses or matches ARNs (Step Functions `lambda:invoke`, EventBridge
 * targets, redrive policies) sees what it would see on AWS.
 */

export const LOCAL_PARTITION = 'aws';

export interface ArnParts {
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the account: `function:Name`, `table/Name`, `QueueName`... */
  readonly resource: string;
}

export const formatArn = ({ service, region, account, resource }: ArnParts): string =>
  `arn:${LOCAL_PARTITION}:${service}:${region}:${account}:${resource}`;

const local = (service: string, resource: string, region = LOCAL_REGION) => formatArn({ service, region, account: LOCAL_ACCOUNT, resource });

export const lambdaFunctionArn = (name: string) => local('lambda', `function:${name}`);
export const sqsQueueArn = (name: string) => local('sqs', name);
/** The URL fauxqs gives a queue: `<endpoint>/<account>/<name>`. */
export const sqsQueueUrl = (sqsEndpoint: string, name: string) => `${sqsEndpoint.replace(/\/+$/, '')}/${LOCAL_ACCOUNT}/${name}`;
export const dynamoDbTableArn = (name: string) => local('dynamodb', `table/${name}`);
export const stateMachineArn = (name: string) => local('states', `stateMachine:${name}`);
export const eventBusArn = (name: string) => local('events', `event-bus/${name}`);
/** Rules on the default bus have `rule/<name>`, rules on a custom bus `rule/<bus>/<name>`. */
export const eventRuleArn = (busName: string, ruleName: string) =>
  local('events', busName === DEFAULT_EVENT_BUS ? `rule/${ruleName}` : `rule/${busName}/${ruleName}`);
export const eventArchiveArn = (name: string) => local('events', `archive/${name}`);
export const logGroupArn = (name: string) => local('logs', `log-group:${name}:*`);
export const iamRoleArn = (name: string) => formatArn({ service: 'iam', region: '', account: LOCAL_ACCOUNT, resource: `role/${name}` });
export const iamPolicyArn = (name: string) => formatArn({ service: 'iam', region: '', account: LOCAL_ACCOUNT, resource: `policy/${name}` });
export const snsTopicArn = (name: string) => local('sns', name);
export const cognitoUserPoolArn = (poolId: string) => local('cognito-idp', `userpool/${poolId}`);
export const cloudWatchAlarmArn = (name: string) => local('cloudwatch', `alarm:${name}`);
export const kmsKeyArn = (keyId: string) => local('kms', `key/${keyId}`);

/** The bus PutEvents uses when an entry names none. */
export const DEFAULT_EVENT_BUS = 'default';

const ARN_PATTERN = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/;

/** Splits an ARN into its parts, or undefined when the string is not an ARN. */
export const parseArn = (value: string): ArnParts | undefined => {
  const match = ARN_PATTERN.exec(value);
  if (!match) return undefined;
  const [, , service = '', region = '', account = '', resource = ''] = match;
  return { service, region, account, resource };
};

/**
 * The function name in a Lambda ARN (qualifier dropped) or the name itself:
 * Lambda accepts a name, a full ARN, or either with a `:qualifier`.
 */
export const lambdaFunctionNameOf = (nameOrArn: string): string => {
  const arn = parseArn(nameOrArn);
  if (arn?.service === 'lambda') return arn.resource.split(':')[1] ?? nameOrArn;
  return nameOrArn.split(':')[0] ?? nameOrArn;
};

/** The bus name of an event bus ARN, or the value itself when it is already a name. */
export const eventBusNameOf = (nameOrArn: string): string => {
  const arn = parseArn(nameOrArn);
  return arn?.service === 'events' && arn.resource.startsWith('event-bus/') ? arn.resource.slice('event-bus/'.length) : nameOrArn;
};
