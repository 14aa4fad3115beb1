import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createSqsPurchaseQueue } from '#domain/orders/adapters/sqs-purchase-queue';
import type { SagaInput } from '#domain/saga-input';

const sqs = mockClient(SQSClient);

beforeEach(() => sqs.reset());

const sagaInput: SagaInput = { purchaseId: 'purchase-0001', buyerId: 'buyer-1', concertId: 'rock-night', seatIds: ['A-1'], correlationId: 'corr-1' };

describe('SQS purchase queue', () => {
  test('sends the saga input as the message body', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });

    await createSqsPurchaseQueue({ client: new SQSClient({}), queueUrl: 'https://sqs/purchases' })(sagaInput);

    const input = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(input?.QueueUrl).toBe('https://sqs/purchases');
    expect(JSON.parse(input?.MessageBody ?? '')).toEqual(sagaInput);
  });

  test('strips anything outside the saga input from the body', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
    const withToken = { ...sagaInput, paymentToken: 'tok_approve' } as SagaInput;

    await createSqsPurchaseQueue({ client: new SQSClient({}), queueUrl: 'https://sqs/purchases' })(withToken);

    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody).not.toContain('tok_approve');
  });
});

describe('SQS purchase queue, deferred sends', () => {
  test('delays the message by the seconds asked, so a deferred start comes back later', async () => {
    // Arrange
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });

    // Act
    await createSqsPurchaseQueue({ client: new SQSClient({}), queueUrl: 'https://sqs/purchases' })(sagaInput, { delaySeconds: 15 });

    // Assess
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.DelaySeconds).toBe(15);
  });
});
