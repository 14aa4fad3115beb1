import { z } from 'zod';
import type { Interceptor } from '#local/proxy/aws-json-proxy';

/**
 * Counts item writes on their way to DynamoDB Local, the way DynamoDB bills
 * them: one per Put/Update/Delete, one per item of a transaction or batch.
 * It answers "how many writes does one purchase cost?" from what the
 * functions really sent, not from a model of it. It is an interceptor of the
 * proxy the functions reach DynamoDB through (local/proxy/aws-json-proxy.ts).
 */

export interface WriteCounts {
  readonly total: number;
  readonly byOperation: Readonly<Record<string, number>>;
}

export interface DynamoDbWriteCounter {
  readonly interceptor: Interceptor;
  counts(): WriteCounts;
}

const SINGLE_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const transactSchema = z.object({ TransactItems: z.array(z.record(z.string(), z.unknown())) });
const batchSchema = z.object({ RequestItems: z.record(z.string(), z.array(z.unknown())) });

/** Items written by one request, by its X-Amz-Target operation (DynamoDB_20120810.<Operation>). */
const itemWritesOf = (operation: string, body: string): number => {
  if (SINGLE_WRITES.has(operation)) return 1;
  if (operation === 'TransactWriteItems') {
    const parsed = transactSchema.safeParse(JSON.parse(body));
    // A ConditionCheck reads, it does not write.
    return parsed.success ? parsed.data.TransactItems.filter((item) => !('ConditionCheck' in item)).length : 0;
  }
  if (operation === 'BatchWriteItem') {
    const parsed = batchSchema.safeParse(JSON.parse(body));
    return parsed.success ? Object.values(parsed.data.RequestItems).reduce((sum, writes) => sum + writes.length, 0) : 0;
  }
  return 0;
};

export const dynamoDbWriteCounter = (): DynamoDbWriteCounter => {
  const byOperation: Record<string, number> = {};
  let total = 0;
  return {
    interceptor: async (request, forward) => {
      const response = await forward();
      const writes = itemWritesOf(request.operation, request.body);
      // Count what DynamoDB accepted: a cancelled transaction or failed condition wrote nothing.
      if (writes > 0 && response.status === 200) {
        total += writes;
        byOperation[request.operation] = (byOperation[request.operation] ?? 0) + writes;
      }
      return response;
    },
    counts: () => ({ total, byOperation: { ...byOperation } }),
  };
};
