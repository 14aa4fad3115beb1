import { startLocalRuntime, type LocalRuntime } from '#local/index';
import { drain } from '#tools/onsale/drain';
import { postPurchase } from '#tools/onsale/submit';
import { createOnsaleConcert, inProcessTarget, type Target } from '#tools/onsale/target';

/**
 * DynamoDB item writes of one purchase on each path, measured: purchases
 * sent one at a time to a runtime that counts the functions' writes, each
 * one waited for until it ended and the projections were delivered, so the
 * difference in the count is that purchase's and nobody else's.
 */

export interface ProbePurchase {
  /** Its name in the ledger (write-ledger.ts). */
  readonly path: string;
  readonly seatIds: readonly string[];
  readonly paymentToken: string;
}

export interface ProbeResult {
  readonly path: string;
  readonly seats: number;
  /** The status it ended with, and the failure reason if it failed. */
  readonly outcome: string;
  readonly writes: number;
  readonly byOperation: Readonly<Record<string, number>>;
}

const HTTP_ACCEPTED = 202;
const PROBE_TIMEOUT_SECONDS = 120;

const countsOf = (runtime: LocalRuntime): { readonly total: number; readonly byOperation: Readonly<Record<string, number>> } =>
  runtime.dynamoDbWrites() ?? { total: 0, byOperation: {} };

const buyOne = async (runtime: LocalRuntime, target: Target, concertId: string, purchase: ProbePurchase, index: number): Promise<ProbeResult> => {
  const before = countsOf(runtime);
  const token = await runtime.mintToken(`probe-buyer-${index}`);
  const answer = await postPurchase(target.apiUrl, {
    token,
    idempotencyKey: `${concertId}-probe-${index}`,
    body: JSON.stringify({ concertId, seatIds: purchase.seatIds, paymentToken: purchase.paymentToken }),
  });
  const purchaseId = answer.status === HTTP_ACCEPTED && typeof answer.json === 'object' && answer.json !== null && 'purchaseId' in answer.json ? String(answer.json.purchaseId) : undefined;
  if (purchaseId === undefined) throw new Error(`the ${purchase.path} probe was answered ${answer.status}`);
  const { statuses } = await drain(() => target.documentClient, target.tables.purchases, [purchaseId], {
    startedAt: Date.now(),
    timeoutSeconds: PROBE_TIMEOUT_SECONDS,
    showProgress: false,
  });
  await target.settle();
  const after = countsOf(runtime);
  const status = statuses.get(purchaseId);
  const byOperation = Object.fromEntries(
    Object.entries(after.byOperation)
      .map(([operation, n]) => [operation, n - (before.byOperation[operation] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
  return {
    path: purchase.path,
    seats: purchase.seatIds.length,
    outcome: status ? [status.status, status.failureReason].filter(Boolean).join(' ') : 'NOT ENDED',
    writes: after.total - before.total,
    byOperation,
  };
};

export const probeWrites = async (purchases: readonly ProbePurchase[], log: (line: string) => void): Promise<ProbeResult[]> => {
  const runtime = await startLocalRuntime({ inMemory: true, countDynamoDbWrites: true, log });
  try {
    const target = inProcessTarget(runtime);
    const concertId = `writes-${Date.now().toString(36)}`;
    await createOnsaleConcert(target, 25, concertId);
    const results: ProbeResult[] = [];
    // One at a time, on purpose: a purchase's writes are the counter's difference only while nothing else runs.
    for (const [index, purchase] of purchases.entries()) {
      const result = await buyOne(runtime, target, concertId, purchase, index);
      log(`writes: ${result.path} (${result.seats} seat(s)) ended ${result.outcome} after ${result.writes} item writes`);
      results.push(result);
    }
    return results;
  } finally {
    await runtime.stop();
  }
};
