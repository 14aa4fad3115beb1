import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbPurchaseStore } from '#domain/orders/adapters/dynamodb-purchase-store';
import { STORED_PURCHASE_ATTRIBUTES, type PurchaseRecord } from '#domain/orders/purchase';

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

  test('passes on a failed put that is not the id condition, instead of calling the purchase a duplicate', async () => {
    // Arrange
    dynamo.on(PutCommand).rejects(new Error('ProvisionedThroughputExceeded'));

    // Act
    const outcome = store().create(record);

    // Assess
    await expect(outcome).rejects.toThrow('ProvisionedThroughputExceeded');
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

  test('never asks DynamoDB for the payment token: the read names every attribute of a stored purchase but the token', async () => {
    dynamo.on(GetCommand).resolves({ Item: record });

    await store().find('purchase-0001');

    const input = dynamo.commandCalls(GetCommand)[0]?.args[0].input;
    const projected = (input?.ProjectionExpression ?? '').split(', ').map((placeholder) => input?.ExpressionAttributeNames?.[placeholder]);
    expect(projected.sort()).toEqual([...STORED_PURCHASE_ATTRIBUTES].sort());
    expect(projected).toContain('purchaseId');
    expect(projected).not.toContain('paymentToken');
  });

  test('finds nothing for an id with no item', async () => {
    // Arrange
    dynamo.on(GetCommand).resolves({});

    // Act
    const found = await store().find('purchase-0404');

    // Assess
    expect(found).toBeUndefined();
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

describe('the update a status change writes', () => {
  // The whole command is pinned: a misspelt attribute name would write the status where no reader looks.
  test('sets the status, its rank and its time on the purchase it names, and leaves the sweeper index', async () => {
    // Arrange
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await store().applyStatusUpdate({
      purchaseId: 'purchase-0001',
      statusChange: { status: 'RESERVED', rank: 1, at: '2026-11-26T10:00:01.000Z' },
      facts: { total: { amount: 100, currency: 'EUR' } },
    });

    // Assess
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'purchases',
      Key: { purchaseId: 'purchase-0001' },
      UpdateExpression: 'SET #status = :status, #statusRank = :statusRank, #updatedAt = :updatedAt, #total = :total REMOVE #pendingShard, #pendingSince',
      ConditionExpression: 'attribute_not_exists(#statusRank) OR #statusRank < :newRank',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#statusRank': 'statusRank',
        '#updatedAt': 'updatedAt',
        '#pendingShard': 'pendingShard',
        '#pendingSince': 'pendingSince',
        '#total': 'total',
      },
      ExpressionAttributeValues: {
        ':status': 'RESERVED',
        ':statusRank': 1,
        ':updatedAt': '2026-11-26T10:00:01.000Z',
        ':total': { amount: 100, currency: 'EUR' },
        ':newRank': 1,
      },
    });
  });

  test('records why a purchase failed along with its FAILED status', async () => {
    // Arrange
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await store().applyStatusUpdate({
      purchaseId: 'purchase-0001',
      statusChange: {
        status: 'FAILED',
        rank: 3,
        at: '2026-11-26T10:00:03.000Z',
        failure: { reason: 'PAYMENT_DECLINED', message: 'The payment was declined.', failedStep: 'ChargePayment' },
      },
      facts: {},
    });

    // Assess
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.UpdateExpression).toBe(
      'SET #status = :status, #statusRank = :statusRank, #updatedAt = :updatedAt, ' +
        '#failureReason = :failureReason, #failureMessage = :failureMessage, #failedStep = :failedStep REMOVE #pendingShard, #pendingSince, #paymentToken',
    );
    expect(input?.ExpressionAttributeNames).toMatchObject({
      '#failureReason': 'failureReason',
      '#failureMessage': 'failureMessage',
      '#failedStep': 'failedStep',
      '#paymentToken': 'paymentToken',
    });
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':failureReason': 'PAYMENT_DECLINED',
      ':failureMessage': 'The payment was declined.',
      ':failedStep': 'ChargePayment',
    });
  });

  test('removes the payment token in the conditional update that confirms the purchase', async () => {
    // Arrange
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await store().applyStatusUpdate({
      purchaseId: 'purchase-0001',
      statusChange: { status: 'CONFIRMED', rank: 3, at: '2026-11-26T10:00:04.000Z' },
      facts: { invoiceId: 'INV-1' },
    });

    // Assess
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'purchases',
      Key: { purchaseId: 'purchase-0001' },
      UpdateExpression:
        'SET #status = :status, #statusRank = :statusRank, #updatedAt = :updatedAt, #invoiceId = :invoiceId REMOVE #pendingShard, #pendingSince, #paymentToken',
      ConditionExpression: 'attribute_not_exists(#statusRank) OR #statusRank < :newRank',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#statusRank': 'statusRank',
        '#updatedAt': 'updatedAt',
        '#pendingShard': 'pendingShard',
        '#pendingSince': 'pendingSince',
        '#paymentToken': 'paymentToken',
        '#invoiceId': 'invoiceId',
      },
      ExpressionAttributeValues: { ':status': 'CONFIRMED', ':statusRank': 3, ':updatedAt': '2026-11-26T10:00:04.000Z', ':invoiceId': 'INV-1', ':newRank': 3 },
    });
  });

  test.each([
    ['RESERVED', 1],
    ['PAID', 2],
  ] as const)('keeps the payment token while the purchase is %s: ChargePayment still reads it', async (status, rank) => {
    // Arrange
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await store().applyStatusUpdate({ purchaseId: 'purchase-0001', statusChange: { status, rank, at: '2026-11-26T10:00:01.000Z' }, facts: {} });

    // Assess
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.UpdateExpression).not.toContain('#paymentToken');
    expect(input?.ExpressionAttributeNames).not.toHaveProperty('#paymentToken');
  });

  test('leaves the token alone when a terminal status comes stale: the first terminal update removed it', async () => {
    // Arrange
    dynamo.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});

    // Act
    await store().applyStatusUpdate({
      purchaseId: 'purchase-0001',
      statusChange: { status: 'CONFIRMED', rank: 3, at: '2026-11-26T10:00:04.000Z' },
      facts: { invoiceId: 'INV-1' },
    });

    // Assess
    expect(dynamo.commandCalls(UpdateCommand)[1]?.args[0].input.UpdateExpression).toBe('SET #invoiceId = :invoiceId');
  });

  test('writes no attribute for a fact the event does not carry', async () => {
    // Arrange: DynamoDB refuses an undefined value, so an absent fact must not become an assignment.
    dynamo.on(UpdateCommand).resolves({});

    // Act
    await store().applyStatusUpdate({
      purchaseId: 'purchase-0001',
      statusChange: { status: 'PAID', rank: 2, at: '2026-11-26T10:00:02.000Z' },
      facts: { invoiceId: undefined, paymentRefunded: true },
    });

    // Assess
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.UpdateExpression).toBe('SET #status = :status, #statusRank = :statusRank, #updatedAt = :updatedAt, #paymentRefunded = :paymentRefunded REMOVE #pendingShard, #pendingSince');
    expect(input?.ExpressionAttributeNames).not.toHaveProperty('#invoiceId');
    expect(input?.ExpressionAttributeValues).not.toHaveProperty(':invoiceId');
  });
});

