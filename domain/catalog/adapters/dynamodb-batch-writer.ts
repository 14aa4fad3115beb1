import { BatchWriteCommand, type BatchWriteCommandInput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchWriteItem takes at most 25 requests per call. */
const MAX_BATCH_WRITE_ITEMS = 25;
const DEFAULT_MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 50;
const MAX_DELAY_MS = 2_000;

type WriteRequest =
  | { readonly PutRequest: { readonly Item: Record<string, unknown> } }
  | { readonly DeleteRequest: { readonly Key: Record<string, unknown> } };

export interface TableWrite {
  readonly tableName: string;
  readonly request: WriteRequest;
}

export class BatchWriteIncompleteError extends Error {
  override readonly name = 'BatchWriteIncompleteError';
  constructor(readonly unprocessed: number, attempts: number) {
    super(`DynamoDB left ${unprocessed} write(s) unprocessed after ${attempts} attempts`);
  }
}

export interface BatchWriterOptions {
  readonly client: DynamoDBDocumentClient;
  /** Calls per batch before giving up on writes DynamoDB keeps returning as unprocessed. @default 8 */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type RequestItems = NonNullable<BatchWriteCommandInput['RequestItems']>;

const groupByTable = (writes: readonly TableWrite[]): RequestItems => {
  const items: RequestItems = {};
  for (const { tableName, request } of writes) (items[tableName] ??= []).push({ ...request });
  return items;
};

const countRequests = (items: RequestItems | undefined): number =>
  Object.values(items ?? {}).reduce((sum, requests) => sum + requests.length, 0);

/**
 * Writes any number of puts and deletes, 25 per BatchWriteItem call. Writes
 * DynamoDB returns as UnprocessedItems (throttling) are sent again with
 * exponential backoff; if some are still unprocessed after `maxAttempts`
 * calls, it throws rather than report a partial write as done.
 */
export const createBatchWriter = (options: BatchWriterOptions) => {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const sleep = options.sleep ?? defaultSleep;

  const writeBatch = async (batch: readonly TableWrite[]) => {
    let pending: RequestItems = groupByTable(batch);
    for (let attempt = 1; ; attempt++) {
      const { UnprocessedItems } = await options.client.send(new BatchWriteCommand({ RequestItems: pending }));
      const left = countRequests(UnprocessedItems);
      if (!UnprocessedItems || left === 0) return;
      if (attempt >= maxAttempts) throw new BatchWriteIncompleteError(left, attempt);
      pending = UnprocessedItems;
      await sleep(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)));
    }
  };

  return async (writes: readonly TableWrite[], onProgress?: (done: number, total: number) => void): Promise<void> => {
    for (let start = 0; start < writes.length; start += MAX_BATCH_WRITE_ITEMS) {
      const batch = writes.slice(start, start + MAX_BATCH_WRITE_ITEMS);
      await writeBatch(batch);
      onProgress?.(start + batch.length, writes.length);
    }
  };
};
