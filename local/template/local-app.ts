/**
 * The application as the local runtime serves it: every resource of the
 * synthesized template that has behaviour, with intrinsics resolved to local
 * names, ARNs and endpoints. Each runtime component reads its part of this
 * model and nothing else from the template.
 */

export interface LocalApp {
  readonly stackName: string;
  readonly tables: readonly LocalTable[];
  readonly queues: readonly LocalQueue[];
  readonly functions: readonly LocalFunction[];
  readonly eventSourceMappings: readonly LocalEventSourceMapping[];
  readonly stateMachines: readonly LocalStateMachine[];
  readonly eventBuses: readonly LocalEventBus[];
  readonly rules: readonly LocalRule[];
  readonly archives: readonly LocalArchive[];
  readonly httpApis: readonly LocalHttpApi[];
  /** The roles the functions assume, with their policies (enforced on the functions' calls by local/iam). */
  readonly roles: readonly LocalRole[];
  /** The stack's outputs, resolved (what `cloudformation describe-stacks` would show). */
  readonly outputs: Readonly<Record<string, string>>;
  /** Resources of the template the runtime deliberately does not run, with the reason. */
  readonly notNeeded: readonly NotNeededResource[];
}

export interface NotNeededResource {
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

/** Identity shared by every served resource. */
interface LocalResource {
  readonly logicalId: string;
  /** The physical name: the template's name property, else the logical id. */
  readonly name: string;
  readonly arn: string;
}

type KeyAttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

export interface LocalTableIndex {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projection: { readonly type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; readonly nonKeyAttributes?: readonly string[] };
}

export interface LocalTable extends LocalResource {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly LocalTableIndex[];
  readonly localSecondaryIndexes: readonly LocalTableIndex[];
  /** The attribute holding an item's expiry (epoch seconds), when TTL is enabled. */
  readonly timeToLiveAttribute?: string;
}

export interface LocalQueue extends LocalResource {
  /** The queue URL on the local SQS endpoint. */
  readonly url: string;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly delaySeconds: number;
  readonly receiveMessageWaitTimeSeconds: number;
  readonly maximumMessageSizeBytes: number;
  /** Where a message goes after `maxReceiveCount` receives without a delete. */
  readonly redrivePolicy?: { readonly deadLetterQueueArn: string; readonly maxReceiveCount: number };
}

export interface LocalFunction extends LocalResource {
  /** `index.handler`: the module (relative to codeDir, no extension) and its exported function. */
  readonly handler: string;
  /** Absolute path of the bundled code (cdk.out/asset.<hash>/). */
  readonly codeDir: string;
  readonly runtime: string;
  /** The function's environment from the template, resolved to local values. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Reserved concurrency: the most invocations that may run at once, when the template caps it. */
  readonly reservedConcurrency?: number;
  /** Where an asynchronous invocation's event goes once its retries failed (DeadLetterConfig). */
  readonly deadLetterQueueArn?: string;
  /** The execution role (Role), one of LocalApp.roles; absent only in templates that give none. */
  readonly roleArn?: string;
}

export interface LocalRole extends LocalResource {
  /** Every identity-based policy document attached to the role, resolved, as IAM would combine them. */
  readonly policyDocuments: readonly unknown[];
  /** Managed policies AWS owns (not in the template), by ARN: their content is not known locally. */
  readonly awsManagedPolicyArns: readonly string[];
}

export interface LocalEventSourceMapping {
  readonly logicalId: string;
  readonly functionName: string;
  readonly queueArn: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  /** Most concurrent invocations the mapping starts (ScalingConfig.MaximumConcurrency); unbounded when absent. */
  readonly maximumConcurrency?: number;
  /** `FunctionResponseTypes: [ReportBatchItemFailures]`: the function returns the ids of failed messages. */
  readonly reportBatchItemFailures: boolean;
  readonly enabled: boolean;
}

/** An Amazon States Language document (JSONPath), with substitutions applied. */
export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

export interface LocalStateMachine extends LocalResource {
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly definition: AslDefinition;
  readonly logging: { readonly level: 'ALL' | 'ERROR' | 'FATAL' | 'OFF'; readonly includeExecutionData: boolean };
  readonly tracingEnabled: boolean;
}

export type LocalEventBus = LocalResource;

export type RuleTargetKind = 'lambda' | 'sqs' | 'stepFunctions' | 'eventBus';

export interface LocalRuleTarget {
  readonly id: string;
  readonly arn: string;
  readonly kind: RuleTargetKind;
  /** Constant JSON text sent instead of the event. */
  readonly input?: string;
  /** JSONPath of the part of the event to send. */
  readonly inputPath?: string;
  readonly inputTransformer?: { readonly inputPathsMap: Readonly<Record<string, string>>; readonly inputTemplate: string };
  readonly retryPolicy: { readonly maximumRetryAttempts: number; readonly maximumEventAgeSeconds: number };
  /** The queue that receives events whose delivery failed after the retries. */
  readonly deadLetterQueueArn?: string;
}

export interface LocalRule extends LocalResource {
  readonly eventBusName: string;
  readonly eventPattern: Readonly<Record<string, unknown>>;
  /** A scheduled rule's rate(...) expression: it runs on a timer (local/schedules), not on the bus's events. */
  readonly scheduleExpression?: string;
  readonly enabled: boolean;
  readonly targets: readonly LocalRuleTarget[];
}

export interface LocalArchive extends LocalResource {
  readonly eventBusName: string;
  readonly eventBusArn: string;
  /** Archive only the events that match; every event when absent. */
  readonly eventPattern?: Readonly<Record<string, unknown>>;
  /** 0 keeps events forever. */
  readonly retentionDays: number;
}

export interface LocalJwtAuthorizer {
  readonly logicalId: string;
  readonly name: string;
  /** The local issuer URL (the template's Cognito issuer is replaced by it). */
  readonly issuer: string;
  readonly audience: readonly string[];
  /** Where the token is read, e.g. `$request.header.Authorization`. */
  readonly identitySource: readonly string[];
}

export interface LocalHttpRoute {
  /** As in the template: `POST /purchases`, `GET /purchases/{purchaseId}`, `ANY /{proxy+}` or `$default`. */
  readonly routeKey: string;
  /** Upper-case method or `ANY`; undefined for `$default`. */
  readonly method?: string;
  /** Path template; undefined for `$default`. */
  readonly path?: string;
  readonly functionName: string;
  readonly timeoutMs: number;
  /** Absent for routes without authorization. */
  readonly authorizer?: LocalJwtAuthorizer;
  readonly authorizationScopes: readonly string[];
}

export interface LocalHttpApiCors {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSeconds?: number;
}

export interface LocalHttpApi {
  readonly logicalId: string;
  readonly apiId: string;
  readonly name: string;
  /** The local base URL (an API's ApiEndpoint). */
  readonly endpoint: string;
  readonly routes: readonly LocalHttpRoute[];
  readonly cors?: LocalHttpApiCors;
}
