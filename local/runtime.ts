import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { STACK_NAME, STACK_OUTPUTS, TABLE_NAME_OUTPUTS } from '#infra/outputs';
import { startHttpApi, type LocalHttpApi as HttpApiService } from '#local/api/http-api';
import { startLocalAuth, type LocalAuth } from '#local/auth/local-auth';
import { dataDirLayout, DEFAULT_DATA_DIR } from '#local/data-dir';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb/dynamodb-local';
import { createTables } from '#local/dynamodb/tables';
import { dynamoDbWriteCounter, type WriteCounts } from '#local/dynamodb/write-counter';
import { LocalEventBridge } from '#local/eventbridge/bus';
import { startEventBridgeServer, type EventBridgeService } from '#local/eventbridge/server';
import { createChaos, StartExecutionThrottledError } from '#local/faults/chaos';
import { noFaults, type ChaosSettings, type FaultKind } from '#local/faults/chaos-settings';
import { recordInjectedFaults } from '#local/faults/injected-faults-file';
import { findFreePort } from '#local/free-port';
import { createIamEnforcement } from '#local/iam/iam-interceptors';
import type { FaultPlan } from '#local/lambda/fault-plan';
import { fileLogSink, type FunctionLogSink } from '#local/lambda/function-logs';
import { createFunctionRuntime, type FunctionRuntime } from '#local/lambda/function-runtime';
import { localServiceEnvironment, type LocalServiceEndpoints } from '#local/lambda/lambda-environment';
import { LOCAL_REGION } from '#local/ports';
import { startAwsJsonProxy, type Interceptor } from '#local/proxy/aws-json-proxy';
import { startScheduler } from '#local/schedules/scheduler';
import { startEventSourcePoller, type EventSourcePoller } from '#local/sqs/event-source-poller';
import { startLocalSqs, type LocalSqs } from '#local/sqs/local-sqs';
import { LocalStepFunctions } from '#local/stepfunctions/local-step-functions';
import { startStepFunctionsServer, type StepFunctionsServer } from '#local/stepfunctions/server';
import { openExecutionStore } from '#local/stepfunctions/store';
import { CDK_OUT_DIR, ensureSynthesized } from '#local/synthesized-template';
import type { LocalApp } from '#local/template/local-app';
import { loadLocalApp } from '#local/template/load-local-app';
import { localRuntimeFileSchema, type LocalRuntimeFile } from '#local/runtime-file';
import { limitHeapGrowth } from '#local/heap-growth';

/**
 * The whole system on one machine: the synthesized template served by local
 * stand-ins of DynamoDB, SQS, Lambda, Step Functions, EventBridge and the HTTP
 * API, with the bundled handler code running unchanged against them.
 */

export interface LocalRuntimePorts {
  readonly api: number;
  readonly auth: number;
  readonly dynamodb: number;
  readonly sqs: number;
  readonly stepfunctions: number;
  readonly eventbridge: number;
}

/** Fixed ports for `npm start`, so tokens (their issuer holds the port) and printed URLs stay valid across restarts. */
const DEFAULT_PORTS: LocalRuntimePorts = { api: 3000, auth: 3001, dynamodb: 8000, sqs: 9324, stepfunctions: 8083, eventbridge: 8084 };

/** What a seed needs: the tables exist and the client reaches them; the outputs name them (#infra/outputs TABLE_NAME_OUTPUTS). */
export interface LocalRuntimeSeedContext {
  readonly documentClient: DynamoDBDocumentClient;
  readonly outputs: LocalApp['outputs'];
  readonly log: (line: string) => void;
}

/** Most concurrent invocations of one function when the options do not say: a laptop-sized stand-in for Lambda's account concurrency. */
export const DEFAULT_FUNCTION_CONCURRENCY = 25;

