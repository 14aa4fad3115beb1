import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SagaStateError } from '#domain/errors';
import { TABLES } from '#domain/tables';
import { invoiceSchema } from './invoice.ts';
import type { InvoiceStore } from './ports.ts';

export interface DynamoDbInvoiceStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

const KEY = TABLES.invoices.partitionKey;

const isConditionalCheckFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** Invoices keyed by purchaseId: a conditional put makes the first invoice the only one. */
export const createDynamoDbInvoiceStore = ({ client, tableName }: DynamoDbInvoiceStoreOptions): InvoiceStore => ({
  async createOnce(invoice) {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: invoice,
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': KEY },
        }),
      );
      return invoice;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
    const existing = await client.send(new GetCommand({ TableName: tableName, Key: { [KEY]: invoice.purchaseId }, ConsistentRead: true }));
    if (!existing.Item) throw new SagaStateError(`The invoice of purchase ${invoice.purchaseId} exists but cannot be read`);
    return invoiceSchema.parse(existing.Item);
  },
});
