import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbPendingStartStore } from '#domain/orders/adapters/dynamodb-pending-start-store';
import { PENDING_START_SHARDS, pendingShardOf } from '#domain/orders/pending-start';

const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => dynamo.reset());

const store = () => createDynamoDbPendingStartStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 'purchases' });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
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
    });
  });

  test.each([
    ['refused', { purchaseId: 'purchase-0001', startRefusedAt: '2026-11-26T10:00:00.000Z' }],
    ['progressed', { purchaseId: 'purchase-0001' }],
    ['missing', undefined],
  ])('tells %s from a consistent read of the key and the refusal mark alone, never the whole item', async (expected, item) => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves(item ? { Item: item } : {});

    const claim = await store().claimStart('purchase-0001', '2026-11-26T10:00:00.000Z');

    expect(claim).toBe(expected);
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'purchases',
      Key: { purchaseId: 'purchase-0001' },
      ConsistentRead: true,
      ProjectionExpression: '#key, #startRefusedAt',
      ExpressionAttributeNames: { '#key': 'purchaseId', '#startRefusedAt': 'startRefusedAt' },
    });
  });

  test('asks for no item back when a conditional update fails, as that would return the payment token', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({});

    await store().claimStart('purchase-0001', '2026-11-26T10:00:00.000Z');
    await store().refuseStart({ purchaseId: 'purchase-0001', staleBefore: '2026-11-26T10:00:00.000Z', at: '2026-11-26T10:05:00.000Z' });

    for (const call of dynamo.commandCalls(UpdateCommand)) expect(call.args[0].input.ReturnValuesOnConditionCheckFailure).toBeUndefined();
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
    dynamo.on(UpdateCommand).rejects(conditionFailed());

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

describe('claimStart, when DynamoDB fails otherwise', () => {
  test('passes on an error that is not the condition, so the starter retries or fails the message', async () => {
    // Arrange
    dynamo.on(UpdateCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));

    // Act
    const claim = store().claimStart('purchase-0001', '2026-11-26T10:00:00.000Z');

    // Assess
    await expect(claim).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
  });
});

describe('markDeadLettered', () => {
  test('stamps the time on an existing purchase only, so a dead-lettered message never creates an item', async () => {
    // Arrange
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await store().markDeadLettered('purchase-0001', '2026-11-26T10:00:00.000Z');

    // Assess
    expect(lastUpdate()).toEqual({
      TableName: 'purchases',
      Key: { purchaseId: 'purchase-0001' },
      UpdateExpression: 'SET #startDeadLetteredAt = :at',
      ConditionExpression: 'attribute_exists(#key)',
      ExpressionAttributeNames: { '#key': 'purchaseId', '#startDeadLetteredAt': 'startDeadLetteredAt' },
      ExpressionAttributeValues: { ':at': '2026-11-26T10:00:00.000Z' },
    });
  });

  test('says nothing when the purchase does not exist', async () => {
    // Arrange
    dynamo.on(UpdateCommand).rejects(conditionFailed());

    // Act
    const marked = store().markDeadLettered('purchase-0404', '2026-11-26T10:00:00.000Z');

    // Assess
    await expect(marked).resolves.toBeUndefined();
  });
});

describe('findStale, page by page', () => {
  const CUTOFF = '2026-11-26T10:05:00.000Z';
  const marked = (purchaseId: string, pendingSince: string) => ({ purchaseId, pendingShard: 'pending-0', pendingSince });
  const queriesOf = (shard: string) =>
    dynamo
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.ExpressionAttributeValues?.[':shard'] === shard);

  test('asks each shard only for the index attributes it reads, below the cutoff', async () => {
    // Arrange
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act
    await store().findStale(CUTOFF, 10);

    // Assess
    expect(queriesOf('pending-0')).toEqual([
      {
        TableName: 'purchases',
        IndexName: 'PendingStart',
        KeyConditionExpression: '#pendingShard = :shard AND #pendingSince < :staleBefore',
        ExpressionAttributeNames: { '#pendingShard': 'pendingShard', '#pendingSince': 'pendingSince' },
        ExpressionAttributeValues: { ':shard': 'pending-0', ':staleBefore': CUTOFF },
        Limit: 10,
        ExclusiveStartKey: undefined,
      },
    ]);
  });

  test('reads the next page of a shard from where the last stopped, for what the limit leaves', async () => {
    // Arrange
    const lastKey = { purchaseId: 'purchase-0002', pendingShard: 'pending-0', pendingSince: '2026-11-26T10:00:02.000Z' };
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo
      .on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-0', ':staleBefore': CUTOFF } })
      .resolvesOnce({ Items: [marked('purchase-0001', '2026-11-26T10:00:01.000Z'), marked('purchase-0002', '2026-11-26T10:00:02.000Z')], LastEvaluatedKey: lastKey })
      .resolves({ Items: [marked('purchase-0003', '2026-11-26T10:00:03.000Z')] });

    // Act
    const stale = await store().findStale(CUTOFF, 10);

    // Assess
    expect(stale).toEqual(['purchase-0001', 'purchase-0002', 'purchase-0003']);
    expect(queriesOf('pending-0').map(({ Limit, ExclusiveStartKey }) => ({ Limit, ExclusiveStartKey }))).toEqual([
      { Limit: 10, ExclusiveStartKey: undefined },
      { Limit: 8, ExclusiveStartKey: lastKey },
    ]);
  });

  test('stops reading a shard once it gave the limit, even with more pages', async () => {
    // Arrange
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-0', ':staleBefore': CUTOFF } }).resolves({
      Items: [marked('purchase-0001', '2026-11-26T10:00:01.000Z'), marked('purchase-0002', '2026-11-26T10:00:02.000Z')],
      LastEvaluatedKey: { purchaseId: 'purchase-0002' },
    });

    // Act
    const stale = await store().findStale(CUTOFF, 2);

    // Assess
    expect(stale).toEqual(['purchase-0001', 'purchase-0002']);
    expect(queriesOf('pending-0')).toHaveLength(1);
  });

  test('counts nothing for a page without items', async () => {
    // Arrange
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo
      .on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-0', ':staleBefore': CUTOFF } })
      .resolvesOnce({ LastEvaluatedKey: { purchaseId: 'purchase-0001' } })
      .resolves({ Items: [] });

    // Act
    await store().findStale(CUTOFF, 10);

    // Assess
    expect(queriesOf('pending-0').map(({ Limit }) => Limit)).toEqual([10, 10]);
  });

  test('returns only the oldest `limit` of all shards together', async () => {
    // Arrange
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-1', ':staleBefore': CUTOFF } }).resolves({
      Items: [marked('purchase-0002', '2026-11-26T10:00:02.000Z'), marked('purchase-0004', '2026-11-26T10:00:04.000Z')],
    });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'pending-2', ':staleBefore': CUTOFF } }).resolves({
      Items: [marked('purchase-0001', '2026-11-26T10:00:01.000Z'), marked('purchase-0003', '2026-11-26T10:00:03.000Z')],
    });

    // Act
    const stale = await store().findStale(CUTOFF, 2);

    // Assess
    expect(stale).toEqual(['purchase-0001', 'purchase-0002']);
  });
});

