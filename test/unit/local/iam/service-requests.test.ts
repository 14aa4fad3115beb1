import { dynamoDbAuthorizationRequests } from '#local/iam/dynamodb-requests';
import { eventBridgeAuthorizationRequests } from '#local/iam/eventbridge-requests';
import { sqsAuthorizationRequests } from '#local/iam/sqs-requests';
import { stepFunctionsAuthorizationRequests } from '#local/iam/step-functions-requests';

const PREFIX = 'arn:aws:dynamodb:us-east-1:000000000000:table';
const valuesOf = (request: { context?: ReadonlyMap<string, readonly string[]> } | undefined) => Object.fromEntries(request?.context ?? []);

describe('what DynamoDB authorizes', () => {
  it('a single-item call as its own action on the table', () => {
    expect(dynamoDbAuthorizationRequests('UpdateItem', { TableName: 'Seats', Key: { seatId: { S: 'A-1' } } })).toEqual([{ action: 'dynamodb:UpdateItem', resource: `${PREFIX}/Seats` }]);
  });

  it('a query on an index as Query on the index ARN', () => {
    const [request] = dynamoDbAuthorizationRequests('Query', { TableName: 'Purchases', IndexName: 'PendingStart' });
    expect(request?.resource).toBe(`${PREFIX}/Purchases/index/PendingStart`);
  });

  it('each item of a transaction as the single-item action it is, on its table', () => {
    const body = { TransactItems: [{ Update: { TableName: 'Seats' } }, { Put: { TableName: 'Purchases' } }, { ConditionCheck: { TableName: 'Seats' } }, { Delete: { TableName: 'Holds' } }] };
    expect(dynamoDbAuthorizationRequests('TransactWriteItems', body).map(({ action, resource }) => `${action} ${resource}`)).toEqual([
      `dynamodb:UpdateItem ${PREFIX}/Seats`,
      `dynamodb:PutItem ${PREFIX}/Purchases`,
      `dynamodb:ConditionCheckItem ${PREFIX}/Seats`,
      `dynamodb:DeleteItem ${PREFIX}/Holds`,
    ]);
  });

  it('a batch once per table', () => {
    const body = { RequestItems: { Seats: { Keys: [{ seatId: { S: 'A-1' } }, { seatId: { S: 'A-2' } }] }, Concerts: { Keys: [{ concertId: { S: 'c' } }], ProjectionExpression: 'concertId' } } };
    const requests = dynamoDbAuthorizationRequests('BatchGetItem', body);
    expect(requests.map(({ action, resource }) => `${action} ${resource}`)).toEqual([`dynamodb:BatchGetItem ${PREFIX}/Seats`, `dynamodb:BatchGetItem ${PREFIX}/Concerts`]);
    expect(requests.map(valuesOf)).toEqual([
      { 'dynamodb:attributes': ['seatId'], 'dynamodb:select': ['ALL_ATTRIBUTES'] },
      { 'dynamodb:attributes': ['concertId'], 'dynamodb:select': ['SPECIFIC_ATTRIBUTES'] },
    ]);
  });

  it('a read that projects attributes with the key and projected names, and SPECIFIC_ATTRIBUTES', () => {
    const [request] = dynamoDbAuthorizationRequests('GetItem', {
      TableName: 'Purchases',
      Key: { purchaseId: { S: 'p' } },
      ProjectionExpression: '#token, paymentRef, seats[0].row',
      ExpressionAttributeNames: { '#token': 'paymentToken' },
    });
    expect(valuesOf(request)).toEqual({ 'dynamodb:attributes': ['purchaseId', 'paymentToken', 'paymentRef', 'seats'], 'dynamodb:select': ['SPECIFIC_ATTRIBUTES'] });
  });

  it('a read that names no attributes as one that asks for them all', () => {
    const [request] = dynamoDbAuthorizationRequests('GetItem', { TableName: 'Purchases', Key: { purchaseId: { S: 'p' } } });
    expect(valuesOf(request)['dynamodb:select']).toEqual(['ALL_ATTRIBUTES']);
  });
});

describe('what SQS authorizes', () => {
  it('the action on the queue its URL names', () => {
    expect(sqsAuthorizationRequests('SendMessage', { QueueUrl: 'http://127.0.0.1:9324/000000000000/PurchaseQueue', MessageBody: '{}' })).toEqual([
      { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-1:000000000000:PurchaseQueue' },
    ]);
  });

  it('a batch as the action of its entries', () => {
    expect(sqsAuthorizationRequests('SendMessageBatch', { QueueUrl: 'http://h/000000000000/Q' })[0]?.action).toBe('sqs:SendMessage');
  });
});

describe('what Step Functions authorizes', () => {
  it('StartExecution on the state machine, DescribeExecution on the execution', () => {
    const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:Saga';
    const execution = 'arn:aws:states:us-east-1:000000000000:execution:Saga:p-1';
    expect(stepFunctionsAuthorizationRequests('StartExecution', { stateMachineArn: machine, name: 'p-1' })).toEqual([{ action: 'states:StartExecution', resource: machine }]);
    expect(stepFunctionsAuthorizationRequests('DescribeExecution', { executionArn: execution })).toEqual([{ action: 'states:DescribeExecution', resource: execution }]);
  });
});

describe('what EventBridge authorizes', () => {
  it('each PutEvents entry on its bus, with its source and detail-type', () => {
    const requests = eventBridgeAuthorizationRequests('PutEvents', {
      Entries: [
        { Source: 'ticketing.orders', DetailType: 'PurchaseFailed.v1', EventBusName: 'Bus', Detail: '{}' },
        { Source: 'ticketing.billing', DetailType: 'PaymentCharged.v1', EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/Bus', Detail: '{}' },
        { Source: 's', DetailType: 'd', Detail: '{}' },
      ],
    });
    expect(requests.map((request) => [request.resource, valuesOf(request)])).toEqual([
      ['arn:aws:events:us-east-1:000000000000:event-bus/Bus', { 'events:source': ['ticketing.orders'], 'events:detail-type': ['PurchaseFailed.v1'] }],
      ['arn:aws:events:us-east-1:000000000000:event-bus/Bus', { 'events:source': ['ticketing.billing'], 'events:detail-type': ['PaymentCharged.v1'] }],
      ['arn:aws:events:us-east-1:000000000000:event-bus/default', { 'events:source': ['s'], 'events:detail-type': ['d'] }],
    ]);
  });
});
