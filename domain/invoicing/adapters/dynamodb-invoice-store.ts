import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { InvoiceVoidedError, SagaStateError } from '#domain/errors';
import { TABLES } from '#domain/tables';
import { invoiceSchema, type Invoice } from '../invoice.ts';
import type { InvoiceStore } from '../ports.ts';

export interface DynamoDbInvoiceStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

const KEY = TABLES.invoices.partitionKey;

/**
 * A purchase's invoices item: its invoice, possibly voided, or only a void
 * mark left by VoidInvoice before any invoice existed.
 */
const voidMarkSchema = z.object({ [KEY]: z.string(), voidedAt: z.iso.datetime() });

const isConditionalCheckFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

const invoiceIn = (item: Record<string, unknown>): Invoice | undefined => {
  const invoice = invoiceSchema.safeParse(item);
  if (invoice.success) return invoice.data;
  if (voidMarkSchema.safeParse(item).success) return undefined;
  throw new SagaStateError(`The invoices item of purchase ${String(item[KEY])} is neither an invoice nor a void mark`);
};

/**
 * Invoices keyed by purchaseId: a conditional put makes the first invoice the
 * only one, and a void mark written first makes any later one impossible
 * (a CreateInvoice that answered too late for its saga cannot issue it).
 */
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
    const stored = invoiceIn(existing.Item);
    if (!stored || stored.voidedAt) throw new InvoiceVoidedError(`The invoicing of purchase ${invoice.purchaseId} was voided`);
    return stored;
  },

  async voidOnce(purchaseId, at) {
    const response = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { [KEY]: purchaseId },
        UpdateExpression: 'SET #voidedAt = if_not_exists(#voidedAt, :at)',
        ExpressionAttributeNames: { '#voidedAt': 'voidedAt' },
        ExpressionAttributeValues: { ':at': at.toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return response.Attributes ? invoiceIn(response.Attributes) : undefined;
  },
});
