import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createSqsQueues } from '#tools/ops/sqs-queues';

const sqs = mockClient(SQSClient);
const port = () => createSqsQueues(new SQSClient({ region: 'us-east-1' }));
const DLQ = 'http://127.0.0.1:4566/000000000000/purchase-dlq';

beforeEach(() => sqs.reset());

test('receive asks for the receive count and first sent time, with the given visibility', async () => {
  sqs.on(ReceiveMessageCommand).resolves({
    Messages: [{ MessageId: 'm1', ReceiptHandle: 'h1', Body: '{}', Attributes: { ApproximateReceiveCount: '6', SentTimestamp: '1795694580000' } }],
  });

  const [message] = await port().receive(DLQ, 25, 30);

  expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
    QueueUrl: DLQ,
    MaxNumberOfMessages: 10,
    VisibilityTimeout: 30,
    MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
  });
  expect(message).toMatchObject({ messageId: 'm1', receiveCount: 6, sentAt: new Date(1795694580000) });
});

test('release makes messages visible again, ten a call', async () => {
  sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });

  await port().release(DLQ, Array.from({ length: 12 }, (_, i) => `h${i}`));

  const calls = sqs.commandCalls(ChangeMessageVisibilityBatchCommand).map((call) => call.args[0].input.Entries ?? []);
  expect(calls.map((entries) => entries.length)).toEqual([10, 2]);
  expect(calls.flat().every((entry) => entry.VisibilityTimeout === 0)).toBe(true);
});

test('send carries the body and the message attributes over', async () => {
  sqs.on(SendMessageCommand).resolves({});

  await port().send('http://q', { messageId: 'm1', receiptHandle: 'h1', body: '{"purchaseId":"p"}', messageAttributes: { kind: { DataType: 'String', StringValue: 'x' } } });

  expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
    QueueUrl: 'http://q',
    MessageBody: '{"purchaseId":"p"}',
    MessageAttributes: { kind: { DataType: 'String', StringValue: 'x' } },
  });
});

test('delete removes the message by its receipt handle', async () => {
  sqs.on(DeleteMessageCommand).resolves({});

  await port().delete(DLQ, 'h1');

  expect(sqs.commandCalls(DeleteMessageCommand)[0]?.args[0].input).toEqual({ QueueUrl: DLQ, ReceiptHandle: 'h1' });
});
