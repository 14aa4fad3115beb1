import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbPurchaseStore } from '#domain/orders/dynamodb-purchase-store';
import type { PurchaseRecord } from '#domain/orders/purchase';

const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => dynamo.reset());

const store = () => createDynamoDbPurchaseStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 'purchases' });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const record: PurchaseRecord = {
  purchaseId: 'purchase-0001',
  buyerId: 'buyer-1',
  concertId: 'rock-night',
  seatIds: ['A-1'],
  paymentToken: 'tok_approve',
  paymentRef: 'tok_…rove',
  requestHash: 'hash',
  correlationId: 'corr-1',
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  status: 'QUEUED',
  statusRank: 0,
};

describe('DynamoDB purchase store', () => {
  test('creates the purchase only if no item has its id', async () => {
    dynamo.on(PutCommand).resolves({});

    const outcome = await store().create(record);

    expect(outcome).toBe('created');
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'purchases',
      Item: record,
      ConditionExpression: 'attribute_not_exists(#key)',
      ExpressionAttributeNames: { '#key': 'purchaseId' },
    });
  });

  test('reports an existing purchase instead of overwriting it', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());

    expect(await store().create(record)).toBe('exists');
  });

  test('reads with strong consistency and drops the payment token', async () => {
    dynamo.on(GetCommand).resolves({ Item: record });

    const found = await store().find('purchase-0001');

    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ Key: { purchaseId: 'purchase-0001' }, ConsistentRead: true });
    expect(found).not.toHaveProperty('paymentToken');
    expect(found).toMatchObject({ purchaseId: 'purchase-0001', status: 'QUEUED' });
  });

  test('applies a status change only above the stored rank', async () => {
    dynamo.on(UpdateCommand).resolves({});

    const outcome = await store().applyStatusUpdate({
      purchaseId: 'purchase-0001',
      statusChange: { status: 'RESERVED', rank: 1, at: '2026-11-26T10:00:01.000Z' },
      facts: { total: { amount: 100, currency: 'EUR' } },
    });

    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(outcome).toBe('applied');
    expect(input?.ConditionExpression).toBe('attribute_not_exists(#statusRank) OR #statusRank < :newRank');
    expect(input?.ExpressionAttributeValues).toMatchObject({ ':status': 'RESERVED', ':statusRank': 1, ':newRank': 1, ':total': { amount: 100, currency: 'EUR' } });
  });

  test('takes the purchase out of the sweeper index when its status moves on', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await store().applyStatusUpdate({ purchaseId: 'purchase-0001', statusChange: { status: 'RESERVED', rank: 1, at: '2026-11-26T10:00:01.000Z' }, facts: {} });

    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.UpdateExpression).toMatch(/ REMOVE #pendingShard, #pendingSince$/);
    expect(input?.ExpressionAttributeNames).toMatchObject({ '#pendingShard': 'pendingShard', '#pendingSince': 'pendingSince' });
  });

  test('still records the facts of a stale status change, without the condition', async () => {
    dynamo.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});

    const outcome = await store().applyStatusUpdate({
      purchaseId: 'purchase-0001',
      statusChange: { status: 'RESERVED', rank: 1, at: '2026-11-26T10:00:01.000Z' },
      facts: { total: { amount: 100, currency: 'EUR' } },
    });

    const retry = dynamo.commandCalls(UpdateCommand)[1]?.args[0].input;
    expect(outcome).toBe('stale');
    expect(retry?.UpdateExpression).toBe('SET #total = :total');
    expect(retry?.ConditionExpression).toBeUndefined();
  });

  test('writes nothing more for a stale status change without facts', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());

    const outcome = await store().applyStatusUpdate({
      purchaseId: 'purchase-0001',
      statusChange: { status: 'PAID', rank: 2, at: '2026-11-26T10:00:02.000Z' },
      facts: {},
    });

    expect(outcome).toBe('stale');
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  test('fills the baseline only where attributes are missing', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await store().applyStatusUpdate({
      purchaseId: 'purchase-0001',
      baseline: {
        buyerId: 'buyer-1',
        concertId: 'rock-night',
        seatIds: ['A-1'],
        paymentRef: 'tok_…rove',
        correlationId: 'corr-1',
        createdAt: '2026-11-26T10:00:00.000Z',
      },
      facts: {},
    });

    const expression = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.UpdateExpression ?? '';
    expect(expression).toContain('#buyerId = if_not_exists(#buyerId, :buyerId)');
    expect(expression).not.toMatch(/#\w+ = :/);
  });

  test('passes on errors other than a failed condition', async () => {
    dynamo.on(UpdateCommand).rejects(new Error('ProvisionedThroughputExceeded'));

    await expect(
      store().applyStatusUpdate({ purchaseId: 'purchase-0001', statusChange: { status: 'PAID', rank: 2, at: '2026-11-26T10:00:02.000Z' }, facts: {} }),
    ).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});