describe('the update a baseline writes', () => {
  test('fills each attribute of the request, and a QUEUED status of rank 0, only where missing, on the purchase it names', async () => {
    // Arrange: PurchaseRequested may arrive after a later status; if_not_exists keeps that status.
    dynamo.on(UpdateCommand).resolves({});

    // Act
    const outcome = await store().applyStatusUpdate({
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

    // Assess
    expect(outcome).toBe('applied');
    const fill = (attribute: string) => `#${attribute} = if_not_exists(#${attribute}, :${attribute})`;
    const attributes = ['buyerId', 'concertId', 'seatIds', 'paymentRef', 'correlationId', 'createdAt', 'updatedAt', 'status', 'statusRank'];
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'purchases',
      Key: { purchaseId: 'purchase-0001' },
      UpdateExpression: `SET ${attributes.map(fill).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(attributes.map((attribute) => [`#${attribute}`, attribute])),
      ExpressionAttributeValues: {
        ':buyerId': 'buyer-1',
        ':concertId': 'rock-night',
        ':seatIds': ['A-1'],
        ':paymentRef': 'tok_…rove',
        ':correlationId': 'corr-1',
        ':createdAt': '2026-11-26T10:00:00.000Z',
        ':updatedAt': '2026-11-26T10:00:00.000Z',
        ':status': 'QUEUED',
        ':statusRank': 0,
      },
    });
  });

  test('writes facts without a status change unconditionally, to the purchase they name', async () => {
    // Arrange
    dynamo.on(UpdateCommand).resolves({});

    // Act
    const outcome = await store().applyStatusUpdate({ purchaseId: 'purchase-0001', facts: { invoiceId: 'INV-1' } });

    // Assess
    expect(outcome).toBe('applied');
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'purchases',
      Key: { purchaseId: 'purchase-0001' },
      UpdateExpression: 'SET #invoiceId = :invoiceId',
      ExpressionAttributeNames: { '#invoiceId': 'invoiceId' },
      ExpressionAttributeValues: { ':invoiceId': 'INV-1' },
    });
  });
});
