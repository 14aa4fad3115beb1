import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionInvoker } from '#local/ports';
import { LocalStepFunctions } from '#local/stepfunctions/local-step-functions';
import { ServiceError } from '#local/stepfunctions/service-errors';
import { MemoryExecutionStore, openExecutionStore, type ExecutionStore } from '#local/stepfunctions/store';
import { eventually } from '#test/support/eventually';
import { fakeInvoker, heldUntilReleased, namedError } from './fakes.ts';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Orders';

const definition = {
  StartAt: 'Reserve',
  States: {
    Reserve: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'Reserve', 'Payload.$': '$' }, ResultPath: '$.reserve', Next: 'Charge' },
    Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'Charge', 'Payload.$': '$' }, ResultPath: '$.charge', End: true },
  },
};

const service = (invoker: FunctionInvoker, store: ExecutionStore = new MemoryExecutionStore()) => {
  const stepFunctions = new LocalStepFunctions({ store, invoker });
  stepFunctions.registerStateMachine({ arn: STATE_MACHINE_ARN, definition });
  return stepFunctions;
};

const expectServiceError = async (action: () => unknown, code: string) => {
  await expect(async () => action()).rejects.toThrow(ServiceError);
  await expect(async () => action()).rejects.toMatchObject({ code });
};

describe('LocalStepFunctions', () => {
  describe('StartExecution', () => {
    it('returns the running execution again for the same name and input', async () => {
      // Prepare
      const reserve = heldUntilReleased();
      const { invoker, calls } = fakeInvoker({ Reserve: reserve.fn, Charge: async () => ({}) });
      const sfn = service(invoker);
      const first = await sfn.startExecution({ stateMachineArn: STATE_MACHINE_ARN, name: 'p-1', input: '{"a":1}' });

      // Act
      const second = await sfn.startExecution({ stateMachineArn: STATE_MACHINE_ARN, name: 'p-1', input: '{"a":1}' });
      reserve.release();
      await sfn.waitForExecution(first.executionArn);

      // Assess
      expect(second).toEqual(first);
      expect(calls.filter((call) => call.functionName === 'Reserve')).toHaveLength(1);
    });

    it('rejects the same name with another input as ExecutionAlreadyExists', async () => {
      // Prepare
      const reserve = heldUntilReleased();
      const { invoker } = fakeInvoker({ Reserve: reserve.fn, Charge: async () => ({}) });
      const sfn = service(invoker);
      const { executionArn } = await sfn.startExecution({ stateMachineArn: STATE_MACHINE_ARN, name: 'p-1', input: '{"a":1}' });

      // Act
      const startingAgain = () => sfn.startExecution({ stateMachineArn: STATE_MACHINE_ARN, name: 'p-1', input: '{"a":2}' });

      // Assess
      await expectServiceError(startingAgain, 'ExecutionAlreadyExists');
      reserve.release();
      await sfn.waitForExecution(executionArn);
    });

    it('rejects the name of a closed execution as ExecutionAlreadyExists, whatever the input', async () => {
      // Prepare
      const { invoker } = fakeInvoker({ Reserve: async () => ({}), Charge: async () => ({}) });
      const sfn = service(invoker);
      const { executionArn } = await sfn.startExecution({ stateMachineArn: STATE_MACHINE_ARN, name: 'p-1', input: '{}' });
      await sfn.waitForExecution(executionArn);

      // Act
      const startingAgain = () => sfn.startExecution({ stateMachineArn: STATE_MACHINE_ARN, name: 'p-1', input: '{}' });

      // Assess
      await expectServiceError(startingAgain, 'ExecutionAlreadyExists');
    });

    it.each([
      ['an unknown state machine', { stateMachineArn: `${STATE_MACHINE_ARN}Nope` }, 'StateMachineDoesNotExist'],
      ['a malformed ARN', { stateMachineArn: 'not-an-arn' }, 'InvalidArn'],
      ['a name with a space', { stateMachineArn: STATE_MACHINE_ARN, name: 'p 1' }, 'InvalidName'],
      ['an input that is not JSON', { stateMachineArn: STATE_MACHINE_ARN, input: '{nope' }, 'InvalidExecutionInput'],
    ])('rejects %s', async (_case, request, code) => {
      // Prepare
      const sfn = service(fakeInvoker({}).invoker);

      // Act
      const starting = () => sfn.startExecution(request);

      // Assess
      await expectServiceError(starting, code);
    });
  });

  describe('RedriveExecution', () => {
    it('re-runs a failed execution from the state that failed, keeping the earlier history', async () => {
      // Prepare
      let chargeWorks = false;
      const { invoker, calls } = fakeInvoker({
        Reserve: async () => ({ held: true }),
        Charge: async () => {
          if (!chargeWorks) throw namedError('ProviderDown');
          return { charged: true };
        },
      });
      const sfn = service(invoker);
      const { executionArn } = await sfn.startExecution({ stateMachineArn: STATE_MACHINE_ARN, name: 'p-1', input: '{}' });
      expect((await sfn.waitForExecution(executionArn)).status).toBe('FAILED');
      chargeWorks = true;

      // Act
      await sfn.redriveExecution({ executionArn });
      const closed = await sfn.waitForExecution(executionArn);

      // Assess
      expect(closed).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
      expect(closed.error).toBeUndefined();
      expect(calls.map((call) => call.functionName)).toEqual(['Reserve', 'Charge', 'Charge']);
      const { items } = await sfn.getExecutionHistory({ executionArn, maxResults: 1000 });
      const types = items.map((event) => event.type);
      expect(types.slice(types.indexOf('ExecutionFailed'))).toEqual([
        'ExecutionFailed',
        'ExecutionRedriven',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
    });

    it('refuses to redrive a succeeded execution', async () => {
      // Prepare
      const { invoker } = fakeInvoker({ Reserve: async () => ({}), Charge: async () => ({}) });
      const sfn = service(invoker);
      const { executionArn } = await sfn.startExecution({ stateMachineArn: STATE_MACHINE_ARN, input: '{}' });
      await sfn.waitForExecution(executionArn);

      // Act
      const redriving = () => sfn.redriveExecution({ executionArn });

      // Assess
      await expectServiceError(redriving, 'ExecutionNotRedrivable');
    });
  });

  describe('StopExecution', () => {
    it('aborts a running execution with the given error and cause', async () => {
      // Prepare
      const reserve = heldUntilReleased();
      const { invoker } = fakeInvoker({ Reserve: reserve.fn });
      const sfn = service(invoker);
      const { executionArn } = await sfn.startExecution({ stateMachineArn: STATE_MACHINE_ARN, input: '{}' });

      // Act
      await sfn.stopExecution({ executionArn, error: 'Support', cause: 'duplicate order' });
      reserve.release();

      // Assess
      expect(sfn.describeExecution({ executionArn })).toMatchObject({
        status: 'ABORTED',
        error: 'Support',
        cause: 'duplicate order',
        redriveStatus: 'REDRIVABLE',
      });
    });
  });

  describe('restart', () => {
    let directory: string;

    beforeEach(async () => {
      directory = await mkdtemp(join(tmpdir(), 'sfn-restart-'));
    });

    afterEach(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it('resumes an execution left running at the state it was in, once, with that state input', async () => {
      // Prepare
      const firstRun = fakeInvoker({ Reserve: async () => ({ held: true }), Charge: heldUntilReleased().fn });
      const before = service(firstRun.invoker, await openExecutionStore({ directory }));
      const { executionArn } = await before.startExecution({ stateMachineArn: STATE_MACHINE_ARN, name: 'p-1', input: '{"a":1}' });
      await eventually(() => firstRun.calls.map((call) => call.functionName), (called) => called.includes('Charge'), { what: 'Charge to be called' });
      await before.close();
      const secondRun = fakeInvoker({ Reserve: async () => ({ held: true }), Charge: async () => ({ charged: true }) });
      const after = service(secondRun.invoker, await openExecutionStore({ directory }));

      // Act
      const resumed = await after.resumeRunningExecutions();
      const closed = await after.waitForExecution(executionArn);

      // Assess
      expect(resumed).toEqual([executionArn]);
      expect(closed.status).toBe('SUCCEEDED');
      expect(secondRun.calls).toEqual([{ functionName: 'Charge', event: { a: 1, reserve: expect.objectContaining({ Payload: { held: true } }) } }]);
      const { items } = await after.getExecutionHistory({ executionArn, maxResults: 1000 });
      expect(items.filter((event) => event.type === 'ExecutionStarted')).toHaveLength(1);
      expect(items.map((event) => event.id)).toEqual(items.map((_, index) => index + 1));
    });
  });
});
