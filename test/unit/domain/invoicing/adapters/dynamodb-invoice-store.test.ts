import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { InvoiceVoidedError, SagaStateError } from '#domain/errors';
import { createDynamoDbInvoiceStore } from '#domain/invoicing/adapters/dynamodb-invoice-store';
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

const VOIDED_AT = '2026-11-26T12:00:00.000Z';
const exists = () => new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });

describe('an invoice that exists already', () => {
  test('is read strongly consistent by the purchase', async () => {
    // Prepare
    const first = invoiceAt('2026-11-26T10:00:00.000Z');
    dynamo.on(PutCommand).rejects(exists());
    dynamo.on(GetCommand).resolves({ Item: first });

    // Act
    await store.createOnce(invoiceAt('2026-11-26T11:00:00.000Z'));

    // Assess
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: 'invoices', Key: { purchaseId: 'purchase-1' }, ConsistentRead: true });
  });

  test('but was voided is InvoiceVoided naming the purchase: no invoice may be issued for it', async () => {
    // Prepare
    dynamo.on(PutCommand).rejects(exists());
    dynamo.on(GetCommand).resolves({ Item: { ...invoiceAt('2026-11-26T10:00:00.000Z'), voidedAt: VOIDED_AT } });

    // Act
    const failure = store.createOnce(invoiceAt('2026-11-26T11:00:00.000Z'));

    // Assess
    await expect(failure).rejects.toThrow(InvoiceVoidedError);
    await expect(failure).rejects.toThrow('The invoicing of purchase purchase-1 was voided');
  });

  test('as a void mark only is InvoiceVoided', async () => {
    // Prepare: VoidInvoice ran before this CreateInvoice
    dynamo.on(PutCommand).rejects(exists());
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', voidedAt: VOIDED_AT } });

    // Act
    const failure = store.createOnce(invoiceAt('2026-11-26T11:00:00.000Z'));

    // Assess
    await expect(failure).rejects.toThrow(InvoiceVoidedError);
  });

  test('that cannot be read back is a saga state error naming the purchase', async () => {
    // Prepare
    dynamo.on(PutCommand).rejects(exists());
    dynamo.on(GetCommand).resolves({});

    // Act
    const failure = store.createOnce(invoiceAt('2026-11-26T11:00:00.000Z'));

    // Assess
    await expect(failure).rejects.toThrow(SagaStateError);
    await expect(failure).rejects.toThrow('The invoice of purchase purchase-1 exists but cannot be read');
  });

  test('that is neither an invoice nor a void mark is a saga state error naming the purchase', async () => {
    // Prepare
    dynamo.on(PutCommand).rejects(exists());
    dynamo.on(GetCommand).resolves({ Item: { purchaseId: 'purchase-1', note: 'edited by hand' } });

    // Act
    const failure = store.createOnce(invoiceAt('2026-11-26T11:00:00.000Z'));

    // Assess
    await expect(failure).rejects.toThrow(SagaStateError);
    await expect(failure).rejects.toThrow('The invoices item of purchase purchase-1 is neither an invoice nor a void mark');
  });
});

test('a put that fails for another reason is passed on, not read as an existing invoice', async () => {
  // Prepare
  const error = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
  dynamo.on(PutCommand).rejects(error);

  // Act
  const failure = store.createOnce(invoiceAt('2026-11-26T10:00:00.000Z'));

  // Assess
  await expect(failure).rejects.toBe(error);
  expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
});

describe('voiding', () => {
  test('stamps the purchase item with the first void time only', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({ Attributes: { purchaseId: 'purchase-1', voidedAt: VOIDED_AT } });

    // Act
    await store.voidOnce('purchase-1', new Date(VOIDED_AT));

    // Assess
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: 'invoices',
      Key: { purchaseId: 'purchase-1' },
      UpdateExpression: 'SET #voidedAt = if_not_exists(#voidedAt, :at)',
      ExpressionAttributeNames: { '#voidedAt': 'voidedAt' },
      ExpressionAttributeValues: { ':at': VOIDED_AT },
      ReturnValues: 'ALL_NEW',
    });
  });

  test('returns the voided invoice', async () => {
    // Prepare
    const voided = { ...invoiceAt('2026-11-26T10:00:00.000Z'), voidedAt: VOIDED_AT };
    dynamo.on(UpdateCommand).resolves({ Attributes: voided });

    // Act
    const invoice = await store.voidOnce('purchase-1', new Date(VOIDED_AT));

    // Assess
    expect(invoice).toEqual(voided);
  });

  test('before any invoice leaves a void mark and returns nothing', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({ Attributes: { purchaseId: 'purchase-1', voidedAt: VOIDED_AT } });

    // Act
    const invoice = await store.voidOnce('purchase-1', new Date(VOIDED_AT));

    // Assess
    expect(invoice).toBeUndefined();
  });

  test('an item that is neither an invoice nor a void mark is a saga state error', async () => {
    // Prepare
    dynamo.on(UpdateCommand).resolves({ Attributes: { purchaseId: 'purchase-1', voidedAt: 'yesterday' } });

    // Act
    const failure = store.voidOnce('purchase-1', new Date(VOIDED_AT));

    // Assess
    await expect(failure).rejects.toThrow(SagaStateError);
  });
});
