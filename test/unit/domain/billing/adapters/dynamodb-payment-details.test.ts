import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbPaymentDetails } from '#domain/billing/adapters/dynamodb-payment-details';

const dynamo = mockClient(DynamoDBDocumentClient);
const findPaymentDetails = createDynamoDbPaymentDetails({ client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), tableName: 'purchases' });

beforeEach(() => dynamo.reset());

test('reads only the payment attributes of the purchase, strongly consistent', async () => {
  dynamo.on(GetCommand).resolves({ Item: { paymentToken: 'tok_approve', paymentRef: 'tok_…rove' } });

  const details = await findPaymentDetails('purchase-1');

  expect(details).toEqual({ token: 'tok_approve', paymentRef: 'tok_…rove' });
  expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
    TableName: 'purchases',
    Key: { purchaseId: 'purchase-1' },
    ProjectionExpression: 'paymentToken, paymentRef',
    ConsistentRead: true,
  });
});

test('an unknown purchase has no payment details', async () => {
  dynamo.on(GetCommand).resolves({});

  await expect(findPaymentDetails('purchase-1')).resolves.toBeUndefined();
});

test('a purchase record without a token has no payment details', async () => {
  dynamo.on(GetCommand).resolves({ Item: { paymentRef: 'tok_…rove' } });

  await expect(findPaymentDetails('purchase-1')).resolves.toBeUndefined();
});
