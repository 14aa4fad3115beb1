import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV, type EnvKey } from '#commons/config';

/** The repository root: handler entries and the lock file are resolved from it. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Packages a bundle takes from our own small modules instead (esbuild
 * aliases, relative to PROJECT_ROOT, where esbuild runs). Each module says
 * why its stand-in is enough for a Lambda function, and fails clearly on the
 * paths it leaves out.
 */
const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  // The SDK's default credential chain: Lambda gives a function its credentials in the environment.
  '@aws-sdk/credential-provider-node': './handlers/commons/lambda-credentials.ts',
  // The SDK's event-stream support, loaded only by operations that stream events: none of ours do.
  '@smithy/core/event-streams': './handlers/commons/no-event-streams.ts',
  // The cache of DynamoDB's endpoint discovery, which the client creates and none of its commands uses.
  '@aws-sdk/endpoint-cache': './handlers/commons/no-endpoint-discovery.ts',
  // The X-Ray SDK's entry requires all of the SDK (and semver, to patch AWS SDK v2 clients); Powertools' Tracer uses a part of it on Lambda.
  'aws-xray-sdk-core': './handlers/commons/lambda-xray-sdk.ts',
  // An alias also renames the package's subpaths: the stand-in above takes the SDK's own modules from here.
  'aws-xray-sdk-core/dist/lib': './node_modules/aws-xray-sdk-core/dist/lib',
  'aws-xray-sdk-core/package.json': './node_modules/aws-xray-sdk-core/package.json',
  // The X-Ray SDK's segment context, on AsyncLocalStorage instead of a hook on every promise.
  'cls-hooked/context': './handlers/commons/cls-on-async-local-storage.ts',
};

/**
 * The defaults every function of the system shares, in one place.
 *
 * The runtime is the newest Node.js Lambda offers, while esbuild targets
 * Node 20: the local runtime executes the very same bundles on the
 * developer's Node 20, so the bundle must not use syntax newer than that.
 */
export const FUNCTION_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_24_X,
  architecture: lambda.Architecture.ARM_64,
  bundleTarget: 'node20',
  memorySize: 512,
  timeout: Duration.seconds(10),
  logRetention: logs.RetentionDays.ONE_MONTH,
} as const;

/** CloudWatch namespace of the Powertools metrics and the alarms' metric filters: one per deployed stack. */
const metricsNamespace = (scope: Construct): string => Stack.of(scope).stackName;

/** Environment of a function, keyed by the names in handlers/commons/config.ts so a typo cannot compile. */
export type FunctionConfig = Partial<Record<EnvKey, string>>;

export interface TicketingFunctionProps {
  /** The entry file under `handlers/` without extension, e.g. `reserve-seats`; also the Powertools service name. */
  readonly handlerName: string;
  /** What the function does, shown in the Lambda console. */
  readonly description: string;
  /**
   * The configuration the handler reads with `readConfig`.
   * @default - no configuration
   */
  readonly config?: FunctionConfig;
  /** @default FUNCTION_DEFAULTS.timeout (10 seconds) */
  readonly timeout?: Duration;
  /** @default FUNCTION_DEFAULTS.memorySize (512 MB) */
  readonly memorySize?: number;
  /** @default FUNCTION_DEFAULTS.logRetention (one month) */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Where failed asynchronous invocations go after Lambda's own retries.
   * @default - none (synchronous and event source mapping callers handle failures)
   */
  readonly deadLetterQueue?: lambda.FunctionProps['deadLetterQueue'];
}

/**
 * A handler from `handlers/`, bundled on its own by esbuild with every
 * dependency inside (the AWS SDK too, so what runs is what was tested), on
 * arm64 with active tracing, its own log group and its own role.
 *
 * The role carries no AWS managed policy: it may write only to the
 * function's log group, and everything else comes from explicit `grant*`.
 */
export class TicketingFunction extends nodejs.NodejsFunction {
  /** The function's log group, created explicitly so retention needs no custom resource. */
  public readonly functionLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TicketingFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? FUNCTION_DEFAULTS.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.handlerName}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: path.join(PROJECT_ROOT, 'handlers', `${props.handlerName}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: FUNCTION_DEFAULTS.runtime,
      architecture: FUNCTION_DEFAULTS.architecture,
      memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memorySize,
      timeout: props.timeout ?? FUNCTION_DEFAULTS.timeout,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        ...toEnvironment(props.config ?? {}),
        POWERTOOLS_SERVICE_NAME: props.handlerName,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(scope),
      },
      bundling: {
        target: FUNCTION_DEFAULTS.bundleTarget,
        // A CommonJS index.js exporting `handler`: what Lambda and the local runtime's workers both load.
        format: nodejs.OutputFormat.CJS,
        minify: true,
        // The map stays beside the bundle and is read only when an error is logged
        // (handlers/commons/source-mapped-stack.ts): NODE_OPTIONS=--enable-source-maps would read and
        // index it at every cold start, a third of the load's work. Its mappings alone name the file,
        // line and column of a frame; the embedded sources would triple its size.
        sourceMap: true,
        sourcesContent: false,
        // Synth stays quiet: esbuild reports only warnings and errors (bundle sizes are in cdk.out).
        logLevel: nodejs.LogLevel.WARNING,
        // Bundle everything, the SDK included: no dependency on what the Lambda runtime happens to ship.
        externalModules: [],
        // Prefer the packages' ES module builds, which esbuild can tree-shake (about a fifth less code), still emitted as CommonJS.
        mainFields: ['module', 'main'],
        // Code a function never runs stays out of its bundle (BUNDLE_ALIASES): less to read and compile at every cold start.
        esbuildArgs: { '--alias': Object.entries(BUNDLE_ALIASES).map(([name, module]) => `${name}=${module}`) },
      },
    });
    this.functionLogGroup = logGroup;

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    });
  }
}

const toEnvironment = (config: FunctionConfig): Record<string, string> =>
  Object.fromEntries(
    Object.entries(config).flatMap(([key, value]) => (value === undefined ? [] : [[ENV[key as EnvKey], value]])),
  );
