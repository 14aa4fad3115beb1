import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { STACK_NAME } from '#infra/outputs';
import { dataDirLayout } from '#local/data-dir';
import type { ChaosSettings } from '#local/faults/chaos-settings';
import { readInjectedFaults } from '#local/faults/injected-faults-file';
import { findFreeRuntimePorts } from '#local/free-port';
import { FunctionError } from '#local/ports';
import { memoryLogSink } from '#local/lambda/function-logs';
import { startLocalRuntime } from '#local/runtime';
import { CDK_OUT_DIR } from '#local/synthesized-template';
import { e2eRuntimeOptions, useLocalRuntime } from '#test/e2e/support/runtime';

/**
 * The chaos settings through the real SDK clients: the functions' endpoints
 * fail as the settings say, the endpoints tools and tests use do not.
 */

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
/** One attempt: the SDK would otherwise retry the throttles it knows, and the test would see only the last answer. */
const ONE_ATTEMPT = { region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
/** No rule of the template matches this source, so the accepted events start no delivery. */
const UNROUTED_SOURCE = 'chaos.e2e';
const NO_SUCH_STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:NoSuchMachine';

/** A function's logical id in the synthesized template, found by the construct path it starts with (CDK appends a hash). */
const logicalIdOf = (prefix: string): string => {
  const template = JSON.parse(readFileSync(join(CDK_OUT_DIR, `${STACK_NAME}.template.json`), 'utf8')) as { Resources: Record<string, { Type: string }> };
  const id = Object.entries(template.Resources).find(([candidate, resource]) => candidate.startsWith(prefix) && resource.Type === 'AWS::Lambda::Function')?.[0];
  if (!id) throw new Error(`The template has no resource whose logical id starts with ${prefix}`);
  return id;
};

const THROTTLED_FUNCTION = logicalIdOf('ApiGetPurchase');
const OTHER_FUNCTION = logicalIdOf('ApiGetConcertSeats');

const CHAOS: ChaosSettings = {
  seed: 1207,
  rates: { 'dynamodb.throttled': 1, 'eventbridge.putEventsPartiallyFailed': 1, 'sfn.startExecutionThrottled': 1, 'lambda.throttled': 1 },
  functions: [THROTTLED_FUNCTION],
};

const errorOf = async (promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

const unroutedEntries = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ Source: UNROUTED_SOURCE, DetailType: `ChaosProbe${index}.v1`, Detail: JSON.stringify({ index }) }));

