import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { purchaseIdFor } from '#domain/orders/purchase-request';
import { planBuyers } from '#tools/onsale/buyer-plan';
import { countSoldSeats, drain, outcomeMixOf } from '#tools/onsale/drain';
import { listClosedRunExecutions } from '#tools/onsale/executions';
import { checkInvariants, checkReplayLeavesProjections, type BadRequestRecord } from '#tools/onsale/invariants';
import { submitBuyers } from '#tools/onsale/submit';
import { createOnsaleConcert } from '#tools/onsale/target';
import { planBadRequests, sendBadRequests, BAD_INPUT_KINDS } from './bad-requests.ts';
import { chaosSettingsOf, type ChaosProfile, type KillPoint } from './profiles.ts';
import { countDeadLettersLeft } from './dead-letters-left.ts';
import { replayTwice } from './replay-check.ts';
import { faultTableOf, type ChaosReport } from './report.ts';
import { startChildStack, startInProcessStack, type ChaosStack } from './stack.ts';

/**
 * One chaos on-sale: the on-sale spike of `npm run onsale` with the
 * profile's faults injected by the runtime, bad input mixed in, the stack
 * killed and restarted where the profile says, then every invariant checked
 * from the data. Shared by `npm run chaos` and its end-to-end test.
 */

export interface ChaosRunOptions {
  readonly profile: ChaosProfile;
  readonly purchases: number;
  readonly seed: number;
  /** @default as many as the purchases: buyers crowd the front rows, so many still compete for seats */
  readonly seats?: number;
  readonly concurrency: number;
  readonly timeoutSeconds: number;
  /** Multiplies the state machine's Retry intervals (tests use 0.01). @default 1 */
  readonly retryDelayScale?: number;
  readonly log: (line: string) => void;
  /** Draw the progress bar on stderr while purchases end. @default true */
  readonly showProgress?: boolean;
}

const MIN_SEATS = 20;
/** Every kind of bad input at least once, however small the run. */
const MIN_BAD_REQUESTS = BAD_INPUT_KINDS.length;
/** The replay window starts a little before the first request, for clock skew between processes. */
const WINDOW_MARGIN_MS = 5_000;

const HTTP_CLIENT_ERROR = { from: 400, to: 499 } as const;
const isClientError = (status: number) => status >= HTTP_CLIENT_ERROR.from && status <= HTTP_CLIENT_ERROR.to;

const badInputSummary = (records: readonly BadRequestRecord[]): ChaosReport['outcomes']['badInput'] => {
  const byKind: Record<string, { sent: number; refused: number; statuses: Record<string, number> }> = {};
  for (const record of records) {
    const kind = (byKind[record.kind] ??= { sent: 0, refused: 0, statuses: {} });
    kind.sent++;
    if (isClientError(record.status)) kind.refused++;
    kind.statuses[String(record.status)] = (kind.statuses[String(record.status)] ?? 0) + 1;
  }
  return { sent: records.length, refused: records.filter((record) => isClientError(record.status)).length, byKind };
};

const startStack = (options: ChaosRunOptions, dataDir: string | undefined): Promise<ChaosStack> => {
  const stackOptions = {
    chaos: chaosSettingsOf(options.profile, options.seed),
    log: options.log,
    ...(options.retryDelayScale !== undefined && { retryDelayScale: options.retryDelayScale }),
  };
  return dataDir ? startChildStack(dataDir, stackOptions) : startInProcessStack(stackOptions);
};