describe('clearMarker', () => {
  test('removes the index attributes of an existing purchase only, so clearing never creates an item', async () => {
    // Arrange
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await store().clearMarker('purchase-0001');

    // Assess
    expect(lastUpdate()).toEqual({
      TableName: 'purchases',
      Key: { purchaseId: 'purchase-0001' },
      UpdateExpression: 'REMOVE #pendingShard, #pendingSince',
      ConditionExpression: 'attribute_exists(#key)',
      ExpressionAttributeNames: { '#key': 'purchaseId', '#pendingShard': 'pendingShard', '#pendingSince': 'pendingSince' },
    });
  });

  test('has nothing to clear for a purchase that does not exist', async () => {
    // Arrange
    dynamo.on(UpdateCommand).rejects(conditionFailed());

    // Act
    const cleared = store().clearMarker('purchase-0404');

    // Assess
    await expect(cleared).resolves.toBeUndefined();
  });

  test('passes on any other error, so the sweeper reports the purchase', async () => {
    // Arrange
    dynamo.on(UpdateCommand).rejects(new Error('AccessDenied'));

    // Act
    const cleared = store().clearMarker('purchase-0001');

    // Assess
    await expect(cleared).rejects.toThrow('AccessDenied');
  });
});

describe('recordRequeue and refuseStart, in full', () => {
  test('restarts the wait at the re-queue time, counts one, and holds only on the marker it read', async () => {
    // Arrange
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await store().recordRequeue('purchase-0001', '2026-11-26T10:00:00.000Z', '2026-11-26T10:10:00.000Z');

    // Assess
    expect(lastUpdate()).toEqual({
      TableName: 'purchases',
      Key: { purchaseId: 'purchase-0001' },
      UpdateExpression: 'SET #pendingSince = :at ADD #startRequeues :one',
      ConditionExpression: '#pendingSince = :observed AND #status = :queued AND attribute_not_exists(#startRefusedAt)',
      ExpressionAttributeNames: { '#status': 'status', '#pendingSince': 'pendingSince', '#startRefusedAt': 'startRefusedAt', '#startRequeues': 'startRequeues' },
      ExpressionAttributeValues: { ':at': '2026-11-26T10:10:00.000Z', ':one': 1, ':observed': '2026-11-26T10:00:00.000Z', ':queued': 'QUEUED' },
    });
  });

  test('reports a purchase someone touched since it was read as not re-queued', async () => {
    // Arrange
    dynamo.on(UpdateCommand).rejects(conditionFailed());

    // Act
    const requeued = await store().recordRequeue('purchase-0001', '2026-11-26T10:00:00.000Z', '2026-11-26T10:10:00.000Z');

    // Assess
    expect(requeued).toBe(false);
  });

  test('a refusal that holds is reported as taken', async () => {
    // Arrange
    dynamo.on(UpdateCommand).resolves({});

    // Act
    const refused = await store().refuseStart({ purchaseId: 'purchase-0001', staleBefore: '2026-11-26T10:05:00.000Z', at: '2026-11-26T10:10:00.000Z' });

    // Assess
    expect(refused).toBe(true);
    expect(lastUpdate()?.Key).toEqual({ purchaseId: 'purchase-0001' });
  });
});
