import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { useHandlerEnv } from './fixtures/http-event.ts';

type Handler = (event: unknown) => Promise<{ swept: number }>;

const dynamo = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv({ SWEEP_STALE_AFTER_SECONDS: '300', SWEEP_MAX_REQUEUES: '3' });
let handler: Handler;
let metrics: (typeof import('#commons/powertools'))['metrics'];
beforeAll(async () => {
  ({ handler } = await import('#handlers/sweep-purchases'));
  ({ metrics } = await import('#commons/powertools'));
});

/** What EventBridge sends a target of a scheduled rule. */
const scheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: '2026-11-26T10:10:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:000000000000:rule/Sweep'],
  detail: {},
};

const staleItem = {
  purchaseId: 'purchase-0001',
  buyerId: 'buyer-1',
  concertId: 'rock-night',
  seatIds: ['A-1'],
  correlationId: 'corr-1',
  status: 'QUEUED',
  statusRank: 0,
  pendingShard: 'pending-3',
  pendingSince: '2000-01-01T00:00:00.000Z',
};

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
  sqs.reset();
  eventBridge.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
  sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));
});

test('queues again a stale purchase no starter ever saw', async () => {
  dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-3' } }).resolves({ Items: [staleItem] });
  dynamo.on(GetCommand).resolves({ Item: staleItem });

  const result = await handler(scheduledEvent);

  expect(result).toEqual({ swept: 1 });
  expect(JSON.parse(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? '{}')).toMatchObject({ purchaseId: 'purchase-0001' });
});

test('fails a stale dead-lettered purchase without an execution by publishing PurchaseFailed', async () => {
  const claimed = { ...staleItem, startClaimedAt: '2000-01-01T00:00:00.000Z', startDeadLetteredAt: '2000-01-01T00:00:00.000Z' };
  dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-3' } }).resolves({ Items: [claimed] });
  dynamo.on(GetCommand).resolves({ Item: claimed });

  await handler(scheduledEvent);

  const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
  expect(entry?.DetailType).toBe('PurchaseFailed.v1');
  expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({ purchaseId: 'purchase-0001', reason: 'INTERNAL_ERROR', failedStep: 'StartPurchase' });
});

test('fails the invocation when a purchase could not be swept, so the sweeper alarm goes off', async () => {
  dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-3' } }).resolves({ Items: [staleItem] });
  dynamo.on(GetCommand).resolves({ Item: staleItem });
  sfn.on(DescribeExecutionCommand).rejects(new Error('AccessDenied'));

  await expect(handler(scheduledEvent)).rejects.toMatchObject({ name: 'SweepIncompleteError' });
});

test('refuses an event that is not a scheduled event', async () => {
  await expect(handler({ source: 'someone' })).rejects.toThrow();
  expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
});

describe('what a sweep reports', () => {
  /** Every sweep metric, zero unless named. */
  const sweepMetrics = (counts: Record<string, number>) =>
    [
      'SweepMarkersCleared',
      'SweepPurchasesRequeued',
      'SweepPurchasesFailed',
      'SweepFailuresRepublished',
      'SweepPurchasesSkipped',
      'SweepPurchasesUnusable',
      'SweepErrors',
    ].map((name) => [name, counts[name] ?? 0]);

  afterEach(() => jest.restoreAllMocks());

  test('counts each outcome under its own metric', async () => {
    // Prepare
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-3' } }).resolves({ Items: [staleItem] });
    dynamo.on(GetCommand).resolves({ Item: staleItem });
    const addMetric = jest.spyOn(metrics, 'addMetric');

    // Act
    await handler(scheduledEvent);

    // Assess
    expect(addMetric.mock.calls.map(([name, , value]) => [name, value])).toEqual(sweepMetrics({ SweepPurchasesRequeued: 1 }));
  });

  test('counts a purchase it could not sweep as an error and names it in the failure', async () => {
    // Prepare
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-3' } }).resolves({ Items: [staleItem] });
    dynamo.on(GetCommand).resolves({ Item: staleItem });
    sfn.on(DescribeExecutionCommand).rejects(new Error('AccessDenied'));
    const addMetric = jest.spyOn(metrics, 'addMetric');

    // Act
    const sweeping = handler(scheduledEvent);

    // Assess
    await expect(sweeping).rejects.toMatchObject({ message: '1 of 1 purchase(s) could not be swept: purchase-0001' });
    expect(addMetric.mock.calls.map(([name, , value]) => [name, value])).toEqual(sweepMetrics({ SweepErrors: 1 }));
  });
  test('counts a record it cannot use as unusable and fails the invocation naming it, for a person to look', async () => {
    // Prepare
    const { correlationId: _dropped, ...withoutCorrelationId } = staleItem;
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-3' } }).resolves({ Items: [withoutCorrelationId] });
    dynamo.on(GetCommand).resolves({ Item: withoutCorrelationId });
    const addMetric = jest.spyOn(metrics, 'addMetric');

    // Act
    const sweeping = handler(scheduledEvent);

    // Assess
    await expect(sweeping).rejects.toMatchObject({ name: 'SweepIncompleteError', message: '1 of 1 purchase(s) could not be swept: purchase-0001' });
    expect(addMetric.mock.calls.map(([name, , value]) => [name, value])).toEqual(sweepMetrics({ SweepPurchasesUnusable: 1 }));
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});
