import { z } from 'zod';
import type { Interceptor, ProxiedResponse } from '#local/proxy/aws-json-proxy';
import { withJsonBody } from '#local/proxy/aws-json-proxy';

/**
 * Counts item writes on their way to DynamoDB Local, the way DynamoDB bills
 * them: one per Put/Update/Delete, one per item of a transaction or batch.
 * It answers "how many writes does one purchase cost?" from what the
 * functions really sent, not from a model of it. It is an interceptor of the
 * proxy the functions reach DynamoDB through (local/proxy/aws-json-proxy.ts).
 *
 * It also counts the capacity units of every request, by table: it asks
 * DynamoDB Local for them (ReturnConsumedCapacity), which sizes items as
 * DynamoDB does, and doubles a transaction's, as DynamoDB bills them and
 * DynamoDB Local does not. The function gets the answer it asked for.
 */

interface CapacityUnits {
  readonly read: number;
  readonly write: number;
}

export interface WriteCounts {
  readonly total: number;
  readonly byOperation: Readonly<Record<string, number>>;
  /** Capacity units consumed by the requests DynamoDB accepted, by table name. */
  readonly unitsByTable: Readonly<Record<string, CapacityUnits>>;
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

const WRITE_OPERATIONS = new Set([...SINGLE_WRITES, 'TransactWriteItems', 'BatchWriteItem']);
const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
/** DynamoDB bills a transaction's items twice: once to prepare, once to commit. */
const TRANSACTIONS = new Set(['TransactWriteItems', 'TransactGetItems']);

/** The JSON of a body, or undefined: an answer that is not JSON is passed on untouched. */
const jsonOf = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const requestSchema = z.object({ ReturnConsumedCapacity: z.string().optional() }).passthrough();
const consumedSchema = z.object({ TableName: z.string(), CapacityUnits: z.number() });
const responseSchema = z.object({ ConsumedCapacity: z.union([consumedSchema, z.array(consumedSchema)]).optional() }).passthrough();

export const dynamoDbWriteCounter = (): DynamoDbWriteCounter => {
  const byOperation: Record<string, number> = {};
  const unitsByTable: Record<string, { read: number; write: number }> = {};
  let total = 0;

  const addUnits = (operation: string, response: ProxiedResponse, callerAsked: boolean): ProxiedResponse => {
    const parsed = responseSchema.safeParse(jsonOf(response.body.toString('utf8')));
    if (!parsed.success || parsed.data.ConsumedCapacity === undefined) return response;
    const consumed = [parsed.data.ConsumedCapacity].flat();
    const factor = TRANSACTIONS.has(operation) ? 2 : 1;
    const kind = WRITE_OPERATIONS.has(operation) ? 'write' : 'read';
    for (const { TableName, CapacityUnits } of consumed) {
      const table = (unitsByTable[TableName] ??= { read: 0, write: 0 });
      table[kind] += CapacityUnits * factor;
    }
    if (callerAsked) return response;
    const { ConsumedCapacity: _counted, ...answer } = parsed.data;
    return withJsonBody(response, answer);
  };

  return {
    interceptor: async (request, forward) => {
      const metered = WRITE_OPERATIONS.has(request.operation) || READ_OPERATIONS.has(request.operation);
      const parsedRequest = metered ? requestSchema.safeParse(jsonOf(request.body)) : undefined;
      const callerAsked = parsedRequest?.data?.ReturnConsumedCapacity !== undefined && parsedRequest.data.ReturnConsumedCapacity !== 'NONE';
      const response = await forward(parsedRequest?.success && !callerAsked ? JSON.stringify({ ...parsedRequest.data, ReturnConsumedCapacity: 'TOTAL' }) : undefined);
      if (response.status !== 200) return response;
      const writes = itemWritesOf(request.operation, request.body);
      // Count what DynamoDB accepted: a cancelled transaction or failed condition wrote nothing.
      if (writes > 0) {
        total += writes;
        byOperation[request.operation] = (byOperation[request.operation] ?? 0) + writes;
      }
      return parsedRequest?.success ? addUnits(request.operation, response, callerAsked) : response;
    },
    counts: () => ({
      total,
      byOperation: { ...byOperation },
      unitsByTable: Object.fromEntries(Object.entries(unitsByTable).map(([table, units]) => [table, { ...units }])),
    }),
  };
};
