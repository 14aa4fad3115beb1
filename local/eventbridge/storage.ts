import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { AppendOnlyFile, readFileIfExists, writeFileAtomically } from '#local/append-only-file';

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
    // In place: an archive takes an append per PutEvents, and copying the log each time made an on-sale quadratic.
    appendLines: async (log, lines) => {
      let kept = logs.get(log);
      if (!kept) {
        kept = [];
        logs.set(log, kept);
      }
      for (const line of lines) kept.push(line);
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

export const createDirectoryStorage = (directory: string): EventBridgeStorage => {
  const logs = new Map<string, AppendOnlyFile>();
  const documentWrites = new Map<string, Promise<void>>();
  const documentPath = (name: string) => join(directory, `${name}.json`);
  const createdFolders = new Map<string, Promise<unknown>>();
  // Documents may sit in sub-folders; each folder is created once.
  const folderOf = (path: string) => {
    const folder = dirname(path);
    let created = createdFolders.get(folder);
    if (!created) {
      created = mkdir(folder, { recursive: true });
      createdFolders.set(folder, created);
    }
    return created;
  };
  // Logs may sit in sub-folders too (archives/<name>.jsonl): the file creates its own.
  const logFile = (log: string) => {
    let file = logs.get(log);
    if (!file) {
      file = new AppendOnlyFile(join(directory, `${log}.jsonl`));
      logs.set(log, file);
    }
    return file;
  };

  return {
    readLines: async (log) => (await logFile(log).read()).lines,
    appendLines: (log, lines) => logFile(log).append(lines),
    replaceLines: (log, lines) => logFile(log).replace(lines),
    readDocument: async (name, schema) => {
      const text = await readFileIfExists(documentPath(name));
      return text === undefined ? undefined : schema.parse(JSON.parse(text));
    },
    writeDocument: async (name, value) => {
      await folderOf(documentPath(name));
      // Writes of one document run in order, so the last snapshot wins on disk too.
      const previous = documentWrites.get(name) ?? Promise.resolve();
      const write = previous.catch(() => undefined).then(() => writeFileAtomically(documentPath(name), JSON.stringify(value, null, 2)));
      documentWrites.set(name, write);
      await write;
    },
  };
};
