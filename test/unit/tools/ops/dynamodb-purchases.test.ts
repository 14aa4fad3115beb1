import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbPurchases } from '#tools/ops/dynamodb-purchases';

const documents = mockClient(DynamoDBDocumentClient);
const port = () => createDynamoDbPurchases(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'purchases');
const PURCHASE_ID = '5d2e8a90-7c41-4b0e-8f3a-61e0c4b9d2f7';

const storedItem = {
  purchaseId: PURCHASE_ID,
  buyerId: 'buyer-1',
  paymentToken: 'tok_decline',
  paymentRef: 'tok_…line',
  requestHash: 'abc',
  status: 'FAILED',
  statusRank: 3,
  total: { amount: 12000, currency: 'EUR' },
};

beforeEach(() => documents.reset());

test('the record support sees never holds the payment token', async () => {
  documents.on(GetCommand).resolves({ Item: storedItem });

  const lookup = await port().find(PURCHASE_ID);

  expect(JSON.stringify(lookup)).not.toContain('tok_decline');
  expect(lookup?.record).toEqual({
    purchaseId: PURCHASE_ID,
    buyerId: 'buyer-1',
    paymentRef: 'tok_…line',
    paymentDetails: 'held',
    status: 'FAILED',
    total: { amount: 12000, currency: 'EUR' },
  });
});

test('says the token was removed when the record no longer holds it', async () => {
  // Arrange: the status projection removes the token in the update that ends the purchase.
  const { paymentToken: _removed, ...ended } = storedItem;
  documents.on(GetCommand).resolves({ Item: ended });

  // Act
  const lookup = await port().find(PURCHASE_ID);

  // Assess
  expect(lookup?.record).toMatchObject({ paymentRef: 'tok_…line', paymentDetails: 'removed' });
});

test('a malformed field is reported and left out, the rest of the record is kept', async () => {
  documents.on(GetCommand).resolves({ Item: { ...storedItem, seatIds: 'A-1' } });

  const lookup = await port().find(PURCHASE_ID);

  expect(lookup?.problems).toEqual([expect.stringMatching(/^seatIds: /)]);
  expect(lookup?.record).toMatchObject({ buyerId: 'buyer-1', status: 'FAILED' });
});

test('an unknown purchase is undefined', async () => {
  documents.on(GetCommand).resolves({});

  await expect(port().find(PURCHASE_ID)).resolves.toBeUndefined();
});
