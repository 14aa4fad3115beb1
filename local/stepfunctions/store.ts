import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { executionRecordSchema, type ExecutionRecord } from './execution-record.ts';
import { historyEventSchema, type HistoryEvent } from './history-events.ts';
import { HistoryLog } from './history-log.ts';

/**
 * Executions and their histories. `openExecutionStore({ directory })` keeps
 * them in files so a restart loses nothing; without a directory (the
 * runtime's --in-memory) they live in memory only.
 *
 * Files, all JSON lines (one record or event per line, appended as they happen):
 *   <directory>/executions.jsonl                          a snapshot of an execution each time it changes; the last one wins
 *   <directory>/histories/<state machine>/<execution>.jsonl the execution's history events
 * A line cut short by a crash is dropped when the file is next read, and
 * executions.jsonl is compacted to one line per execution at every open.
 */
export interface ExecutionStore {
  get(executionArn: string): ExecutionRecord | undefined;
  list(): Iterable<ExecutionRecord>;
  /** Stores the record in memory at once (so a concurrent StartExecution sees it) and persists it in the background. */
  save(record: ExecutionRecord): void;
  /** A fresh, empty history for a new execution, replacing any leftover. */
  createHistory(executionArn: string): HistoryLog;
  /** The live history of an execution that will be appended to (a redrive, a resume). */
  openHistory(executionArn: string): Promise<HistoryLog>;
  readHistory(executionArn: string): Promise<readonly HistoryEvent[]>;
  /** The execution has ended: its history no longer needs to stay in memory (when it is persisted). */
  release(executionArn: string): void;
  /** Resolves once everything saved or appended so far is written. */
  flush(): Promise<void>;
}

export interface ExecutionStoreOptions {
  /** Folder for the Step Functions data. @default undefined: memory only */
  readonly directory?: string | undefined;
}

export const openExecutionStore = async (options: ExecutionStoreOptions = {}): Promise<ExecutionStore> =>
  options.directory ? FileExecutionStore.open(options.directory) : new MemoryExecutionStore();

export class MemoryExecutionStore implements ExecutionStore {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly histories = new Map<string, HistoryLog>();

  get(executionArn: string) {
    return this.records.get(executionArn);
  }

  list() {
    return this.records.values();
  }

  save(record: ExecutionRecord) {
    this.records.set(record.executionArn, record);
  }

  createHistory(executionArn: string) {
    const history = new HistoryLog([]);
    this.histories.set(executionArn, history);
    return history;
  }

  async openHistory(executionArn: string) {
    return this.histories.get(executionArn) ?? this.createHistory(executionArn);
  }

  async readHistory(executionArn: string) {
    return this.histories.get(executionArn)?.events ?? [];
  }

  release() {}

  async flush() {}
}

/** Parses JSON lines, dropping any that do not parse (a line torn by a crash). */
const parseLines = <T>(text: string, parse: (value: unknown) => T | undefined): T[] =>
  text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      const parsed = parse(JSON.parse(line));
      return parsed === undefined ? [] : [parsed];
    } catch {
      return [];
    }
  });

const readIfExists = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    // Checked by shape: Node's errors are not instances of the caller's Error under jest's module sandbox.
    if (z.object({ code: z.literal('ENOENT') }).safeParse(error).success) return undefined;
    throw error;
  }
};

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

/**
 * Appends lines to files in the background, batching what piles up while a
 * write is in progress into one write per file. Writes to one file happen in
 * order; `replace` makes the next write truncate the file first.
 */
class LineWriter {
  private pending = new Map<string, { lines: string[]; replace: boolean }>();
  /** The tail of the write chain: settles after every line queued so far is written. */
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private failure: unknown;
  private readonly knownDirectories = new Set<string>();

  append(file: string, text: string): void {
    const entry = this.pending.get(file) ?? { lines: [], replace: false };
    entry.lines.push(text);
    this.pending.set(file, entry);
    this.schedule();
  }

