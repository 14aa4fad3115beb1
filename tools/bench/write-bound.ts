import { ConditionalCheckFailedException, CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION, type LocalRuntime } from '#local/index';
import { perSecond } from './stats.ts';

/**
 * The ceiling DynamoDB Local puts on the on-sale: how many conditional item
 * writes per second it takes on this machine, measured against the same
 * DynamoDB Local the on-sale then uses, through the endpoint the functions
 * use, with as many writes in flight as the functions can have. The writes
 * are the functions' kinds: a conditional PutItem of a new item (a purchase,
 * an idempotency record) and a conditional UpdateItem of an existing one on
 * its version (a seat, a payment), alternating.
 */

interface WriteBoundLevel {
  readonly concurrency: number;
  readonly writesPerSecond: number;
}

export interface WriteBound {
  readonly levels: readonly WriteBoundLevel[];
  /** The best level: the most the functions could get out of DynamoDB Local. */
  readonly writesPerSecond: number;
  readonly concurrency: number;
  readonly secondsPerLevel: number;
}

/**
 * The write concurrencies the template allows the functions: the SQS
 * poller's MaximumConcurrency, and each function's cap (its reserved
 * concurrency, within the local runtime's per-function limit).
 */
export const functionWriteConcurrencies = (app: LocalRuntime['app'], localFunctionLimit: number): number[] => {
  const pollers = app.eventSourceMappings.flatMap((m) => (m.maximumConcurrency !== undefined ? [m.maximumConcurrency] : []));
  const functions = app.functions.map((fn) => Math.min(localFunctionLimit, fn.reservedConcurrency ?? localFunctionLimit));
  return [...new Set([...pollers, ...functions])].sort((a, b) => a - b);
};

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const WARM_UP_MS = 500;

const writesAt = async (client: DynamoDBClient, tableName: string, concurrency: number, durationMs: number, level: number): Promise<number> => {
  let writes = 0;
  let counting = false;
  let stop = false;
  const worker = async (workerIndex: number) => {
    const key = { S: `level-${level}-worker-${workerIndex}` };
    await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: key, version: { N: '0' } } }));
    for (let version = 0, n = 0; !stop; n++) {
      if (n % 2 === 0) {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { pk: { S: `${key.S}-${n}` }, version: { N: '0' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } else {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: key },
            UpdateExpression: 'SET version = :next',
            ConditionExpression: 'version = :current',
            ExpressionAttributeValues: { ':current': { N: String(version) }, ':next': { N: String(version + 1) } },
          }),
        );
        version++;
      }
      if (counting) writes++;
    }
  };
  const running = Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  counting = true;
  const startedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  counting = false;
  const elapsedMs = Date.now() - startedAt;
  stop = true;
  await running;
  return perSecond(writes, elapsedMs);
};

export interface WriteBoundOptions {
  readonly endpoint: string;
  readonly concurrencies: readonly number[];
  readonly secondsPerLevel: number;
  readonly log?: (line: string) => void;
}

export const measureWriteBound = async (options: WriteBoundOptions): Promise<WriteBound> => {
  const client = new DynamoDBClient({ endpoint: options.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const tableName = `bench-write-bound-${Date.now().toString(36)}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  try {
    const levels: WriteBoundLevel[] = [];
    for (const [level, concurrency] of options.concurrencies.entries()) {
      const writesPerSecond = await writesAt(client, tableName, concurrency, options.secondsPerLevel * 1000, level);
      options.log?.(`write bound: ${writesPerSecond.toFixed(0)} conditional writes/s with ${concurrency} in flight`);
      levels.push({ concurrency, writesPerSecond });
    }
    const best = levels.reduce<WriteBoundLevel | undefined>((top, l) => (top === undefined || l.writesPerSecond > top.writesPerSecond ? l : top), undefined);
    return { levels, writesPerSecond: best?.writesPerSecond ?? Number.NaN, concurrency: best?.concurrency ?? 0, secondsPerLevel: options.secondsPerLevel };
  } catch (error) {
    // Every write above is on the worker's own items: a failed condition would be a bug of this module, not contention.
    if (error instanceof ConditionalCheckFailedException) throw new Error('the write bound lost track of its own item versions', { cause: error });
    throw error;
  } finally {
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    client.destroy();
  }
};