export const runChaos = async (options: ChaosRunOptions): Promise<ChaosReport> => {
  const { profile, purchases, seed, log } = options;
  // Only a runtime in its own process can be killed; it then needs a data folder to come back to.
  const dataDir = profile.kills.length > 0 ? mkdtempSync(join(tmpdir(), 'ticketing-chaos-')) : undefined;
  log(`starting the local runtime ${dataDir ? `in a child process on ${dataDir}` : 'in this process, in memory'}, profile ${profile.name}, seed ${seed}`);
  const stack = await startStack(options, dataDir);
  let ok = false;
  try {
    const { target } = stack;
    const runId = `chaos-${Date.now().toString(36)}`;
    const hall = await createOnsaleConcert(target, options.seats ?? Math.max(MIN_SEATS, purchases), runId);
    const capacity = hall.rows * hall.seatsPerRow;
    const buyers = planBuyers(purchases, hall, seed, runId);
    const mintToken = (buyerId: string) => target.mintToken(buyerId);
    const retry = { budgetMs: profile.postRetryBudgetMs };
    log(`concert ${runId}: ${capacity} seats; ${purchases} buyers arrive, ${options.concurrency} requests in flight`);

    const startedAt = Date.now();
    const kills: Array<KillPoint & { atMs: number }> = [];
    const pending = [...profile.kills];
    const takeKill = (phase: KillPoint['phase'], share: number) => {
      const index = pending.findIndex((point) => point.phase === phase && share >= point.atShare);
      if (index < 0) return undefined;
      const [point] = pending.splice(index, 1);
      kills.push({ ...point!, atMs: Date.now() - startedAt });
      return point;
    };

    let restart: Promise<void> | undefined;
    const submitted = await submitBuyers(target.apiUrl, mintToken, runId, buyers, {
      concurrency: options.concurrency,
      retry,
      // Requests keep coming while the stack restarts, as they would from real buyers: they retry with their key.
      onAnswered: (answered) => {
        if (!restart && takeKill('submission', answered / buyers.length)) restart = stack.killAndRestart();
      },
    });
    await restart;
    const acceptedAfterMs = Date.now() - startedAt;
    log(`${submitted.accepted.length} of ${purchases} accepted (202) in ${(acceptedAfterMs / 1000).toFixed(1)} s`);

    const accepted = new Set(submitted.accepted);
    const acceptedBuyers = buyers.filter((buyer) => accepted.has(purchaseIdFor(buyer.buyerId, buyer.idempotencyKey)));
    const badPlans = planBadRequests(Math.max(MIN_BAD_REQUESTS, Math.round(purchases * profile.badInputShare)), seed, { runId, concertId: runId, hall, acceptedBuyers });
    const badRequests = await sendBadRequests(target.apiUrl, mintToken, badPlans, { concurrency: options.concurrency, retry });
    log(`${badRequests.length} bad requests sent; waiting for every accepted purchase to end...`);

    const { statuses, drained } = await drain(() => target.documentClient, target.tables.purchases, submitted.accepted, {
      startedAt,
      timeoutSeconds: options.timeoutSeconds,
      tolerateReadErrors: stack.mode === 'child',
      ...(options.showProgress !== undefined && { showProgress: options.showProgress }),
      onProgress: async (done, total) => {
        if (takeKill('drain', total === 0 ? 1 : done / total)) await stack.killAndRestart();
      },
    });
    const elapsedMs = Date.now() - startedAt;
    const mix = outcomeMixOf(submitted.accepted, statuses);
    if (!drained) log(`${mix.notTerminal} purchase(s) not terminal after ${options.timeoutSeconds} s; checking what is there`);
    if (pending.length > 0) log(`${pending.length} planned kill(s) did not happen: the run never reached them`);

    // The invariants are read from what the saga left, before the replays: a replay may repair a projection that missed events.
    const from = new Date(startedAt - WINDOW_MARGIN_MS);
    await target.settle();
    const executions = await listClosedRunExecutions(target.ops, from, submitted.accepted, startedAt + options.timeoutSeconds * 1000);
    const checked = await checkInvariants({
      documentClient: target.documentClient,
      tables: target.tables,
      archivedEvents: await target.archivedEvents(),
      purchaseIds: submitted.accepted,
      executions,
      badRequests,
    });
    log("replaying the run's archive window twice...");
    const replayed = checkReplayLeavesProjections(await replayTwice(target, runId, from, new Date(), log));
    const deadLetters = await countDeadLettersLeft(target);
    // Stable: the replay check lands right after the other half of invariant 5.
    const invariants = [...checked, replayed].sort((a, b) => a.invariant - b.invariant);

    const executionStatuses: Record<string, number> = {};
    for (const execution of executions.filter((e) => accepted.has(e.name))) executionStatuses[execution.status] = (executionStatuses[execution.status] ?? 0) + 1;
    ok = invariants.every((result) => result.ok);
    return {
      profile: profile.name,
      seed,
      startedAt: new Date(startedAt).toISOString(),
      runtime: { mode: stack.mode, ...(dataDir && { dataDir }) },
      planned: { purchases, badRequests: badPlans.length, seats: capacity },
      faults: faultTableOf(profile.rates, stack.injectedFaults()),
      kills,
      outcomes: {
        accepted: submitted.accepted.length,
        rejected: Object.fromEntries([...submitted.rejected].map(([status, n]) => [String(status), n])),
        confirmed: mix.confirmed,
        failedByReason: mix.failedByReason,
        notTerminal: mix.notTerminal,
        badInput: badInputSummary(badRequests),
        executions: executionStatuses,
        seatsSold: await countSoldSeats(target.documentClient, target.tables.seats, runId),
        deadLetters,
      },
      elapsedMs,
      acceptedAfterMs,
      purchasesPerSecond: submitted.accepted.length / Math.max(0.001, elapsedMs / 1000),
      invariants,
      ok,
    };
  } finally {
    await stack.stop();
    // A failed run keeps its data folder, for `npm start -- --data-dir` and the operator tools.
    if (dataDir && ok) rmSync(dataDir, { recursive: true, force: true });
    else if (dataDir) log(`the runtime's data is kept in ${dataDir}`);
  }
};
