import { mkdir, readFile, rename, writeFile, appendFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { z } from 'zod';

/**
 * Where archives and replays live: files under the runtime's data folder, or
 * memory when the runtime runs --in-memory. Archives are append-only JSON
 * lines; small documents (archive metadata, replays) are rewritten whole,
 * atomically (write then rename), so a crash never leaves half a document.
 */
export interface EventBridgeStorage {
  /** Lines of an archive's log, oldest first; a torn last line from a crash is skipped. */
  readLines(log: string): Promise<string[]>;
  /** Appends lines; resolves once they are written. Concurrent appends share one write. */
  appendLines(log: string, lines: readonly string[]): Promise<void>;
  /** Replaces a log, to drop events past their retention. */
  replaceLines(log: string, lines: readonly string[]): Promise<void>;
  readDocument<T>(name: string, schema: z.ZodType<T>): Promise<T | undefined>;
  writeDocument(name: string, value: unknown): Promise<void>;
}

export const createMemoryStorage = (): EventBridgeStorage => {
  const logs = new Map<string, string[]>();
  const documents = new Map<string, string>();
  return {
    readLines: async (log) => [...(logs.get(log) ?? [])],
    appendLines: async (log, lines) => {
      logs.set(log, [...(logs.get(log) ?? []), ...lines]);
    },
    replaceLines: async (log, lines) => {
      logs.set(log, [...lines]);
    },
    readDocument: async (name, schema) => {
      const text = documents.get(name);
      return text === undefined ? undefined : schema.parse(JSON.parse(text));
    },
    writeDocument: async (name, value) => {
      documents.set(name, JSON.stringify(value));
    },
  };
};

// Checked by shape, not `instanceof Error`: fs errors may come from another realm (e.g. under jest).
const isMissingFile = (error: unknown) => typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

const readTextIfExists = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
};

const writeAtomically = async (path: string, text: string) => {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
};

/** Batches the appends that arrive while a write is under way into the next write. */
class CoalescingAppender {
  private buffered: string[] = [];
  private nextWrite: Promise<void> | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  append(lines: readonly string[]): Promise<void> {
    this.buffered.push(...lines);
    if (!this.nextWrite) {
      this.nextWrite = this.tail.then(() => {
        const text = this.buffered.join('');
        this.buffered = [];
        this.nextWrite = undefined;
        return appendFile(this.path, text);
      });
      this.tail = this.nextWrite.catch(() => undefined);
    }
    return this.nextWrite;
  }

  /** Runs after every append already accepted, so a replacement never races one. */
  afterPending(task: () => Promise<void>): Promise<void> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

export const createDirectoryStorage = (directory: string): EventBridgeStorage => {
  const appenders = new Map<string, CoalescingAppender>();
  const documentWrites = new Map<string, Promise<void>>();
  const logPath = (log: string) => join(directory, `${log}.jsonl`);
  const documentPath = (name: string) => join(directory, `${name}.json`);
  const createdFolders = new Map<string, Promise<unknown>>();
  // Logs and documents may sit in sub-folders (archives/<name>.jsonl); each folder is created once.
  const folderOf = (path: string) => {
    const folder = dirname(path);
    let created = createdFolders.get(folder);
    if (!created) {
      created = mkdir(folder, { recursive: true });
      createdFolders.set(folder, created);
    }
    return created;
  };
  const appenderFor = (log: string) => {
    let appender = appenders.get(log);
    if (!appender) {
      appender = new CoalescingAppender(logPath(log));
      appenders.set(log, appender);
    }
    return appender;
  };

  return {
    readLines: async (log) => {
      const text = await readTextIfExists(logPath(log));
      // Only newline-terminated lines were fully written; a torn tail is dropped.
      return text === undefined ? [] : text.split('\n').slice(0, -1).filter((line) => line.length > 0);
    },
    appendLines: async (log, lines) => {
      await folderOf(logPath(log));
      await appenderFor(log).append(lines.map((line) => `${line}\n`));
    },
    replaceLines: async (log, lines) => {
      await folderOf(logPath(log));
      await appenderFor(log).afterPending(() => writeAtomically(logPath(log), lines.map((line) => `${line}\n`).join('')));
    },
    readDocument: async (name, schema) => {
      const text = await readTextIfExists(documentPath(name));
      return text === undefined ? undefined : schema.parse(JSON.parse(text));
    },
    writeDocument: async (name, value) => {
      await folderOf(documentPath(name));
      // Writes of one document run in order, so the last snapshot wins on disk too.
      const previous = documentWrites.get(name) ?? Promise.resolve();
      const write = previous.catch(() => undefined).then(() => writeAtomically(documentPath(name), JSON.stringify(value, null, 2)));
      documentWrites.set(name, write);
      await write;
    },
  };
};
