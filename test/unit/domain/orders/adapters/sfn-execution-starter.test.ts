import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createSfnExecutionStarter } from '#domain/orders/adapters/sfn-execution-starter';
import type { SagaInput } from '#domain/saga-input';

const sfn = mockClient(SFNClient);

beforeEach(() => sfn.reset());

const sagaInput: SagaInput = { purchaseId: 'purchase-0001', buyerId: 'buyer-1', concertId: 'rock-night', seatIds: ['A-1'], correlationId: 'corr-1' };

describe('Step Functions execution starter', () => {
  const starter = () => createSfnExecutionStarter({ client: new SFNClient({}), stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga' });

  test('names the execution after the purchase', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });

    expect(await starter()(sagaInput)).toBe('started');
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga',
      name: 'purchase-0001',
      input: JSON.stringify(sagaInput),
    });
  });

  test('reports an existing execution as already started', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution already exists', $metadata: {} }));

    expect(await starter()(sagaInput)).toBe('alreadyStarted');
  });

  test('passes on other errors, such as throttling', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('ThrottlingException'));

    await expect(starter()(sagaInput)).rejects.toThrow('ThrottlingException');
  });
});
