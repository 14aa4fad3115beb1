import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { PurchaseRecord, PurchasesPort } from './ports.ts';

/**
 * The fields support may see, listed one by one: an allow-list, so the
 * payment token (and whatever secret a later version adds) never reaches a
 * screen, a terminal log or a --json document.
 */
const visibleFieldsSchema = z.object({
  buyerId: z.string(),
  concertId: z.string(),
  seatIds: z.array(z.string()),
  paymentRef: z.string(),
  idempotencyKey: z.string(),
  correlationId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.string(),
  total: z.object({ amount: z.number(), currency: z.string() }),
  invoiceId: z.string(),
  failureReason: z.string(),
  failureMessage: z.string(),
  failedStep: z.string(),
});

const purchaseRecordSchema = visibleFieldsSchema.partial().extend({ purchaseId: z.string(), paymentDetails: z.enum(['held', 'removed']) });

export const createDynamoDbPurchases = (documents: DynamoDBDocumentClient, tableName: string): PurchasesPort => ({
  async find(purchaseId) {
    const { Item: item } = await documents.send(new GetCommand({ TableName: tableName, Key: { purchaseId }, ConsistentRead: true }));
    if (!item) return undefined;
    // Only whether the token is there: the status projection removes it when the purchase ends.
    const fields: Record<string, unknown> = { purchaseId, paymentDetails: item.paymentToken === undefined ? 'removed' : 'held' };
    const problems: string[] = [];
    // Field by field, so one malformed attribute does not hide the rest of the record.
    for (const [field, schema] of Object.entries(visibleFieldsSchema.shape)) {
      if (item[field] === undefined) continue;
      const parsed = schema.safeParse(item[field]);
      if (parsed.success) fields[field] = parsed.data;
      else problems.push(`${field}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    }
    const record: PurchaseRecord = purchaseRecordSchema.parse(fields);
    return { record, problems };
  },
});
