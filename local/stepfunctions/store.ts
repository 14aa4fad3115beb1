import { join } from 'node:path';
import { AppendOnlyFile } from '#local/append-only-file';
import { executionRecordSchema, type ExecutionRecord } from './execution-record.ts';
import { historyEventSchema, type HistoryEvent } from './history-events.ts';
import { HistoryLog } from './history-log.ts';
import { packHistory, unpackHistory, type PackedHistory } from './packed-history.ts';

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
  /** The execution has ended: its history no longer needs to stay in memory as objects (on disk, or packed when in memory). */
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
  /** Histories of executions that ended, packed: read rarely, and by far the most of what this store holds. */
  private readonly packedHistories = new Map<string, PackedHistory>();

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
    this.packedHistories.delete(executionArn);
    const history = new HistoryLog([]);
    this.histories.set(executionArn, history);
    return history;
  }

  async openHistory(executionArn: string) {
    const live = this.histories.get(executionArn);
    if (live) return live;
    const packed = this.packedHistories.get(executionArn);
    if (!packed) return this.createHistory(executionArn);
    // A redrive appends to the history it had.
    this.packedHistories.delete(executionArn);
    const history = new HistoryLog(unpackHistory(packed));
    this.histories.set(executionArn, history);
    return history;
  }

  async readHistory(executionArn: string) {
    const live = this.histories.get(executionArn);
    if (live) return live.events;
    const packed = this.packedHistories.get(executionArn);
    return packed ? unpackHistory(packed) : [];
  }

  release(executionArn: string) {
    const history = this.histories.get(executionArn);
    if (!history) return;
    this.histories.delete(executionArn);
    this.packedHistories.set(executionArn, packHistory(history.events));
  }

  async flush() {}
}

/** Parses lines, dropping any that do not parse (the files only ever hold what this store wrote). */
const parseLines = <T>(lines: readonly string[], parse: (value: unknown) => T | undefined): T[] =>
  lines.flatMap((line) => {
    try {
      const parsed = parse(JSON.parse(line));
      return parsed === undefined ? [] : [parsed];
    } catch {
      return [];
    }
  });

export class FileExecutionStore implements ExecutionStore {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly liveHistories = new Map<string, HistoryLog>();
  /** The files of the executions file and of live histories, one object per file so that its writes run in order. */
  private readonly files = new Map<string, AppendOnlyFile>();
  private readonly pendingWrites = new Set<Promise<void>>();
  private readonly executions: AppendOnlyFile;
  /** The first write that failed; writes run in the background, so it surfaces at the next flush. */
  private failure: unknown;

  private constructor(private readonly directory: string) {
    this.executions = this.file(join(directory, 'executions.jsonl'));
  }

  static async open(directory: string): Promise<FileExecutionStore> {
    const store = new FileExecutionStore(directory);
    const { lines } = await store.executions.read();
    for (const record of parseLines(lines, (value) => executionRecordSchema.safeParse(value).data)) {
      store.records.set(record.executionArn, record);
    }
    // Compact: one line per execution.
    await store.executions.replace([...store.records.values()].map((record) => JSON.stringify(record)));
    return store;
  }

  /** histories/<state machine name>/<execution name>.jsonl; names are URI-encoded so any execution name is a safe file name. */
  private historyFile(executionArn: string) {
    const [stateMachineName = 'unknown', executionName = 'unknown'] = executionArn.split(':').slice(-2);
    return this.file(join(this.directory, 'histories', encodeURIComponent(stateMachineName), `${encodeURIComponent(executionName)}.jsonl`));
  }

  private file(path: string) {
    let file = this.files.get(path);
    if (!file) {
      file = new AppendOnlyFile(path);
      this.files.set(path, file);
    }
    return file;
  }

  get(executionArn: string) {
    return this.records.get(executionArn);
  }

  list() {
    return this.records.values();
  }

  save(record: ExecutionRecord) {
    this.records.set(record.executionArn, record);
    this.inBackground(this.executions.append([JSON.stringify(record)]));
  }

  createHistory(executionArn: string) {
    this.inBackground(this.historyFile(executionArn).replace([]));
    return this.liveHistory(executionArn, []);
  }

  async openHistory(executionArn: string) {
    const live = this.liveHistories.get(executionArn);
    if (live) return live;
    await this.flush();
    const file = this.historyFile(executionArn);
    const events = parseLines((await file.read()).lines, (value) => historyEventSchema.safeParse(value).data);
    // A concurrent open may have won the race while this one was reading.
    const opened = this.liveHistories.get(executionArn);
    if (opened) return opened;
    // Rewrite without a torn last line, so the next appended event starts on a line of its own.
    this.inBackground(file.replace(events.map((event) => JSON.stringify(event))));
    return this.liveHistory(executionArn, events);
  }

  async readHistory(executionArn: string) {
    const live = this.liveHistories.get(executionArn);
    if (live) return live.events;
    await this.flush();
    const { lines } = await this.historyFile(executionArn).read();
    return parseLines(lines, (value) => historyEventSchema.safeParse(value).data);
  }

  release(executionArn: string) {
    this.liveHistories.delete(executionArn);
    const file = this.historyFile(executionArn);
    // Let go of the file once its writes are done, unless the execution came back to life meanwhile (a redrive).
    void file.settled().then(() => {
      if (!this.liveHistories.has(executionArn)) this.files.delete(file.path);
    });
  }

  async flush() {
    await Promise.all([...this.pendingWrites]);
    if (this.failure !== undefined) throw this.failure;
  }

  private inBackground(write: Promise<void>) {
    const pending = write.catch((error: unknown) => {
      this.failure ??= error;
    });
    this.pendingWrites.add(pending);
    void pending.finally(() => this.pendingWrites.delete(pending));
  }

  private liveHistory(executionArn: string, events: HistoryEvent[]) {
    const file = this.historyFile(executionArn);
    const history = new HistoryLog(events, (event) => this.inBackground(file.append([JSON.stringify(event)])));
    this.liveHistories.set(executionArn, history);
    return history;
  }
}
