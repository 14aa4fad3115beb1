import { z } from 'zod';
import { eventArchiveArn, eventBusArn } from '#local/arns';
import { eventEnvelopeSchema, type EventEnvelope } from './envelope.ts';
import type { EventBridgeArchive } from './model.ts';
import type { EventPattern } from './pattern/event-pattern.ts';
import type { EventBridgeStorage } from './storage.ts';

const DAY_MS = 86_400_000;

const archivedEventSchema = z.object({ archivedAt: z.number(), event: eventEnvelopeSchema });
type ArchivedEvent = z.infer<typeof archivedEventSchema>;

/**
 * An archived event as the archive holds it between replays: its log line,
 * and what retention, the time range of a replay and DescribeArchive read
 * without parsing it. An on-sale archives several events per purchase and
 * replays are rare, so the events stay as text, which takes a fraction of
 * the memory of the parsed envelopes (and in memory the same string as the
 * log's line).
 */
interface KeptEvent {
  readonly archivedAt: number;
  readonly time: number;
  readonly sizeBytes: number;
  readonly line: string;
}

const keptEventOf = (record: ArchivedEvent, line: string): KeptEvent => ({
  archivedAt: record.archivedAt,
  time: Date.parse(record.event.time),
  sizeBytes: Buffer.byteLength(JSON.stringify(record.event)),
  line,
});

const archiveMetadataSchema = z.object({ creationTime: z.number() });

const parseLine = (line: string): ArchivedEvent | undefined => {
  try {
    const parsed = archivedEventSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

export interface ArchiveDescription {
  readonly ArchiveArn: string;
  readonly ArchiveName: string;
  readonly EventSourceArn: string;
  readonly EventPattern?: string;
  readonly State: 'ENABLED';
  readonly RetentionDays: number;
  readonly SizeBytes: number;
  readonly EventCount: number;
  readonly CreationTime: Date;
}

/**
 * One archive: keeps the events of its source bus that match its pattern,
 * durably (a JSON-lines log), and hands them back for replays. Events older
 * than RetentionDays are no longer replayed and are dropped from the log when
 * the archive is next opened.
 */
export class EventArchive {
  private constructor(
    private readonly definition: EventBridgeArchive,
    readonly sourceBusName: string,
    private readonly pattern: EventPattern | undefined,
    private readonly storage: EventBridgeStorage,
    private readonly creationTime: number,
    private readonly archived: KeptEvent[],
  ) {}

  static async open(
    definition: EventBridgeArchive,
    sourceBusName: string,
    pattern: EventPattern | undefined,
    storage: EventBridgeStorage,
    now: number,
  ): Promise<EventArchive> {
    const logName = `archives/${definition.name}`;
    const metadataName = `${logName}.archive`;
    const metadata = await storage.readDocument(metadataName, archiveMetadataSchema);
    if (!metadata) await storage.writeDocument(metadataName, { creationTime: now });
    const lines = await storage.readLines(logName);
    const archive = new EventArchive(definition, sourceBusName, pattern, storage, metadata?.creationTime ?? now, []);
    const kept = lines.flatMap((line) => {
      const record = parseLine(line);
      return record ? [keptEventOf(record, line)] : [];
    }).filter((record) => archive.isRetained(record, now));
    if (kept.length !== lines.length) await storage.replaceLines(logName, kept.map((record) => record.line));
    archive.archived.push(...kept);
    return archive;
  }

  get name() {
    return this.definition.name;
  }

  get arn() {
    return eventArchiveArn(this.definition.name);
  }

  /** Replayed events are never archived again, as in AWS (its archive rule excludes `replay-name`). */
  accepts(event: EventEnvelope): boolean {
    return event['replay-name'] === undefined && (this.pattern?.matches(event) ?? true);
  }

  /** Resolves once the events are on disk, so PutEvents only succeeds for events the archive kept. */
  async add(events: readonly EventEnvelope[], now: number): Promise<void> {
    if (events.length === 0) return;
    const records = events.map((event) => {
      const record = { archivedAt: now, event };
      return keptEventOf(record, JSON.stringify(record));
    });
    await this.storage.appendLines(`archives/${this.name}`, records.map((record) => record.line));
    this.archived.push(...records);
  }

  /** Archived events whose time is within [start, end], in archive order. */
  eventsBetween(startMs: number, endMs: number, now: number): EventEnvelope[] {
    return this.retained(now)
      .filter((record) => record.time >= startMs && record.time <= endMs)
      .map((record) => archivedEventSchema.parse(JSON.parse(record.line)).event);
  }

  describe(now: number): ArchiveDescription {
    const retained = this.retained(now);
    return {
      ArchiveArn: this.arn,
      ArchiveName: this.name,
      EventSourceArn: eventBusArn(this.sourceBusName),
      ...(this.pattern && { EventPattern: JSON.stringify(this.pattern.source) }),
      State: 'ENABLED',
      RetentionDays: this.definition.retentionDays,
      SizeBytes: retained.reduce((total, record) => total + record.sizeBytes, 0),
      EventCount: retained.length,
      CreationTime: new Date(this.creationTime),
    };
  }

  private retained(now: number) {
    return this.archived.filter((record) => this.isRetained(record, now));
  }

  private isRetained(record: Pick<KeptEvent, 'archivedAt'>, now: number) {
    const days = this.definition.retentionDays;
    return days === 0 || record.archivedAt >= now - days * DAY_MS;
  }
}
