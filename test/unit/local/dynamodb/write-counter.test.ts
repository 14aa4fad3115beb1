import { dynamoDbWriteCounter } from '#local/dynamodb/write-counter';
import type { Forward } from '#local/proxy/aws-json-proxy';

const answering = (status: number): Forward => async () => ({ status, headers: {}, body: Buffer.from('{}') });

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
    expect(counter.counts()).toEqual({ total: 3, byOperation: { PutItem: 1, TransactWriteItems: 2 } });
  });

  it('counts nothing for a request DynamoDB refused', async () => {
    // Prepare
    const counter = dynamoDbWriteCounter();

    // Act
    await counter.interceptor({ operation: 'PutItem', body: '{}' }, answering(400));

    // Assess
    expect(counter.counts().total).toBe(0);
  });
});
