import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createProgressWriter } from './progress-bar.ts';

/** Waiting for the accepted purchases to end, and what they ended as, read from the purchases table. */

const purchaseStatusSchema = z.object({ purchaseId: z.string(), status: z.string(), failureReason: z.string().optional() }).loose();
export type PurchaseStatus = z.infer<typeof purchaseStatusSchema>;

const isTerminalStatus = (status: string): boolean => status === 'CONFIRMED' || status === 'FAILED';

const readStatuses = async (client: DynamoDBDocumentClient, purchasesTable: string, ids: ReadonlySet<string>): Promise<Map<string, PurchaseStatus>> => {
  const statuses = new Map<string, PurchaseStatus>();
  const pages = paginateScan(
    { client },
    { TableName: purchasesTable, ProjectionExpression: 'purchaseId, #s, failureReason', ExpressionAttributeNames: { '#s': 'status' } },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const purchase = purchaseStatusSchema.parse(item);
      if (ids.has(purchase.purchaseId)) statuses.set(purchase.purchaseId, purchase);
    }
  }
  return statuses;
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
  let statuses = new Map<string, PurchaseStatus>();
  for (;;) {
    try {
      statuses = await readStatuses(client(), purchasesTable, ids);
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