describe('the local runtime with chaos settings', () => {
  const local = useLocalRuntime({ chaos: CHAOS, seed: undefined, functionLogs: memoryLogSink() });

  it("throttles DynamoDB calls through the functions' endpoint and not through the tools' endpoint", async () => {
    // Prepare
    const { runtime } = local();
    const tableName = runtime.info.outputs.PurchasesTableName;
    const functions = new DynamoDBClient({ ...ONE_ATTEMPT, endpoint: runtime.functionEndpoints.dynamodb });
    const tools = new DynamoDBClient({ ...ONE_ATTEMPT, endpoint: runtime.info.endpoints.dynamodb });

    // Act
    const throttled = await errorOf(functions.send(new DescribeTableCommand({ TableName: tableName })));
    const described = await tools.send(new DescribeTableCommand({ TableName: tableName }));

    // Assess
    expect(throttled.name).toMatch(/^(ThrottlingException|ProvisionedThroughputExceededException)$/);
    expect(described.Table?.TableName).toBe(tableName);
    functions.destroy();
    tools.destroy();
  });

  it("fails some PutEvents entries through the functions' endpoint and accepts the others", async () => {
    // Prepare
    const { runtime } = local();
    const functions = new EventBridgeClient({ ...ONE_ATTEMPT, endpoint: runtime.functionEndpoints.eventBridge });

    // Act
    const result = await functions.send(new PutEventsCommand({ Entries: unroutedEntries(4) }));

    // Assess
    const failed = (result.Entries ?? []).filter((entry) => entry.ErrorCode === 'InternalFailure');
    const accepted = (result.Entries ?? []).filter((entry) => entry.EventId);
    expect(result.FailedEntryCount).toBe(failed.length);
    expect(failed.length).toBeGreaterThan(0);
    expect(accepted.length).toBe(4 - failed.length);
    expect(accepted.length).toBeGreaterThan(0);
    functions.destroy();
  });

  it("accepts every PutEvents entry through the tools' endpoint", async () => {
    // Prepare
    const { runtime } = local();
    const tools = new EventBridgeClient({ ...ONE_ATTEMPT, endpoint: runtime.info.endpoints.eventbridge });

    // Act
    const result = await tools.send(new PutEventsCommand({ Entries: unroutedEntries(4) }));

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    tools.destroy();
  });

  it("answers StartExecution through the functions' endpoint with a 400 ThrottlingException", async () => {
    // Prepare
    const { runtime } = local();
    const functions = new SFNClient({ ...ONE_ATTEMPT, endpoint: runtime.functionEndpoints.stepFunctions });
    const tools = new SFNClient({ ...ONE_ATTEMPT, endpoint: runtime.info.endpoints.stepfunctions });

    // Act
    const throttled = await errorOf(functions.send(new StartExecutionCommand({ stateMachineArn: NO_SUCH_STATE_MACHINE, input: '{}' })));
    const unthrottled = await errorOf(tools.send(new StartExecutionCommand({ stateMachineArn: NO_SUCH_STATE_MACHINE, input: '{}' })));

    // Assess
    expect([throttled.name, throttled.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 400]);
    expect(unthrottled.name).toBe('StateMachineDoesNotExist');
    functions.destroy();
    tools.destroy();
  });

  it('throttles the invocations of the functions the settings name, and only those', async () => {
    // Prepare
    const { runtime } = local();
    const nameOf = (logicalId: string) => runtime.app.functions.find((fn) => fn.logicalId === logicalId)?.name ?? logicalId;
    const outcomeOf = (logicalId: string) =>
      runtime.functions.invoke(nameOf(logicalId), {}).then(
        () => 'answered',
        (error: unknown) => (error instanceof FunctionError ? error.errorType : String(error)),
      );

    // Act
    const throttled = await outcomeOf(THROTTLED_FUNCTION);
    const other = await outcomeOf(OTHER_FUNCTION);

    // Assess
    expect(throttled).toBe('Lambda.TooManyRequestsException');
    expect(other).not.toBe('Lambda.TooManyRequestsException');
  });

  it('counts the faults it injected, by kind', async () => {
    // Prepare
    const { runtime } = local();
    const functions = new SFNClient({ ...ONE_ATTEMPT, endpoint: runtime.functionEndpoints.stepFunctions });
    const before = runtime.injectedFaults()['sfn.startExecutionThrottled'];

    // Act
    await errorOf(functions.send(new StartExecutionCommand({ stateMachineArn: NO_SUCH_STATE_MACHINE, input: '{}' })));

    // Assess
    expect(runtime.injectedFaults()['sfn.startExecutionThrottled']).toBe(before + 1);
    functions.destroy();
  });
});

describe('the injected-fault counts of a data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ticketing-chaos-'));

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });


  /** Starts the runtime on the folder, has one StartExecution throttled, and stops it. */
  const runOnce = async () => {
    const runtime = await startLocalRuntime(
      e2eRuntimeOptions({ inMemory: false, dataDir, ports: await findFreeRuntimePorts(), seed: undefined, chaos: CHAOS, functionLogs: memoryLogSink() }),
    );
    const functions = new SFNClient({ ...ONE_ATTEMPT, endpoint: runtime.functionEndpoints.stepFunctions });
    try {
      await errorOf(functions.send(new StartExecutionCommand({ stateMachineArn: NO_SUCH_STATE_MACHINE, input: '{}' })));
    } finally {
      functions.destroy();
      await runtime.stop();
    }
  };

  it('add up across restarts of the runtime on the folder', async () => {
    // Prepare
    await runOnce();

    // Act
    await runOnce();

    // Assess
    expect(readInjectedFaults(dataDirLayout(dataDir).chaos)['sfn.startExecutionThrottled']).toBe(2);
  });
});
