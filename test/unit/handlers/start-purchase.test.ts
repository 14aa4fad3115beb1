import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { SagaInput } from '#workflows/saga-input';
import { useHandlerEnv } from './fixtures/http-event.ts';

type Handler = (event: SQSEvent) => Promise<SQSBatchResponse>;

const sfn = mockClient(SFNClient);

useHandlerEnv();
let handler: Handler;
beforeAll(async () => {
  ({ handler } = await import('#handlers/start-purchase'));
});

beforeEach(() => sfn.reset());

const sagaInput = (purchaseId: string): SagaInput => ({
  purchaseId,
  buyerId: 'buyer-1',
  concertId: 'rock-night',
  seatIds: ['A-1'],
  correlationId: 'corr-1',
});
const record = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `receipt-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1795687200000',
    SenderId: 'sender',
    ApproximateFirstReceiveTimestamp: '1795687200000',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:purchases',
  awsRegion: 'us-east-1',
});
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

test('starts one execution per message, named after the purchase', async () => {
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });

  const response = await handler(batch(record('m1', JSON.stringify(sagaInput('purchase-0001')))));

  expect(response).toEqual({ batchItemFailures: [] });
  expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseSaga',
    name: 'purchase-0001',
    input: JSON.stringify(sagaInput('purchase-0001')),
  });
});

test('counts an execution that already exists as started', async () => {
  sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

  const response = await handler(batch(record('m1', JSON.stringify(sagaInput('purchase-0001')))));

  expect(response).toEqual({ batchItemFailures: [] });
});

test('reports only the failed messages, so the rest of the batch is not re-driven', async () => {
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });
  sfn.on(StartExecutionCommand, { name: 'purchase-0002' }).rejects(new Error('ThrottlingException'));

  const response = await handler(
    batch(
      record('m1', JSON.stringify(sagaInput('purchase-0001'))),
      record('m2', JSON.stringify(sagaInput('purchase-0002'))),
      record('m3', JSON.stringify(sagaInput('purchase-0003'))),
    ),
  );

  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(3);
});

test('reports an unparseable body as a failure, so it ends in the DLQ', async () => {
  const response = await handler(batch(record('m1', 'not json'), record('m2', JSON.stringify({ purchaseId: 'purchase-0002' }))));

  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
});