export interface LocalRuntimeOptions {
  /** Where state persists. @default `.local/` */
  readonly dataDir?: string;
  /** Keep nothing: every service in memory, free ports picked. @default false */
  readonly inMemory?: boolean;
  /** Delete the data folder before starting. @default false */
  readonly fresh?: boolean;
  /** @default DEFAULT_PORTS, or free ports when inMemory */
  readonly ports?: Partial<LocalRuntimePorts>;
  /** Faults injected at the Lambda invoke boundary (see local/lambda/fault-plan.ts). */
  readonly faults?: FaultPlan;
  /**
   * Seeded probabilistic faults at every boundary of the fault model
   * (local/faults/chaos-settings.ts): the functions' invocations and their
   * DynamoDB, Step Functions and EventBridge calls, event deliveries and SQS
   * batches. Tools and tests, which use the plain endpoints, never see them.
   * @default none
   */
  readonly chaos?: ChaosSettings;
  /**
   * Data the caller puts in the tables before the runtime reports ready, e.g.
   * the demo concert of `npm start`. The runtime knows no data of its own; it
   * calls this on every start, over whatever a data folder kept, so a seed
   * must leave existing data alone. @default nothing is seeded
   */
  readonly seed?: (context: LocalRuntimeSeedContext) => Promise<void>;
  /** Multiplies every Retry interval of the state machine, e.g. 0.01 (tests and demos only). @default 1 */
  readonly retryDelayScale?: number;
  /** Multiplies the interval of every scheduled rule, e.g. 0.01 (tests and demos only). @default 1 */
  readonly scheduleIntervalScale?: number;
  /** Most concurrent invocations per function. @default DEFAULT_FUNCTION_CONCURRENCY */
  readonly functionConcurrency?: number;
  /** Progress lines while starting and stopping. @default silent */
  readonly log?: (line: string) => void;
  /** Where function logs go. @default a file per function in the data dir; memory-less runs write to `<tmp>` */
  readonly functionLogs?: FunctionLogSink;
  /** Count the DynamoDB item writes the functions make (a proxy in front of DynamoDB Local). @default false */
  readonly countDynamoDbWrites?: boolean;
  /** Run `cdk synth` when cdk.out is stale. @default true */
  readonly synth?: boolean;
  /** The cloud assembly to serve, e.g. a copy with a changed template (then pass `synth: false`). @default the repository's cdk.out */
  readonly cdkOutDir?: string;
  /**
   * Enforce each function's role from the template on its DynamoDB, SQS, Step
   * Functions and EventBridge calls (local/iam): a call the role does not
   * allow fails with AccessDeniedException, as on AWS. @default true
   */
  readonly enforceIam?: boolean;
}

export interface LocalRuntime {
  /** The content of `.local/runtime.json`: endpoints and the stack outputs under their CfnOutput names. */
  readonly info: LocalRuntimeFile;
  readonly app: LocalApp;
  readonly apiUrl: string;
  readonly dataDir: string | undefined;
  readonly functions: FunctionRuntime;
  /** The endpoints the functions call: proxies in front of the services when IAM enforcement, chaos or write counting is on, else the plain ones. */
  readonly functionEndpoints: LocalServiceEndpoints;
  readonly eventBridge: LocalEventBridge;
  readonly stepFunctions: LocalStepFunctions;
  readonly documentClient: DynamoDBDocumentClient;
  /** Process ids of the child processes (DynamoDB Local's JVM, fauxqs), e.g. to measure memory. */
  readonly childPids: readonly number[];
  /** Item writes by the functions so far, when started with countDynamoDbWrites. */
  dynamoDbWrites(): WriteCounts | undefined;
  /** Faults the chaos settings injected in this process so far, by kind (all zero without chaos). With a data folder, `<dataDir>/chaos/injected.json` holds the totals across restarts. */
  injectedFaults(): Record<FaultKind, number>;
  mintToken(buyerId: string): Promise<string>;
  /** Every event of the bus archive, oldest first. */
  archivedEvents(): ReturnType<LocalEventBridge['archivedEvents']>;
  stop(): Promise<void>;
}

class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

