import { z } from 'zod';
import { eventArchiveNameOf } from '#local/arns';
import type { EventArchive } from './archives.ts';
import type { EventEnvelope } from './envelope.ts';
import type { DeliveryLogger } from './delivery.ts';
import type { EventBridgeStorage } from './storage.ts';

export const REPLAY_STATES = ['STARTING', 'RUNNING', 'CANCELLING', 'COMPLETED', 'CANCELLED', 'FAILED'] as const;
export type ReplayState = (typeof REPLAY_STATES)[number];

const destinationSchema = z.object({ Arn: z.string(), FilterArns: z.array(z.string()).optional() });
export type ReplayDestination = z.infer<typeof destinationSchema>;

/** A replay as persisted; times are epoch milliseconds. */
const replayRecordSchema = z.object({
  ReplayName: z.string(),
  ReplayArn: z.string(),
  Description: z.string().optional(),
  EventSourceArn: z.string(),
  Destination: destinationSchema,
  EventStartTime: z.number(),
  EventEndTime: z.number(),
  State: z.enum(REPLAY_STATES),
  StateReason: z.string().optional(),
  ReplayStartTime: z.number(),
  ReplayEndTime: z.number().optional(),
  EventLastReplayedTime: z.number().optional(),
});
type ReplayRecord = z.infer<typeof replayRecordSchema>;
const REPLAYS_DOCUMENT = 'replays';

export type NewReplay = Pick<ReplayRecord, 'ReplayName' | 'ReplayArn' | 'Description' | 'EventSourceArn' | 'Destination' | 'EventStartTime' | 'EventEndTime'>;

/** DescribeReplay's shape; ListReplays returns the same minus ReplayArn, Description and Destination. */
export interface ReplayDescription {
  readonly ReplayName: string;
  readonly ReplayArn: string;
  readonly Description?: string;
  readonly EventSourceArn: string;
  readonly Destination: ReplayDestination;
  readonly State: ReplayState;
  readonly StateReason?: string;
  readonly EventStartTime: Date;
  readonly EventEndTime: Date;
  readonly EventLastReplayedTime?: Date;
  readonly ReplayStartTime: Date;
  readonly ReplayEndTime?: Date;
}

const describe = (record: ReplayRecord): ReplayDescription => ({
  ...record,
  EventStartTime: new Date(record.EventStartTime),
  EventEndTime: new Date(record.EventEndTime),
  ReplayStartTime: new Date(record.ReplayStartTime),
  EventLastReplayedTime: record.EventLastReplayedTime === undefined ? undefined : new Date(record.EventLastReplayedTime),
  ReplayEndTime: record.ReplayEndTime === undefined ? undefined : new Date(record.ReplayEndTime),
});

/** What a replay needs from the bus. */
export interface ReplayHost {
  archiveNamed(name: string): EventArchive | undefined;
  /** Delivers one replayed event to the destination bus's rules (only FilterArns when given); settles with its deliveries. */
  redeliver(event: EventEnvelope, destination: ReplayDestination, ingestedAt: number): Promise<void>;
}

export interface ReplayOptions {
  readonly now: () => number;
  /** Events sent together; progress (EventLastReplayedTime) advances and is saved once per batch. */
  readonly batchSize: number;
  /**
   * Replayed events whose deliveries may be unsettled at once: a batch is
   * sent when there is room for it, so a consumer failing an event (and
   * retrying it for minutes) slows the replay only once this many wait.
   */
  readonly maxUnsettledEvents: number;
  readonly logger: DeliveryLogger;
}

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

/** The deliveries a replay has started and not yet seen settle; the first failure to send one fails the replay. */
class UnsettledDeliveries {
  private readonly pending = new Set<Promise<void>>();
  private failure: { readonly error: unknown } | undefined;

  add(delivery: Promise<void>) {
    const tracked: Promise<void> = delivery
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Resolves once `count` more fit under `limit` (at once when nothing is pending); rejects with the first failure. */
  async roomFor(count: number, limit: number): Promise<void> {
    while (this.pending.size > 0 && this.pending.size + count > limit) {
      this.throwFailure();
      await Promise.race(this.pending);
    }
    this.throwFailure();
  }

  async allSettled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
    this.throwFailure();
  }

  private throwFailure() {
    if (this.failure) throw this.failure.error;
  }
}

/**
 * Runs replays: STARTING, then RUNNING while archived events in the window
 * are re-delivered with `replay-name` added, then COMPLETED once every
 * delivery has settled. As on AWS, sending an event does not wait for the
 * deliveries of the ones before it, which a target may be retrying for
 * minutes: EventLastReplayedTime is the time of the last event sent. Order
 * is not guaranteed either: batches go in archive order, but their events
 * are delivered concurrently.
 * Replays are saved at every step; one interrupted by a stop or a crash
 * starts over from its first event when the runtime restarts (consumers are
 * idempotent, as they must be for AWS replays too).
 */
