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
  /** Events dispatched together; progress (EventLastReplayedTime) advances and is saved once per batch. */
  readonly batchSize: number;
  readonly logger: DeliveryLogger;
}

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

/**
 * Runs replays: STARTING, then RUNNING while archived events in the window
 * are re-delivered with `replay-name` added, then COMPLETED once every
 * delivery has settled. Order is not guaranteed, as in AWS: batches go in
 * archive order, but the events of a batch are delivered concurrently.
 * Replays are saved at every step; one interrupted by a stop or a crash
 * starts over from its first event when the runtime restarts (consumers are
 * idempotent, as they must be for AWS replays too).
 */
export class ReplayManager {
  private readonly replays = new Map<string, ReplayRecord>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

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
    try {
      const archiveName = eventArchiveNameOf(record.EventSourceArn) ?? '';
      const archive = this.host.archiveNamed(archiveName);
      if (!archive) throw new Error(`archive ${archiveName} no longer exists`);
      const events = archive.eventsBetween(record.EventStartTime, record.EventEndTime, this.options.now());
      for (const batch of chunk(events, this.options.batchSize)) {
        if (this.stopped) return;
        if (this.current(name).State === 'CANCELLING') return await this.finish(name, 'CANCELLED');
        const ingestedAt = this.options.now();
        await Promise.all(batch.map((event) => this.host.redeliver({ ...event, 'replay-name': name }, record.Destination, ingestedAt)));
        const lastTime = Math.max(...batch.map((event) => Date.parse(event.time)), this.current(name).EventLastReplayedTime ?? 0);
        this.update(this.current(name), { EventLastReplayedTime: lastTime });
        await this.save();
      }
      await this.finish(name, this.current(name).State === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED');
    } catch (error) {
      await this.finish(name, 'FAILED', error instanceof Error ? error.message : String(error));
    }
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
