import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionInvoker } from '#local/ports';
import { LocalStepFunctions } from '#local/stepfunctions/local-step-functions';
import { openExecutionStore, type ExecutionStore } from '#local/stepfunctions/store';
import { eventually } from '#test/support/eventually';
import { fakeInvoker, heldUntilReleased } from './fakes.ts';

/**
 * A runtime stopped (or killed) while a Task's Lambda was running leaves an
 * attempt that will never answer. After the restart that attempt times out
 * as it would on AWS, at TaskStarted + TimeoutSeconds, and Retry applies;
 * invoking again at once would meet the lost invocation's leftovers, such as
 * an idempotency record still in progress.
 */

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Orders';
const CHARGE_TIMEOUT_SECONDS = 1;

const definition = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'Charge', 'Payload.$': '$' },
      TimeoutSeconds: CHARGE_TIMEOUT_SECONDS,
      Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 2 }],
      End: true,
    },
  },
};

const service = (invoker: FunctionInvoker, store: ExecutionStore) => {
  const stepFunctions = new LocalStepFunctions({ store, invoker, retryDelayScale: 0.01 });
  stepFunctions.registerStateMachine({ arn: STATE_MACHINE_ARN, definition });
  return stepFunctions;
};

describe('resuming a Task attempt the stop left unanswered', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sfn-unanswered-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('times the attempt out at TaskStarted + TimeoutSeconds, then retries it', async () => {
    // Prepare
    const stuck = heldUntilReleased();
    const firstRun = fakeInvoker({ Charge: stuck.fn });
    const before = service(firstRun.invoker, await openExecutionStore({ directory }));
    const { executionArn } = await before.startExecution({ stateMachineArn: STATE_MACHINE_ARN, name: 'p-1', input: '{}' });
    await eventually(() => firstRun.calls.length, (count) => count === 1, { what: 'the first Charge attempt' });
    const startedAt = Date.now();
    await before.close();
    stuck.release();
    const chargedAt: number[] = [];
    const after = service(
      fakeInvoker({
        Charge: async () => {
          chargedAt.push(Date.now());
          return { charged: true };
        },
      }).invoker,
      await openExecutionStore({ directory }),
    );

    // Act
    await after.resumeRunningExecutions();
    const closed = await after.waitForExecution(executionArn);

    // Assess
    expect(closed.status).toBe('SUCCEEDED');
    expect(chargedAt).toHaveLength(1);
    expect(chargedAt[0]).toBeGreaterThanOrEqual(startedAt + CHARGE_TIMEOUT_SECONDS * 1000 - 50);
    const { items } = await after.getExecutionHistory({ executionArn, maxResults: 1000 });
    expect(items.map((event) => event.type).filter((type) => type.startsWith('Task'))).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskTimedOut',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    await after.close();
  });

  it('stops waiting when the runtime stops again, leaving the execution to resume', async () => {
    // Prepare
    const stuck = heldUntilReleased();
    const firstRun = fakeInvoker({ Charge: stuck.fn });
    const first = service(firstRun.invoker, await openExecutionStore({ directory }));
    const { executionArn } = await first.startExecution({ stateMachineArn: STATE_MACHINE_ARN, name: 'p-2', input: '{}' });
    await eventually(() => firstRun.calls.length, (count) => count === 1, { what: 'the first Charge attempt' });
    await first.close();
    stuck.release();
    const { invoker, calls } = fakeInvoker({ Charge: async () => ({ charged: true }) });
    const second = service(invoker, await openExecutionStore({ directory }));
    await second.resumeRunningExecutions();

    // Act
    await second.close();

    // Assess
    expect(calls).toEqual([]);
    expect(second.describeExecution({ executionArn }).status).toBe('RUNNING');
  });
});