export class ReplayManager {
  private readonly replays = new Map<string, ReplayRecord>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private announceStop: () => void = () => undefined;
  private readonly stopping = new Promise<void>((resolve) => {
    this.announceStop = resolve;
  });

  private constructor(
    private readonly storage: EventBridgeStorage,
    private readonly host: ReplayHost,
    private readonly options: ReplayOptions,
  ) {}

  static async open(storage: EventBridgeStorage, host: ReplayHost, options: ReplayOptions): Promise<ReplayManager> {
    const manager = new ReplayManager(storage, host, options);
    const saved = (await storage.readDocument(REPLAYS_DOCUMENT, z.array(replayRecordSchema))) ?? [];
    for (const record of saved) manager.replays.set(record.ReplayName, record);
    for (const record of saved) {
      if (record.State === 'CANCELLING') manager.update(record, { State: 'CANCELLED', ReplayEndTime: options.now() });
      if (record.State === 'STARTING' || record.State === 'RUNNING') manager.launch(record);
    }
    await manager.save();
    return manager;
  }

  has(name: string) {
    return this.replays.has(name);
  }

  async start(replay: NewReplay): Promise<ReplayDescription> {
    const record: ReplayRecord = { ...replay, State: 'STARTING', ReplayStartTime: this.options.now() };
    this.replays.set(record.ReplayName, record);
    await this.save();
    this.launch(record);
    return describe(record);
  }

  describe(name: string): ReplayDescription | undefined {
    const record = this.replays.get(name);
    return record && describe(record);
  }

  list(): ReplayDescription[] {
    return [...this.replays.values()].map(describe);
  }

  /** Returns the new state, or undefined when the replay is past cancelling. */
  async cancel(name: string): Promise<ReplayState | undefined> {
    const record = this.replays.get(name);
    if (!record || (record.State !== 'STARTING' && record.State !== 'RUNNING')) return undefined;
    this.update(record, { State: 'CANCELLING' });
    await this.save();
    return 'CANCELLING';
  }

  async whenIdle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Stops between batches and leaves running replays as they are, to resume on the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.announceStop();
    await this.whenIdle();
  }

  private launch(record: ReplayRecord) {
    const run = Promise.resolve()
      .then(() => this.run(record.ReplayName))
      .catch((error: unknown) => this.options.logger.warn(`replay ${record.ReplayName} could not save its state: ${String(error)}`))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async run(name: string): Promise<void> {
    const record = this.replays.get(name);
    if (!record || this.stopped) return;
    this.update(record, { State: 'RUNNING', EventLastReplayedTime: undefined });
    await this.save();
    const deliveries = new UnsettledDeliveries();
    try {
      const archiveName = eventArchiveNameOf(record.EventSourceArn) ?? '';
      const archive = this.host.archiveNamed(archiveName);
      if (!archive) throw new Error(`archive ${archiveName} no longer exists`);
      const events = archive.eventsBetween(record.EventStartTime, record.EventEndTime, this.options.now());
      for (const batch of chunk(events, this.options.batchSize)) {
        await this.untilStopped(deliveries.roomFor(batch.length, this.options.maxUnsettledEvents));
        if (this.stopped) return;
        if (this.current(name).State === 'CANCELLING') break;
        const ingestedAt = this.options.now();
        for (const event of batch) deliveries.add(this.host.redeliver({ ...event, 'replay-name': name }, record.Destination, ingestedAt));
        const lastTime = Math.max(...batch.map((event) => Date.parse(event.time)), this.current(name).EventLastReplayedTime ?? 0);
        this.update(this.current(name), { EventLastReplayedTime: lastTime });
        await this.save();
      }
      // A stop leaves the replay RUNNING, to run again from its start; the bus abandons the retries still pending.
      await this.untilStopped(deliveries.allSettled());
      if (this.stopped) return;
      await this.finish(name, this.current(name).State === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED');
    } catch (error) {
      await this.finish(name, 'FAILED', error instanceof Error ? error.message : String(error));
    }
  }

  /** Waits for `work`, or only until the manager is stopped. */
  private untilStopped(work: Promise<void>): Promise<void> {
    return Promise.race([work, this.stopping]);
  }

  private current(name: string): ReplayRecord {
    const record = this.replays.get(name);
    if (!record) throw new Error(`replay ${name} vanished`);
    return record;
  }

  private async finish(name: string, state: 'COMPLETED' | 'CANCELLED' | 'FAILED', reason?: string) {
    this.update(this.current(name), { State: state, ReplayEndTime: this.options.now(), ...(reason !== undefined && { StateReason: reason }) });
    await this.save();
  }

  private update(record: ReplayRecord, changes: Partial<ReplayRecord>) {
    this.replays.set(record.ReplayName, { ...record, ...changes });
  }

  private save() {
    return this.storage.writeDocument(REPLAYS_DOCUMENT, [...this.replays.values()]);
  }
}
