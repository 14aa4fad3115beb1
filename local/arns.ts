import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/ports';

/**
 * Every ARN and queue URL the local runtime builds or reads, in the format
 * AWS uses for each service, so code that parses or matches ARNs (Step
 * Functions `lambda:invoke`, EventBridge targets, redrive policies) sees what
 * it would see on AWS. Parsers accept any partition (`aws`, `aws-cn`...), as
 * ARNs in a template or a request may name one.
 */

export const LOCAL_PARTITION = 'aws';

export interface ArnParts {
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the account: `function:Name`, `table/Name`, `QueueName`... */
  readonly resource: string;
}

const formatArn = ({ service, region, account, resource }: ArnParts): string =>
  `arn:${LOCAL_PARTITION}:${service}:${region}:${account}:${resource}`;

const ARN_PATTERN = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/;

/** Splits an ARN into its parts, or undefined when the string is not an ARN. */
export const parseArn = (value: string): ArnParts | undefined => {
  const match = ARN_PATTERN.exec(value);
  if (!match) return undefined;
  const [, , service = '', region = '', account = '', resource = ''] = match;
  return { service, region, account, resource };
};

const local = (service: string, resource: string) => formatArn({ service, region: LOCAL_REGION, account: LOCAL_ACCOUNT, resource });
const global = (service: string, resource: string) => formatArn({ service, region: '', account: LOCAL_ACCOUNT, resource });

// Lambda

export const lambdaFunctionArn = (name: string) => local('lambda', `function:${name}`);

const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;

/** A full function ARN, optionally with a qualifier (what a Task's Resource may be). */
export const isLambdaFunctionArn = (value: string): boolean => LAMBDA_FUNCTION_ARN.test(value);

/**
 * The function name in a Lambda ARN (qualifier dropped) or the name itself:
 * Lambda accepts a name, a full ARN, or either with a `:qualifier`.
 */
export const lambdaFunctionNameOf = (nameOrArn: string): string => {
  const arn = parseArn(nameOrArn);
  if (arn?.service === 'lambda') return arn.resource.split(':')[1] ?? nameOrArn;
  return nameOrArn.split(':')[0] ?? nameOrArn;
};

// SQS

export const sqsQueueArn = (name: string) => local('sqs', name);

/** Path-style URLs on the local endpoint (`<endpoint>/<account>/<name>`): they resolve without DNS tricks, so clients may use them as endpoints too. */
export const sqsQueueUrl = (sqsEndpoint: string, name: string) => `${sqsEndpoint.replace(/\/+$/, '')}/${LOCAL_ACCOUNT}/${name}`;

/** The queue name inside a queue URL (any host) or ARN. */
export const queueNameOf = (queueUrlOrArn: string): string => {
  const separator = queueUrlOrArn.startsWith('arn:') ? ':' : '/';
  return queueUrlOrArn.replace(/\/+$/, '').split(separator).pop() ?? '';
};

// DynamoDB

export const dynamoDbTableArn = (name: string) => local('dynamodb', `table/${name}`);

// Step Functions: an execution ARN is its state machine's ARN with `stateMachine` replaced by `execution` and the execution name appended.

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):execution:([A-Za-z0-9_-]{1,80}):([^:]{1,80})$/;

export const stateMachineArn = (name: string) => local('states', `stateMachine:${name}`);

export const isStateMachineArn = (arn: string): boolean => STATE_MACHINE_ARN.test(arn);

export const stateMachineNameOf = (arn: string): string | undefined => STATE_MACHINE_ARN.exec(arn)?.[3];

export const stateMachineRegionOf = (arn: string): string => STATE_MACHINE_ARN.exec(arn)?.[1] ?? LOCAL_REGION;

export const executionArnFor = (machineArn: string, executionName: string): string =>
  `${machineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;

export const isExecutionArn = (arn: string): boolean => EXECUTION_ARN.test(arn);

/** The state machine ARN an execution ARN belongs to, or undefined when it is not an execution ARN. */
export const stateMachineArnOfExecution = (executionArn: string): string | undefined => {
  if (!isExecutionArn(executionArn)) return undefined;
  return executionArn.slice(0, executionArn.lastIndexOf(':')).replace(':execution:', ':stateMachine:');
};

// EventBridge

/** The bus every account has; PutEvents entries without EventBusName go here. */
export const DEFAULT_EVENT_BUS = 'default';

export const eventBusArn = (name: string) => local('events', `event-bus/${name}`);

/** Rules on the default bus keep AWS's short form `rule/<name>`; rules on a custom bus `rule/<bus>/<name>`. */
export const eventRuleArn = (busName: string, ruleName: string) =>
  local('events', busName === DEFAULT_EVENT_BUS ? `rule/${ruleName}` : `rule/${busName}/${ruleName}`);

export const eventArchiveArn = (name: string) => local('events', `archive/${name}`);

export const eventReplayArn = (name: string) => local('events', `replay/${name}`);

const eventsResourceNameOf = (arn: string, prefix: string): string | undefined => {
  const parts = parseArn(arn);
  return parts?.service === 'events' && parts.resource.startsWith(prefix) ? parts.resource.slice(prefix.length) : undefined;
};

/** EventBusName parameters take a name or an ARN. */
export const eventBusNameOf = (nameOrArn: string): string => eventsResourceNameOf(nameOrArn, 'event-bus/') ?? nameOrArn;

/** The archive name of an archive ARN, or undefined when it is not one. */
export const eventArchiveNameOf = (arn: string): string | undefined => eventsResourceNameOf(arn, 'archive/');

// Resources the runtime does not serve but whose ARNs the template may reference.

export const cloudFormationStackArn = (stackName: string) => local('cloudformation', `stack/${stackName}/local`);

export const logGroupArn = (name: string) => local('logs', `log-group:${name}:*`);
export const iamRoleArn = (name: string) => global('iam', `role/${name}`);
export const iamPolicyArn = (name: string) => global('iam', `policy/${name}`);
export const snsTopicArn = (name: string) => local('sns', name);
export const cognitoUserPoolArn = (poolId: string) => local('cognito-idp', `userpool/${poolId}`);
export const cloudWatchAlarmArn = (name: string) => local('cloudwatch', `alarm:${name}`);
export const kmsKeyArn = (keyId: string) => local('kms', `key/${keyId}`);