  replace(file: string, text: string): void {
    this.pending.set(file, { lines: [text], replace: true });
    this.schedule();
  }

  /** Resolves once every line queued before the call is on disk; rejects if a write has failed. */
  async flush(): Promise<void> {
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.writing = this.writing.then(() => this.writeBatch());
  }

  private async writeBatch(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    try {
      for (const [file, { lines, replace }] of batch) {
        const directory = dirname(file);
        if (!this.knownDirectories.has(directory)) {
          await mkdir(directory, { recursive: true });
          this.knownDirectories.add(directory);
        }
        await (replace ? writeFile : appendFile)(file, lines.join(''), 'utf8');
      }
    } catch (error) {
      // Keep the chain alive for later writes; the failure surfaces at the next flush.
      this.failure ??= error;
    }
  }
}

export class FileExecutionStore implements ExecutionStore {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly liveHistories = new Map<string, HistoryLog>();
  private readonly writer = new LineWriter();

  private constructor(private readonly directory: string) {}

  static async open(directory: string): Promise<FileExecutionStore> {
    const store = new FileExecutionStore(directory);
    await mkdir(directory, { recursive: true });
    const text = (await readIfExists(store.executionsFile)) ?? '';
    for (const record of parseLines(text, (value) => executionRecordSchema.safeParse(value).data)) {
      store.records.set(record.executionArn, record);
    }
    // Compact: one line per execution, written aside and renamed so a crash here loses nothing.
    const compacted = `${store.executionsFile}.compacting`;
    await writeFile(compacted, [...store.records.values()].map(line).join(''), 'utf8');
    await rename(compacted, store.executionsFile);
    return store;
  }

  private get executionsFile() {
    return join(this.directory, 'executions.jsonl');
  }

  /** histories/<state machine name>/<execution name>.jsonl; names are URI-encoded so any execution name is a safe file name. */
  private historyFile(executionArn: string) {
    const [stateMachineName = 'unknown', executionName = 'unknown'] = executionArn.split(':').slice(-2);
    return join(this.directory, 'histories', encodeURIComponent(stateMachineName), `${encodeURIComponent(executionName)}.jsonl`);
  }

  get(executionArn: string) {
    return this.records.get(executionArn);
  }

  list() {
    return this.records.values();
  }

  save(record: ExecutionRecord) {
    this.records.set(record.executionArn, record);
    this.writer.append(this.executionsFile, line(record));
  }

  createHistory(executionArn: string) {
    const file = this.historyFile(executionArn);
    this.writer.replace(file, '');
    return this.liveHistory(executionArn, []);
  }

  async openHistory(executionArn: string) {
    const live = this.liveHistories.get(executionArn);
    if (live) return live;
    const file = this.historyFile(executionArn);
    await this.writer.flush();
    const events = parseLines((await readIfExists(file)) ?? '', (value) => historyEventSchema.safeParse(value).data);
    // A concurrent open may have won the race while this one was reading.
    const opened = this.liveHistories.get(executionArn);
    if (opened) return opened;
    // Rewrite without a torn last line, so the next appended event starts on a line of its own.
    this.writer.replace(file, events.map(line).join(''));
    return this.liveHistory(executionArn, events);
  }

  async readHistory(executionArn: string) {
    const live = this.liveHistories.get(executionArn);
    if (live) return live.events;
    await this.writer.flush();
    const text = await readIfExists(this.historyFile(executionArn));
    return parseLines(text ?? '', (value) => historyEventSchema.safeParse(value).data);
  }

  release(executionArn: string) {
    this.liveHistories.delete(executionArn);
  }

  flush() {
    return this.writer.flush();
  }

  private liveHistory(executionArn: string, events: HistoryEvent[]) {
    const file = this.historyFile(executionArn);
    const history = new HistoryLog(events, (event) => this.writer.append(file, line(event)));
    this.liveHistories.set(executionArn, history);
    return history;
  }
}
