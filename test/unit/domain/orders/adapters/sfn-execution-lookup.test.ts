import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createSfnExecutionLookup, executionArnOf } from '#domain/orders/adapters/sfn-execution-lookup';

const sfn = mockClient(SFNClient);
beforeEach(() => sfn.reset());

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga';
const lookup = () => createSfnExecutionLookup({ client: new SFNClient({}), stateMachineArn: STATE_MACHINE_ARN });

test('names the execution after the purchase, under the state machine', () => {
  expect(executionArnOf(STATE_MACHINE_ARN, 'purchase-0001')).toBe('arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:purchase-0001');
});

test('an execution that Step Functions describes exists', async () => {
  sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });

  expect(await lookup()('purchase-0001')).toBe(true);
  expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:PurchaseSaga:purchase-0001',
  });
});

test('ExecutionDoesNotExist means there is none', async () => {
  sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));

  expect(await lookup()('purchase-0001')).toBe(false);
});

test('any other error is not an answer', async () => {
  sfn.on(DescribeExecutionCommand).rejects(new Error('AccessDenied'));

  await expect(lookup()('purchase-0001')).rejects.toThrow('AccessDenied');
});

test('refuses an ARN that is not a state machine, rather than look up a wrong execution', () => {
  // Act
  const arnOf = () => executionArnOf('arn:aws:lambda:us-east-1:000000000000:function:StartPurchase', 'purchase-0001');

  // Assess
  expect(arnOf).toThrow(RangeError);
});
