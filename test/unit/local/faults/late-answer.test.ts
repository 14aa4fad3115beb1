import { join } from 'node:path';
import { FaultDraws } from '#local/faults/fault-draws';
import { lambdaFaults } from '#local/faults/lambda-faults';
import { memoryLogSink } from '#local/lambda/function-logs';
import { createFunctionRuntime, type FunctionRuntime } from '#local/lambda/function-runtime';
import { localServiceEnvironment } from '#local/lambda/lambda-environment';
import { CompiledStateMachine } from '#local/stepfunctions/engine';
import type { HistoryEvent } from '#local/stepfunctions/history-events';
import { HistoryLog } from '#local/stepfunctions/history-log';
import { lambdaFunctionArn } from '#local/arns';
import type { LocalFunction } from '#local/template/local-app';
import { eventually } from '#test/support/eventually';

const COUNTER: LocalFunction = {
  logicalId: 'Counter',
  name: 'Counter',
  arn: lambdaFunctionArn('Counter'),
  handler: 'index.handler',
  codeDir: join(__dirname, '..', 'lambda', 'fixtures', 'counter'),
  runtime: 'nodejs20.x',
  environment: {},
  timeoutSeconds: 5,
  memoryMb: 128,
};

const MACHINE = {
  StartAt: 'Count',
  States: {
    Count: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'Counter', 'Payload.$': '$' },
      TimeoutSeconds: 1,
      Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'TimedOut' }],
      End: true,
    },
    TimedOut: { Type: 'Fail', Error: 'TimedOut' },
  },
};

describe('a call slower than the task timeout, injected by the chaos settings', () => {
  let functions: FunctionRuntime | undefined;

  afterEach(async () => {
    await functions?.stop();
  });

  it('times the Task out with States.Timeout while the handler still runs to completion', async () => {
    // Prepare
    const logs = memoryLogSink();
    const draws = new FaultDraws({ seed: 5, rates: { 'lambda.slowerThanTaskTimeout': 1 } });
    functions = createFunctionRuntime({
      functions: [COUNTER],
      environment: localServiceEnvironment({}),
      logSink: logs,
      invocationFaults: lambdaFaults({ draws, functions: [COUNTER] }),
    });
    const machine = CompiledStateMachine.compile({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Late', definition: MACHINE }, { invoker: functions });
    const history = new HistoryLog([]);

    // Act
    const outcome = await machine.run({
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Late:late-1',
      executionName: 'late-1',
      input: {},
      redriveCount: 0,
      history,
      start: { kind: 'start' },
    }).outcome;
    await eventually(
      () => logs.lines.map((line) => line.message),
      (messages) => messages.some((message) => message.startsWith('REPORT RequestId')),
      { what: 'the late handler to end and report' },
    );

    // Assess
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'TimedOut' });
    expect(history.events.map((event: HistoryEvent) => event.type)).toContain('TaskTimedOut');
    expect(logs.lines.filter((line) => line.message.startsWith('REPORT')).map((line) => line.message)).toEqual([expect.stringContaining('Status: success')]);
  });
});
