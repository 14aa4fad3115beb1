import { dynamoDbWriteCounter } from '#local/dynamodb/write-counter';
import type { Forward } from '#local/proxy/aws-json-proxy';

const answering = (status: number, body: unknown = {}): Forward => async () => ({ status, headers: {}, body: Buffer.from(JSON.stringify(body)) });

describe('the DynamoDB write counter', () => {
  it('counts the item writes DynamoDB accepted, one per item of a transaction that is not a condition check', async () => {
    // Prepare
    const counter = dynamoDbWriteCounter();
    const transaction = JSON.stringify({ TransactItems: [{ Put: {} }, { Update: {} }, { ConditionCheck: {} }] });

    // Act
    await counter.interceptor({ operation: 'PutItem', body: '{}' }, answering(200));
    await counter.interceptor({ operation: 'TransactWriteItems', body: transaction }, answering(200));
    await counter.interceptor({ operation: 'GetItem', body: '{}' }, answering(200));

    // Assess
    expect(counter.counts()).toEqual({ total: 3, byOperation: { PutItem: 1, TransactWriteItems: 2 }, unitsByTable: {} });
  });

  it('counts nothing for a request DynamoDB refused', async () => {
    // Prepare
    const counter = dynamoDbWriteCounter();

    // Act
    await counter.interceptor({ operation: 'PutItem', body: '{}' }, answering(400));

    // Assess
    expect(counter.counts().total).toBe(0);
  });

  it('asks DynamoDB for the consumed capacity and hides it from a caller that did not ask', async () => {
    // Prepare
    const counter = dynamoDbWriteCounter();
    const sent: string[] = [];
    const forward: Forward = async (body) => {
      sent.push(body ?? '');
      return { status: 200, headers: {}, body: Buffer.from(JSON.stringify({ Item: {}, ConsumedCapacity: { TableName: 'Seats', CapacityUnits: 0.5 } })) };
    };

    // Act
    const response = await counter.interceptor({ operation: 'GetItem', body: JSON.stringify({ TableName: 'Seats' }) }, forward);

    // Assess
    expect(JSON.parse(sent[0] ?? '')).toEqual({ TableName: 'Seats', ReturnConsumedCapacity: 'TOTAL' });
    expect(JSON.parse(response.body.toString('utf8'))).toEqual({ Item: {} });
    expect(counter.counts().unitsByTable).toEqual({ Seats: { read: 0.5, write: 0 } });
  });

  it('bills a transaction twice, by table, as DynamoDB does', async () => {
    // Prepare
    const counter = dynamoDbWriteCounter();
    const consumed = { ConsumedCapacity: [{ TableName: 'Seats', CapacityUnits: 2 }, { TableName: 'Purchases', CapacityUnits: 1 }] };

    // Act
    await counter.interceptor({ operation: 'TransactWriteItems', body: JSON.stringify({ TransactItems: [{ Put: {} }, { Put: {} }, { Put: {} }] }) }, answering(200, consumed));

    // Assess
    expect(counter.counts().unitsByTable).toEqual({ Seats: { read: 0, write: 4 }, Purchases: { read: 0, write: 2 } });
  });

  it('passes the capacity on to a caller that asked for it', async () => {
    // Prepare
    const counter = dynamoDbWriteCounter();
    const consumed = { ConsumedCapacity: { TableName: 'Seats', CapacityUnits: 1 } };

    // Act
    const response = await counter.interceptor({ operation: 'PutItem', body: JSON.stringify({ ReturnConsumedCapacity: 'TOTAL' }) }, answering(200, consumed));

    // Assess
    expect(JSON.parse(response.body.toString('utf8'))).toEqual(consumed);
  });
});