/** DynamoDB Local is a Java program: say so plainly instead of failing with ENOENT deep inside. */
const assertJavaAvailable = () => {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new JavaMissingError('Java 17 or newer is required for DynamoDB Local, but `java` was not found on PATH. Install a JRE (e.g. `apt-get install openjdk-17-jre-headless`) and start again.');
  }
};

const choosePorts = async (options: LocalRuntimeOptions): Promise<LocalRuntimePorts> => {
  const base = options.inMemory ? undefined : DEFAULT_PORTS;
  const pick = async (key: keyof LocalRuntimePorts) => options.ports?.[key] ?? base?.[key] ?? (await findFreePort());
  return {
    api: await pick('api'),
    auth: await pick('auth'),
    dynamodb: await pick('dynamodb'),
    sqs: await pick('sqs'),
    stepfunctions: await pick('stepfunctions'),
    eventbridge: await pick('eventbridge'),
  };
};

const url = (port: number) => `http://127.0.0.1:${port}`;

const requireOutput = (app: LocalApp, key: string): string => {
  const value = app.outputs[key];
  if (value === undefined) throw new Error(`The template has no output "${key}", which the local runtime and the tools read`);
  return value;
};

const runtimeFileOf = (app: LocalApp, ports: LocalRuntimePorts, archiveFile: string | undefined): LocalRuntimeFile =>
  localRuntimeFileSchema.parse({
    pid: process.pid,
    endpoints: {
      dynamodb: url(ports.dynamodb),
      sqs: url(ports.sqs),
      stepfunctions: url(ports.stepfunctions),
      eventbridge: url(ports.eventbridge),
      api: url(ports.api),
    },
    outputs: {
      ...app.outputs,
      [STACK_OUTPUTS.apiUrl]: url(ports.api),
      ...Object.fromEntries(Object.values(TABLE_NAME_OUTPUTS).map((key) => [key, requireOutput(app, key)])),
    },
    ...(archiveFile && { archiveFile }),
  });

/**
 * Starts every local service, in dependency order, and stops the ones
 * already started when a later one fails, so a failed start leaves no
 * process behind.
 */
