import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { TABLES } from '#domain/tables';
import type { FindPaymentDetails } from '../payment-provider.ts';

const paymentDetailsItemSchema = z.object({
  paymentToken: z.string().min(1),
  paymentRef: z.string().min(1),
});

export interface DynamoDbPaymentDetailsOptions {
  readonly client: DynamoDBDocumentClient;
  /** The purchases table, where create-purchase stored the token. */
  readonly tableName: string;
}

/**
 * Reads only the payment attributes of the purchase record, strongly
 * consistent (it was written just before). Finds none once the purchase
 * ended: the update that ends it removes the token.
 */
export const createDynamoDbPaymentDetails =
  ({ client, tableName }: DynamoDbPaymentDetailsOptions): FindPaymentDetails =>
  async (purchaseId) => {
    const response = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { [TABLES.purchases.partitionKey]: purchaseId },
        ProjectionExpression: 'paymentToken, paymentRef',
        ConsistentRead: true,
      }),
    );
    if (!response.Item) return undefined;
    const parsed = paymentDetailsItemSchema.safeParse(response.Item);
    // Never echo the item: it holds the token.
    if (!parsed.success) return undefined;
    return { token: parsed.data.paymentToken, paymentRef: parsed.data.paymentRef };
  };
