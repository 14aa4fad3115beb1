import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';
import { startLocalRuntime } from '#local/index';
import { planBuyers } from '#tools/onsale/buyer-plan';
import { postPurchase, type RetryPolicy } from '#tools/onsale/submit';
import { createOnsaleConcert, inProcessTarget } from '#tools/onsale/target';
import type { Figure } from './figures.ts';
import { percentile, perSecond } from './stats.ts';

/**
 * The accept path under a burst: every buyer's POST /purchases at once (as
 * many in flight as asked), each answer timed. No retry: a 5xx or a refused
 * connection is what the burst is meant to reveal, so it counts as an error
 * rather than being absorbed as `npm run onsale`'s careful client would.
 */

const NO_RETRY: RetryPolicy = { budgetMs: 0 };
const HTTP_ACCEPTED = 202;

export interface BurstOptions {
  readonly requests: number;
  readonly seats: number;
  readonly concurrency: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}

export interface BurstResult {
  readonly requests: number;
  readonly accepted: number;
  readonly elapsedMs: number;
  /** Latency of each 202, in ms. */
  readonly acceptedLatenciesMs: readonly number[];
  /** Answers other than 202 by status, and "network" for requests that got no answer. */
  readonly errors: Readonly<Record<string, number>>;
}

export interface BurstFigures {
  readonly acceptedPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly errors: number;
}

export const burstFiguresOf = (result: BurstResult): BurstFigures => ({
  acceptedPerSecond: perSecond(result.accepted, result.elapsedMs),
  p50Ms: percentile(result.acceptedLatenciesMs, 50),
  p99Ms: percentile(result.acceptedLatenciesMs, 99),
  maxMs: percentile(result.acceptedLatenciesMs, 100),
  errors: Object.values(result.errors).reduce((sum, n) => sum + n, 0),
});

export const runBurst = async (options: BurstOptions): Promise<BurstResult> => {
  const runtime = await startLocalRuntime({ inMemory: true, log: options.log });
  try {
    const target = inProcessTarget(runtime);
    const runId = `burst-${Date.now().toString(36)}`;
    const hall = await createOnsaleConcert(target, options.seats, runId);
    const buyers = planBuyers(options.requests, hall, options.seed, runId);
    // Tokens first: signing is the client's work, not the accept path's.
    const tokens = await Promise.all(buyers.map((buyer) => runtime.mintToken(buyer.buyerId)));
    options.log(`${options.requests} requests, ${options.concurrency} in flight`);
    const latencies: number[] = [];
    const errors: Record<string, number> = {};
    const startedAt = performance.now();
    await mapWithConcurrency(buyers, options.concurrency, async (buyer, index) => {
      const sentAt = performance.now();
      const request = { token: tokens[index] ?? '', idempotencyKey: buyer.idempotencyKey, body: JSON.stringify({ concertId: runId, seatIds: buyer.seatIds, paymentToken: buyer.paymentToken }) };
      const kind = await postPurchase(target.apiUrl, request, NO_RETRY).then(
        (answer) => (answer.status === HTTP_ACCEPTED ? undefined : String(answer.status)),
        () => 'network',
      );
      if (kind === undefined) latencies.push(performance.now() - sentAt);
      else errors[kind] = (errors[kind] ?? 0) + 1;
    });
    const elapsedMs = performance.now() - startedAt;
    return { requests: options.requests, accepted: latencies.length, elapsedMs, acceptedLatenciesMs: latencies, errors };
  } finally {
    // The saga is still draining the burst: nothing of it is measured, and the runtime keeps nothing.
    await runtime.stop();
  }
};

export const burstFigures = (result: BurstResult, concurrency: number): Figure[] => {
  const figures = burstFiguresOf(result);
  const errorKinds = Object.entries(result.errors).map(([kind, n]) => `${n} x ${kind}`).join(', ');
  const latency = (id: string, label: string, value: number): Figure => ({ id: `burst.${id}`, section: 'burst', label: `${label} latency of the 202s`, value, unit: 'ms' });
  return [
    {
      id: 'burst.accepted-per-second',
      section: 'burst',
      label: `accepted (202) per second, ${result.accepted} of ${result.requests}`,
      value: figures.acceptedPerSecond,
      unit: 'per-second',
      note: `burst: ${result.requests} POST /purchases from distinct buyers, ${concurrency} in flight, no retries, against an in-memory runtime; latency from send to the whole answer read`,
    },
    latency('p50', 'p50', figures.p50Ms),
    latency('p99', 'p99', figures.p99Ms),
    latency('max', 'max', figures.maxMs),
    { id: 'burst.errors', section: 'burst', label: `errors${errorKinds ? ` (${errorKinds})` : ''}`, value: figures.errors, unit: 'count' },
  ];
};