export const startLocalRuntime = async (options: LocalRuntimeOptions = {}): Promise<LocalRuntime> => {
  const log = options.log ?? (() => undefined);
  const layout = options.inMemory ? undefined : dataDirLayout(options.dataDir ?? DEFAULT_DATA_DIR);
  if (layout && options.fresh) rmSync(layout.root, { recursive: true, force: true });
  if (layout) mkdirSync(layout.root, { recursive: true });

  assertJavaAvailable();
  limitHeapGrowth();
  const cdkOutDir = options.cdkOutDir ?? CDK_OUT_DIR;
  if (options.synth ?? true) ensureSynthesized(log, cdkOutDir);

  const ports = await choosePorts(options);
  const app = loadLocalApp({
    cdkOutDir,
    stackName: STACK_NAME,
    endpoints: { sqs: url(ports.sqs), jwtIssuer: url(ports.auth), httpApi: url(ports.api) },
  });
  log(`template ${STACK_NAME}: ${app.functions.length} functions, ${app.tables.length} tables, ${app.queues.length} queues, ${app.rules.length} rules, ${app.stateMachines.length} state machine(s)`);

  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    started.length = 0;
  };

  const chaos = options.chaos && createChaos(options.chaos, app.functions);
  const iam = options.enforceIam === false ? undefined : createIamEnforcement(app);
  log(iam ? `IAM: each function's calls are checked against its role (${app.roles.length} roles)` : 'IAM: not enforced (enforceIam: false)');
  if (options.chaos) log(`chaos settings: seed ${options.chaos.seed}, rates ${JSON.stringify(options.chaos.rates)}`);

  try {
    if (chaos && layout) {
      const recorder = recordInjectedFaults(layout.chaos, () => chaos.counts());
      // Stopped last, so the file gets the faults of the shutdown too.
      started.push({ stop: async () => recorder.stop() });
    }

    log('starting DynamoDB Local...');
    const dynamodb: DynamoDbLocal = await startDynamoDbLocal({ port: ports.dynamodb, ...(layout && { dataDir: layout.dynamodb }) });
    started.push(dynamodb);
    const dynamoDbClient = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, { marshallOptions: { removeUndefinedValues: true } });
    const tables = await createTables(dynamoDbClient, app.tables);
    log(`DynamoDB Local at ${dynamodb.endpoint}: ${tables.created.length} tables created, ${tables.existing.length} kept`);

    const audience = [...new Set(app.httpApis.flatMap((api) => api.routes.flatMap((route) => route.authorizer?.audience ?? [])))];
    // Without a data folder the key is nowhere on disk: the issuer registers itself so `npm run token` can ask it.
    const auth: LocalAuth = await startLocalAuth({ audience, port: ports.auth, ...(layout ? { authDir: layout.auth } : { registerForTokens: {} }) });
    started.push(auth);

    log('starting SQS (fauxqs)...');
    const sqs: LocalSqs = await startLocalSqs({
      port: ports.sqs,
      queues: app.queues,
      ...(layout && { journalDir: layout.sqs }),
    });
    started.push(sqs);
    if (sqs.recovery.restoredMessages > 0) log(`SQS: ${sqs.recovery.restoredMessages} message(s) not yet deleted were restored from the journal`);

    // The functions reach the services through proxies when their roles are enforced or something is to be counted or injected;
    // everyone else (tools, tests, the console) keeps the plain endpoints and a truthful view.
    const writeCounter = options.countDynamoDbWrites ? dynamoDbWriteCounter() : undefined;
    const functionsEndpoint = async (name: string, target: string, interceptors: ReadonlyArray<Interceptor | undefined>): Promise<string> => {
      const present = interceptors.filter((interceptor): interceptor is Interceptor => interceptor !== undefined);
      if (present.length === 0) return target;
      const proxy = await startAwsJsonProxy({ target, interceptors: present, name });
      started.push(proxy);
      return proxy.endpoint;
    };
    const endpoints = {
      // Authorization comes first: a denied call is neither counted nor faulted, as on AWS.
      dynamodb: await functionsEndpoint('DynamoDB proxy', dynamodb.endpoint, [iam?.dynamodb, chaos?.dynamodb, writeCounter?.interceptor]),
      sqs: await functionsEndpoint('SQS proxy', sqs.endpoint, [iam?.sqs]),
      stepFunctions: await functionsEndpoint('Step Functions proxy', url(ports.stepfunctions), [iam?.stepFunctions, chaos?.stepFunctions]),
      eventBridge: await functionsEndpoint('EventBridge proxy', url(ports.eventbridge), [iam?.eventBridge, chaos?.eventBridge]),
    };
    const functions = createFunctionRuntime({
      functions: app.functions,
      environment: localServiceEnvironment(endpoints),
      logSink: options.functionLogs ?? fileLogSink(join(layout?.root ?? join(tmpdir(), `ticketing-${process.pid}`), 'logs')),
      maxConcurrency: options.functionConcurrency ?? DEFAULT_FUNCTION_CONCURRENCY,
      deadLetterSender: sqs.sender,
      ...(options.faults && { faultPlan: options.faults }),
      ...(chaos && { invocationFaults: chaos.invocations }),
    });
    started.push(functions);

    // Step Functions and EventBridge call each other (putEvents tasks, Step Functions targets): the starter is bound late.
    const late: { stepFunctions?: LocalStepFunctions } = {};
    const eventBridge = await LocalEventBridge.create({
      model: app,
      ports: {
        functions,
        queues: sqs.sender,
        executions: {
          startExecution: async (arn, input, name) => {
            if (!late.stepFunctions) throw new Error('Step Functions is not started yet');
            if (chaos?.startExecutionThrottled()) throw new StartExecutionThrottledError();
            await late.stepFunctions.executionStarter.startExecution(arn, input, name);
          },
        },
      },
      ...(layout && { dataDir: layout.eventBridge }),
      ...(chaos && { deliveryFaults: chaos.eventDeliveries }),
    });
    const eventBridgeServer: EventBridgeService = await startEventBridgeServer(eventBridge, { port: ports.eventbridge });
    started.push(eventBridgeServer);

    const store = await openExecutionStore(layout ? { directory: layout.stepFunctions } : {});
    const stepFunctions = new LocalStepFunctions({
      store,
      invoker: functions,
      eventPutter: eventBridge,
      ...(options.retryDelayScale !== undefined && { retryDelayScale: options.retryDelayScale }),
    });
    late.stepFunctions = stepFunctions;
    for (const machine of app.stateMachines) stepFunctions.registerStateMachine(machine);
    started.push({ stop: () => stepFunctions.close() });
    const stepFunctionsServer: StepFunctionsServer = await startStepFunctionsServer({ stepFunctions, port: ports.stepfunctions });
    started.push(stepFunctionsServer);
    const resumed = await stepFunctions.resumeRunningExecutions();
    if (resumed.length > 0) log(`Step Functions: ${resumed.length} execution(s) that were running when the runtime stopped are running again`);

    const pollers: EventSourcePoller[] = app.eventSourceMappings
      .filter((mapping) => mapping.enabled)
      .map((mapping) =>
        startEventSourcePoller({
          mapping,
          queue: sqs.queue(mapping.queueArn),
          client: sqs.client,
          invoker: functions,
          waitTimeSeconds: 1,
          ...(chaos && { redeliver: chaos.redeliverBatch }),
        }),
      );
    // Pollers stop before SQS and the functions they call (started is stopped in reverse).
    started.push({ stop: async () => void (await Promise.all(pollers.map((poller) => poller.stop()))) });

    const scheduler = startScheduler({
      rules: app.rules,
      invoker: functions,
      ...(options.scheduleIntervalScale !== undefined && { intervalScale: options.scheduleIntervalScale }),
      onError: (rule, error) => log(`scheduled rule ${rule.name}: ${error instanceof Error ? error.message : String(error)}`),
    });
    started.push(scheduler);
    for (const { rule, intervalMs } of scheduler.schedules) log(`schedule ${rule}: every ${intervalMs} ms`);

    const api = app.httpApis[0];
    if (!api) throw new Error('The template declares no HTTP API');
    const httpApi: HttpApiService = await startHttpApi({
      port: ports.api,
      invoker: functions,
      routes: api.routes,
      ...(api.cors && { cors: api.cors }),
      keysFor: () => auth.keySet,
      accessLog: () => undefined,
    });
    started.push(httpApi);

    await options.seed?.({ documentClient, outputs: app.outputs, log });

    const archive = app.archives[0];
    const archiveFile = layout && archive ? join(layout.eventBridge, 'archives', `${archive.name}.jsonl`) : undefined;
    const info = runtimeFileOf(app, ports, archiveFile);
    const runtimeFile = layout ? join(layout.root, 'runtime.json') : undefined;
    if (runtimeFile) writeFileSync(runtimeFile, `${JSON.stringify(info, null, 2)}\n`);

    const childPids = [sqs.pid, ...('pid' in dynamodb && typeof dynamodb.pid === 'number' ? [dynamodb.pid] : [])];
    return {
      info,
      app,
      apiUrl: httpApi.url,
      dataDir: layout?.root,
      functions,
      functionEndpoints: endpoints,
      eventBridge,
      stepFunctions,
      documentClient,
      childPids,
      dynamoDbWrites: () => writeCounter?.counts(),
      injectedFaults: () => chaos?.counts() ?? noFaults(),
      mintToken: (buyerId) => auth.mintToken({ sub: buyerId }),
      archivedEvents: () => (archive ? eventBridge.archivedEvents(archive.name) : []),
      stop: async () => {
        log('stopping...');
        if (runtimeFile) rmSync(runtimeFile, { force: true });
        await eventBridge.whenIdle().catch(() => undefined);
        await stopAll();
        dynamoDbClient.destroy();
        log('stopped');
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

