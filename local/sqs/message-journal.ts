import { join } from 'node:path';
import { z } from 'zod';
import { AppendOnlyFile, type FileLines } from '#local/append-only-file';

/**
 * fauxqs keeps messages in memory only. The journal makes them durable: every
 * change to a queue's contents is appended, synchronously, before the SQS
 * call that made it answers, so a message whose SendMessage succeeded
 * survives a kill of the runtime. Replaying the file gives the messages sent
 * and not yet deleted, with their receive counts; at startup they are put
 * back in their queues and the file is rewritten to hold only them.
 */

const messageAttributeSchema = z.object({
  DataType: z.string(),
  StringValue: z.string().optional(),
  BinaryValue: z.string().optional(),
});

/** The fields of a fauxqs message worth keeping; visibility is not kept: a restart makes in-flight messages visible. */
const journaledMessageSchema = z.object({
  messageId: z.string().min(1),
  body: z.string(),
  md5OfBody: z.string(),
  messageAttributes: z.record(z.string(), messageAttributeSchema),
  md5OfMessageAttributes: z.string(),
  sentTimestamp: z.number(),
  approximateReceiveCount: z.number().int().min(0),
  approximateFirstReceiveTimestamp: z.number().optional(),
  delayUntil: z.number().optional(),
});
export type JournaledMessage = z.infer<typeof journaledMessageSchema>;

const entrySchema = z.discriminatedUnion('op', [
  /** Sent to the queue, or moved there (a dead-letter queue): a message lives in one queue at a time. */
  z.object({ op: z.literal('put'), queue: z.string(), message: journaledMessageSchema }),
  z.object({ op: z.literal('received'), queue: z.string(), messageIds: z.array(z.string()) }),
  z.object({ op: z.literal('deleted'), queue: z.string(), messageId: z.string() }),
  z.object({ op: z.literal('purged'), queue: z.string() }),
]);
type JournalEntry = z.infer<typeof entrySchema>;

export interface StoredMessage {
  readonly queue: string;
  readonly message: JournaledMessage;
}

export const JOURNAL_FILE = 'messages.jsonl';
/** Rewrite the file once it holds this many entries more than there are live messages. */
const COMPACTION_SLACK = 10_000;

type LiveMessages = Map<string, { queue: string; message: JournaledMessage }>;

const apply = (live: LiveMessages, entry: JournalEntry) => {
  switch (entry.op) {
    case 'put':
      live.set(entry.message.messageId, { queue: entry.queue, message: { ...entry.message } });
      return;
    case 'received':
      for (const messageId of entry.messageIds) {
        const stored = live.get(messageId);
        if (stored?.queue !== entry.queue) continue;
        stored.message.approximateReceiveCount += 1;
      }
      return;
    case 'deleted':
      if (live.get(entry.messageId)?.queue === entry.queue) live.delete(entry.messageId);
      return;
    case 'purged':
      for (const [messageId, stored] of live) if (stored.queue === entry.queue) live.delete(messageId);
      return;
  }
};

interface ReplayResult {
  readonly live: LiveMessages;
  /** Lines that could not be read: at most the last one, cut short by a kill mid-write. */
  readonly unreadableLines: number;
}

const replayJournal = ({ lines, tornLastLine }: FileLines): ReplayResult => {
  const live: LiveMessages = new Map();
  let unreadableLines = tornLastLine ? 1 : 0;
  for (const line of lines) {
    let candidate: unknown;
    try {
      candidate = JSON.parse(line);
    } catch {
      unreadableLines += 1;
      continue;
    }
    const parsed = entrySchema.safeParse(candidate);
    if (parsed.success) apply(live, parsed.data);
    else unreadableLines += 1;
  }
  return { live, unreadableLines };
};

const snapshotOf = (live: LiveMessages): string[] =>
  [...live.values()].map(({ queue, message }) => JSON.stringify({ op: 'put', queue, message } satisfies JournalEntry));

export class MessageJournal {
  private entriesWritten = 0;

  private constructor(
    private readonly file: AppendOnlyFile,
    private readonly live: LiveMessages,
    /** Lines of the replayed file that were skipped, for the startup report. */
    readonly unreadableLines: number,
  ) {
    this.compact();
  }

  /** Replays `<dir>/messages.jsonl` (if any) and rewrites it to hold only the live messages. */
  static open(dir: string): MessageJournal {
    const file = new AppendOnlyFile(join(dir, JOURNAL_FILE));
    const { live, unreadableLines } = replayJournal(file.readSync());
    return new MessageJournal(file, live, unreadableLines);
  }

  /** The messages sent and not yet deleted when the journal was opened or since. */
  messages(): StoredMessage[] {
    return [...this.live.values()].map(({ queue, message }) => ({ queue, message: { ...message } }));
  }

  put(queue: string, message: JournaledMessage): void {
    this.append({ op: 'put', queue, message: journaledMessageSchema.parse(message) });
  }

  received(queue: string, messageIds: readonly string[]): void {
    if (messageIds.length > 0) this.append({ op: 'received', queue, messageIds: [...messageIds] });
  }

  deleted(queue: string, messageId: string): void {
    this.append({ op: 'deleted', queue, messageId });
  }

  purged(queue: string): void {
    this.append({ op: 'purged', queue });
  }

  close(): void {
    this.file.close();
  }

  private append(entry: JournalEntry) {
    apply(this.live, entry);
    this.file.appendSync([JSON.stringify(entry)]);
    this.entriesWritten += 1;
    if (this.entriesWritten > this.live.size + COMPACTION_SLACK) this.compact();
  }

  /** Rewrites the file to hold only the live messages. */
  private compact() {
    this.file.replaceSync(snapshotOf(this.live));
    this.entriesWritten = this.live.size;
  }
}
