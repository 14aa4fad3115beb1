import { DescribeStateMachineCommand, DescribeStateMachineForExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createSfnStateMachine } from '#tools/console/state-machine';
import { STATE_MACHINE_ARN } from '#test/unit/tools/ops/support';

const sfn = mockClient(SFNClient);
const port = createSfnStateMachine(new SFNClient({ region: 'us-east-1' }), STATE_MACHINE_ARN);

beforeEach(() => {
  sfn.reset();
});

test('reads the current definition of the machine', async () => {
  sfn.on(DescribeStateMachineCommand, { stateMachineArn: STATE_MACHINE_ARN }).resolves({ definition: '{"StartAt":"A"}' });

  await expect(port.definition()).resolves.toBe('{"StartAt":"A"}');
});

test('reads the definition an execution ran with, by the execution named after the purchase', async () => {
  sfn
    .on(DescribeStateMachineForExecutionCommand, { executionArn: 'arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:p-12345678' })
    .resolves({ definition: '{"StartAt":"B"}' });

  await expect(port.definitionForExecution('p-12345678')).resolves.toBe('{"StartAt":"B"}');
});

test('an unknown execution has no definition', async () => {
  sfn.on(DescribeStateMachineForExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));

  await expect(port.definitionForExecution('p-12345678')).resolves.toBeUndefined();
});

test('a machine without a definition is an error', async () => {
  sfn.on(DescribeStateMachineCommand).resolves({});

  await expect(port.definition()).rejects.toThrow(`DescribeStateMachine returned no definition for ${STATE_MACHINE_ARN}`);
});
