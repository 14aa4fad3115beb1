import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { SagaInput } from '#domain/saga-input';
import { useHandlerEnv } from './fixtures/http-event.ts';

type Handler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

const sfn = mockClient(SFNClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);

useHandlerEnv({ PURCHASE_QUEUE_MAX_RECEIVE_COUNT: '5' });
let handler: Handler;
let metrics: (typeof import('#commons/powertools'))['metrics'];
beforeAll(async () => {
  ({ handler } = await import('#handlers/start-purchase'));
  ({ metrics } = await import('#commons/powertools'));
});

beforeEach(() => {
  sfn.reset();
  dynamo.reset();
  sqs.reset();
  dynamo.on(UpdateCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'deferred' });
});

/** A Lambda context with `remainingMs` left: the starter's retry budget. */
const contextWith = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

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

test('claims the purchase on its record before starting it, refreshing its sign of life', async () => {
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });

  await handler(batch(record('m1', JSON.stringify(sagaInput('purchase-0001')))));

  const claim = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
  expect(claim).toMatchObject({
    TableName: 'purchases',
    Key: { purchaseId: 'purchase-0001' },
    UpdateExpression: 'SET #pendingShard = :shard, #pendingSince = :at, #startClaimedAt = :at',
    ConditionExpression: 'attribute_exists(#key) AND #status = :queued AND attribute_not_exists(#startRefusedAt)',
  });
});

test('starts nothing for a purchase the sweeper failed, and deletes the message', async () => {
  dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
  dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-0001', startRefusedAt: '2026-11-26T10:00:00.000Z' } });

  const response = await handler(batch(record('m1', JSON.stringify(sagaInput('purchase-0001')))));

  expect(response).toEqual({ batchItemFailures: [] });
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
});

test('retries a throttled StartExecution within the invocation until it goes through', async () => {
  sfn.on(StartExecutionCommand).rejectsOnce(throttled()).resolves({ executionArn: 'arn:execution' });

  const response = await handler(batch(record('m1', JSON.stringify(sagaInput('purchase-0001')))), contextWith(30_000));

  expect(response).toEqual({ batchItemFailures: [] });
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(2);
  expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
});

test('defers a start still throttled when the time is spent: sent again with a delay, not returned to the queue', async () => {
  sfn.on(StartExecutionCommand).rejects(throttled());

  const response = await handler(batch(record('m1', JSON.stringify(sagaInput('purchase-0001')))), contextWith(1_000));

  expect(response).toEqual({ batchItemFailures: [] });
  expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toMatchObject({
    QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/purchases',
    MessageBody: JSON.stringify(sagaInput('purchase-0001')),
    DelaySeconds: expect.any(Number),
  });
});

test('marks the purchase for the sweeper when a message fails on its last receive', async () => {
  sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
  const lastReceive = record('m1', JSON.stringify(sagaInput('purchase-0001')));

  const response = await handler(batch({ ...lastReceive, attributes: { ...lastReceive.attributes, ApproximateReceiveCount: '5' } }));

  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  expect(dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input).toMatchObject({
    Key: { purchaseId: 'purchase-0001' },
    UpdateExpression: 'SET #startDeadLetteredAt = :at',
  });
});

test('reports only the failed messages, so the rest of the batch is not re-driven', async () => {
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });
  sfn.on(StartExecutionCommand, { name: 'purchase-0002' }).rejects(
    Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
  );

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

test('counts the started, deferred, refused and failed starts of a batch in its metrics', async () => {
  // Prepare: two purchases start, one is refused by the account
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });
  sfn.on(StartExecutionCommand, { name: 'purchase-0002' }).rejects(
    Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
  );
  const addMetric = jest.spyOn(metrics, 'addMetric');

  try {
    // Act
    await handler(
      batch(
        record('m1', JSON.stringify(sagaInput('purchase-0001'))),
        record('m2', JSON.stringify(sagaInput('purchase-0002'))),
        record('m3', JSON.stringify(sagaInput('purchase-0003'))),
      ),
    );

    // Assess
    expect(addMetric.mock.calls.map(([name, , value]) => [name, value])).toEqual([
      ['SagasStarted', 2],
      ['SagaStartsDeferred', 0],
      ['SagaStartsRefused', 0],
      ['SagaStartFailures', 1],
    ]);
  } finally {
    addMetric.mockRestore();
  }
});
