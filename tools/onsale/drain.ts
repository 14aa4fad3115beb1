import { BatchGetCommand, paginateScan, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createProgressWriter } from './progress-bar.ts';

/** Waiting for the accepted purchases to end, and what they ended as, read from the purchases table. */

const purchaseStatusSchema = z.object({ purchaseId: z.string(), status: z.string(), failureReason: z.string().optional() }).loose();
export type PurchaseStatus = z.infer<typeof purchaseStatusSchema>;

const isTerminalStatus = (status: string): boolean => status === 'CONFIRMED' || status === 'FAILED';

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_KEYS = 100;

/**
 * The statuses of these purchases, read by key. Only purchases not yet
 * terminal are read again at each round: a scan of the whole table every
 * second cost DynamoDB Local more the longer the on-sale ran (ten thousand
 * items a second at the end of a large one), time the on-sale it measures
 * could not use. A purchase that is not there yet is left out.
 */
const readStatuses = async (client: DynamoDBDocumentClient, purchasesTable: string, ids: readonly string[]): Promise<PurchaseStatus[]> => {
  const read: PurchaseStatus[] = [];
  for (let start = 0; start < ids.length; start += BATCH_GET_KEYS) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(start, start + BATCH_GET_KEYS).map((purchaseId) => ({ purchaseId }));
    while (keys && keys.length > 0) {
      const response: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [purchasesTable]: { Keys: keys, ProjectionExpression: 'purchaseId, #s, failureReason', ExpressionAttributeNames: { '#s': 'status' } },
          },
        }),
      );
      for (const item of response.Responses?.[purchasesTable] ?? []) read.push(purchaseStatusSchema.parse(item));
      // Keys DynamoDB did not get to this time are asked again.
      keys = response.UnprocessedKeys?.[purchasesTable]?.Keys;
    }
  }
  return read;
};

export const countSoldSeats = async (client: DynamoDBDocumentClient, seatsTable: string, concertId: string): Promise<number> => {
  let sold = 0;
  const pages = paginateScan(
    { client },
    {
      TableName: seatsTable,
      FilterExpression: 'concertId = :concertId AND #s = :sold',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':concertId': concertId, ':sold': 'SOLD' },
      Select: 'COUNT',
    },
  );
  for await (const page of pages) sold += page.Count ?? 0;
  return sold;
};

export interface OutcomeMix {
  readonly confirmed: number;
  readonly failedByReason: Record<string, number>;
  /** Accepted purchases still QUEUED, RESERVED or PAID (or missing) when the wait ended. */
  readonly notTerminal: number;
}

export const outcomeMixOf = (accepted: readonly string[], statuses: ReadonlyMap<string, PurchaseStatus>): OutcomeMix => {
  const failedByReason: Record<string, number> = {};
  let confirmed = 0;
  let notTerminal = 0;
  for (const purchaseId of accepted) {
    const purchase = statuses.get(purchaseId);
    if (purchase?.status === 'CONFIRMED') confirmed++;
    else if (purchase?.status === 'FAILED') {
      const reason = purchase.failureReason ?? 'UNKNOWN';
      failedByReason[reason] = (failedByReason[reason] ?? 0) + 1;
    } else notTerminal++;
  }
  return { confirmed, failedByReason, notTerminal };
};

export interface DrainOptions {
  readonly startedAt: number;
  readonly timeoutSeconds: number;
  /** Called after each read with how many are terminal; a chaos run kills the runtime from here. */
  readonly onProgress?: (done: number, total: number) => Promise<void> | void;
  /** Keep waiting through read errors (the runtime is being restarted); otherwise they end the wait. */
  readonly tolerateReadErrors?: boolean;
  /** Draw the progress bar on stderr. @default true */
  readonly showProgress?: boolean;
}

export interface DrainResult {
  readonly statuses: Map<string, PurchaseStatus>;
  /** False when the deadline passed with purchases not terminal: the invariants then say which. */
  readonly drained: boolean;
}

const pause = (ms: number) => new Promise<void>((resolvePause) => setTimeout(resolvePause, ms));

/** Reads the statuses every second, with a progress bar on stderr, until every accepted purchase is terminal or the deadline passes. */
export const drain = async (client: () => DynamoDBDocumentClient, purchasesTable: string, accepted: readonly string[], options: DrainOptions): Promise<DrainResult> => {
  const ids = new Set(accepted);
  const progress = options.showProgress === false ? { update: () => undefined, finish: () => undefined } : createProgressWriter(process.stderr);
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  // A terminal status is final: it is kept, and only the others are read again.
  const statuses = new Map<string, PurchaseStatus>();
  for (;;) {
    const open = [...ids].filter((purchaseId) => !isTerminalStatus(statuses.get(purchaseId)?.status ?? ''));
    try {
      for (const purchase of await readStatuses(client(), purchasesTable, open)) statuses.set(purchase.purchaseId, purchase);
    } catch (error) {
      if (!options.tolerateReadErrors) throw error;
    }
    const values = [...statuses.values()];
    const done = values.filter((purchase) => isTerminalStatus(purchase.status)).length;
    const confirmed = values.filter((purchase) => purchase.status === 'CONFIRMED').length;
    progress.update({ done, total: ids.size, confirmed, failed: done - confirmed, elapsedMs: Date.now() - options.startedAt });
    await options.onProgress?.(done, ids.size);
    if (done === ids.size || Date.now() > deadline) {
      progress.finish();
      return { statuses, drained: done === ids.size };
    }
    await pause(1_000);
  }
};
