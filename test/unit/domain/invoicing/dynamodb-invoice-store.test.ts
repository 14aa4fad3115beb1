import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDynamoDbInvoiceStore } from '#domain/invoicing/dynamodb-invoice-store';
import { buildInvoice } from '#domain/invoicing/invoice';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = createDynamoDbInvoiceStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), tableName: 'invoices' });

const invoiceAt = (issuedAt: string) =>
  buildInvoice({
    purchaseId: 'purchase-1',
    buyerId: 'buyer-1',
    concertId: 'rock-night',
    seats: [{ seatId: 'A-1', price: { amount: 12000, currency: 'EUR' } }],
    currency: 'EUR',
    issuedAt: new Date(issuedAt),
  });

beforeEach(() => dynamo.reset());

test('puts the invoice only if the purchase has none', async () => {
  dynamo.on(PutCommand).resolves({});
  const invoice = invoiceAt('2026-11-26T10:00:00.000Z');

  await expect(store.createOnce(invoice)).resolves.toEqual(invoice);
  expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
    TableName: 'invoices',
    Item: invoice,
    ConditionExpression: 'attribute_not_exists(#key)',
    ExpressionAttributeNames: { '#key': 'purchaseId' },
  });
});

test('returns the invoice already stored for the purchase', async () => {
  const first = invoiceAt('2026-11-26T10:00:00.000Z');
  dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
  dynamo.on(GetCommand).resolves({ Item: first });

  await expect(store.createOnce(invoiceAt('2026-11-26T11:00:00.000Z'))).resolves.toEqual(first);
});
