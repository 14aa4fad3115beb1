import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '#local/index';
import { planBuyers } from './buyer-plan.ts';
import { countSoldSeats, drain, outcomeMixOf, type OutcomeMix } from './drain.ts';
import { listClosedRunExecutions } from './executions.ts';
import { checkInvariants, type InvariantResult } from './invariants.ts';
import { startMemorySampler } from './memory-sampler.ts';
import { submitBuyers } from './submit.ts';
import { createOnsaleConcert, inProcessTarget, runningTarget, type Target } from './target.ts';
import { runWaitingRoom, type WaitingRoomReport, type WaitingRoomSettings } from './waiting-room-run.ts';

/**
 * One on-sale spike: N buyers with overlapping seat choices hit the API at
 * once, the queue drains through the saga, then every invariant of
 * DESIGN.md is checked from the data. Against a runtime started in this
 * process (in memory), or the `npm start` already running at `api`.
 */

export interface OnsaleOptions {
  readonly buyers: number;
  readonly seats: number;
  /** The API of the runtime already running; undefined starts one in memory. */
  readonly api?: string;
  readonly concurrency: number;
  readonly seed: number;
  readonly timeoutSeconds: number;
  readonly log: (line: string) => void;
  /** Sells through the waiting room: buyers join the line and buy once admitted. Only with a runtime of its own (no `api`). */
  readonly waitingRoom?: WaitingRoomSettings;
  /**
   * Runs once the in-memory runtime is up and before the concert is created
   * (not with `api`): a benchmark measures DynamoDB Local here, on the very
   * instance the on-sale then loads.
   */
  readonly onRuntimeStarted?: (runtime: LocalRuntime) => Promise<void>;
  /** Where the in-memory runtime's function logs go, e.g. a memory sink a caller reads afterwards. @default the runtime's own */
  readonly functionLogs?: LocalRuntimeOptions['functionLogs'];
  /** Called once the run is checked, before the runtime stops: `npm run cost` counts what the runtime recorded. */
  readonly afterRun?: (run: FinishedRun) => Promise<void>;
}

/** What a caller of `afterRun` may read: the system, still up, and the run's purchases. */
export interface FinishedRun {
  readonly target: Target;
  /** The in-memory runtime, when the run started one. */
  readonly runtime?: LocalRuntime;
  readonly startedAt: Date;
  /** The purchaseIds of the requests accepted (202). */
  readonly accepted: readonly string[];
}

export interface OnsaleReport {
  readonly buyers: number;
  readonly accepted: number;
  /** Requests answered other than 202, by status. */
  readonly rejected: ReadonlyMap<number, number>;
  readonly mix: OutcomeMix;
  readonly seatsSold: number;
  readonly capacity: number;
  readonly elapsedMs: number;
  /** When the last request was accepted, from the start. */
  readonly acceptedMs: number;
  /** Item writes by the functions, when the runtime counts them. */
  readonly dynamoDbWrites?: number;
  readonly peakMemoryBytes: number;
  readonly invariants: readonly InvariantResult[];
  readonly waitingRoom?: WaitingRoomReport;
}

/**
 * The admitter runs every minute on AWS; scaled, about every 1.2 s, so a
 * line of thousands is admitted in a minute or two rather than an hour.
 */
const WAITING_ROOM_SCHEDULE_SCALE = 0.02;

export const runOnsale = async (options: OnsaleOptions): Promise<OnsaleReport> => {
  const { log } = options;
  const memory = startMemorySampler();
  const inMemory = async () => {
    const runtime = await startLocalRuntime({
      inMemory: true,
      countDynamoDbWrites: true,
      log,
      ...(options.functionLogs && { functionLogs: options.functionLogs }),
      ...(options.waitingRoom && { scheduleIntervalScale: WAITING_ROOM_SCHEDULE_SCALE }),
    });
    return { runtime, target: inProcessTarget(runtime) };
  };
  // The runtime of `npm start` admits once a minute: a line of thousands would take hours there.
  if (options.waitingRoom && options.api) throw new Error('the waiting room runs on a runtime of its own, with its schedule sped up: not with api');
  const { runtime, target } = options.api ? { runtime: undefined, target: runningTarget(options.api) } : await inMemory();
  try {
    if (runtime) await options.onRuntimeStarted?.(runtime);
    const runId = `onsale-${Date.now().toString(36)}`;
    const hall = await createOnsaleConcert(target, options.seats, runId);
    const capacity = hall.rows * hall.seatsPerRow;
    log(`concert ${runId}: ${capacity} seats; ${options.buyers} buyers arrive, ${options.concurrency} requests in flight`);
    const buyers = planBuyers(options.buyers, hall, options.seed, runId);

    const writesBefore = target.dynamoDbWrites() ?? 0;
    const startedAt = Date.now();
    const sale = options.waitingRoom
      ? await runWaitingRoom({ target, concertId: runId, buyers, settings: options.waitingRoom, concurrency: options.concurrency, timeoutSeconds: options.timeoutSeconds, log })
      : { ...(await submitBuyers(target.apiUrl, (buyerId) => target.mintToken(buyerId), runId, buyers, { concurrency: options.concurrency })), report: undefined };
    const { accepted, rejected } = sale;
    const acceptedMs = Date.now() - startedAt;
    log(`${accepted.length} accepted (202) in ${(acceptedMs / 1000).toFixed(1)} s; draining the queue...`);
    const { statuses, drained } = await drain(() => target.documentClient, target.tables.purchases, accepted, { startedAt, timeoutSeconds: options.timeoutSeconds });
    if (!drained) log(`the queue did not drain within ${options.timeoutSeconds} s`);
    const elapsedMs = Date.now() - startedAt;
    await target.settle();

    const seatsSold = await countSoldSeats(target.documentClient, target.tables.seats, runId);
    const writes = target.dynamoDbWrites();
    const invariants = await checkInvariants({
      documentClient: target.documentClient,
      tables: target.tables,
      archivedEvents: await target.archivedEvents(),
      purchaseIds: accepted,
      executions: await listClosedRunExecutions(target.ops, new Date(startedAt), accepted, startedAt + options.timeoutSeconds * 1000),
    });
    await options.afterRun?.({ target, ...(runtime && { runtime }), startedAt: new Date(startedAt), accepted });
    memory.stop();
    return {
      buyers: options.buyers,
      accepted: accepted.length,
      rejected,
      mix: outcomeMixOf(accepted, statuses),
      seatsSold,
      capacity,
      elapsedMs,
      acceptedMs,
      ...(writes !== undefined && { dynamoDbWrites: writes - writesBefore }),
      peakMemoryBytes: memory.peakBytes(),
      invariants,
      ...(sale.report && { waitingRoom: sale.report }),
    };
  } finally {
    memory.stop();
    await target.stop();
  }
};
