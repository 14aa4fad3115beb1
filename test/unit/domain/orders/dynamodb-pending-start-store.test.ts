import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbPendingStartStore } from '#domain/orders/dynamodb-pending-start-store';
import { PENDING_START_SHARDS, pendingShardOf } from '#domain/orders/pending-start';

const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => dynamo.reset());

const store = () => createDynamoDbPendingStartStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 'purchases' });
const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: item as never } : {}) });
const lastUpdate = () => dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;

describe('claimStart', () => {
  test('refreshes the marker and records the claim, only for a QUEUED purchase nobody refused', async () => {
    dynamo.on(UpdateCommand).resolves({});

    const claim = await store().claimStart('purchase-0001', '2026-11-26T10:00:00.000Z');

    expect(claim).toBe('claimed');
    expect(lastUpdate()).toEqual({
      TableName: 'purchases',
      Key: { purchaseId: 'purchase-0001' },
      UpdateExpression: 'SET #pendingShard = :shard, #pendingSince = :at, #startClaimedAt = :at',
      ConditionExpression: 'attribute_exists(#key) AND #status = :queued AND attribute_not_exists(#startRefusedAt)',
      ExpressionAttributeNames: {
        '#key': 'purchaseId',
        '#status': 'status',
        '#pendingShard': 'pendingShard',
        '#pendingSince': 'pendingSince',
        '#startClaimedAt': 'startClaimedAt',
        '#startRefusedAt': 'startRefusedAt',
      },
      ExpressionAttributeValues: { ':shard': pendingShardOf('purchase-0001'), ':at': '2026-11-26T10:00:00.000Z', ':queued': 'QUEUED' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  test.each([
    ['refused', { purchaseId: { S: 'p' }, status: { S: 'QUEUED' }, startRefusedAt: { S: '2026-11-26T10:00:00.000Z' } }],
    ['progressed', { purchaseId: { S: 'p' }, status: { S: 'RESERVED' } }],
    ['missing', undefined],
  ])('tells %s from the item the failed condition returns', async (expected, item) => {
    dynamo.on(UpdateCommand).rejects(conditionFailed(item));

    expect(await store().claimStart('purchase-0001', '2026-11-26T10:00:00.000Z')).toBe(expected);
  });
});

describe('findStale', () => {
  test('queries every shard of the sparse index for marks older than the cutoff, and merges them oldest first', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-3', ':staleBefore': '2026-11-26T10:05:00.000Z' } }).resolves({
      Items: [{ purchaseId: 'purchase-0003', pendingShard: 'pending-3', pendingSince: '2026-11-26T10:02:00.000Z' }],
    });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-7', ':staleBefore': '2026-11-26T10:05:00.000Z' } }).resolves({
      Items: [{ purchaseId: 'purchase-0007', pendingShard: 'pending-7', pendingSince: '2026-11-26T10:01:00.000Z' }],
    });

    const stale = await store().findStale('2026-11-26T10:05:00.000Z', 10);

    expect(stale).toEqual(['purchase-0007', 'purchase-0003']);
    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries).toHaveLength(PENDING_START_SHARDS);
    expect(queries[0]).toMatchObject({
      IndexName: 'PendingStart',
      KeyConditionExpression: '#pendingShard = :shard AND #pendingSince < :staleBefore',
      Limit: 10,
    });
  });
});

describe('recordRequeue and refuseStart', () => {
  test('a re-queue counts itself and restarts the wait only if the marker is as it was read', async () => {
    dynamo.on(UpdateCommand).resolves({});

    expect(await store().recordRequeue('purchase-0001', '2026-11-26T10:00:00.000Z', '2026-11-26T10:10:00.000Z')).toBe(true);
    expect(lastUpdate()).toMatchObject({
      UpdateExpression: 'SET #pendingSince = :at ADD #startRequeues :one',
      ConditionExpression: '#pendingSince = :observed AND #status = :queued AND attribute_not_exists(#startRefusedAt)',
    });
  });

  test('a refusal holds only when no starter claimed within the window', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed({}));

    const refused = await store().refuseStart({ purchaseId: 'purchase-0001', staleBefore: '2026-11-26T10:05:00.000Z', at: '2026-11-26T10:10:00.000Z' });

    expect(refused).toBe(false);
    expect(lastUpdate()).toMatchObject({
      UpdateExpression: 'SET #startRefusedAt = :at',
      ConditionExpression: '#status = :queued AND #pendingSince < :staleBefore AND attribute_not_exists(#startRefusedAt)',
      ExpressionAttributeValues: { ':at': '2026-11-26T10:10:00.000Z', ':queued': 'QUEUED', ':staleBefore': '2026-11-26T10:05:00.000Z' },
    });
  });

  test('clearing the marker removes both index attributes', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await store().clearMarker('purchase-0001');

    expect(lastUpdate()).toMatchObject({ UpdateExpression: 'REMOVE #pendingShard, #pendingSince' });
  });
});
