import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { appendFile, mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The runtime's persisted logs (Step Functions histories and executions, the
 * SQS message journal, EventBridge archives) are files of lines, appended as
 * things happen and read back whole at the next start.
 *
 * An append is durable once its write returns: the lines are in the
 * operating system's hands and survive a kill of the runtime (not a power
 * cut: an fsync per append would cost more than a local runtime is worth).
 * A kill mid-write leaves at most the last line without its newline; reads
 * leave it out and say so. A replacement is written aside, flushed and
 * renamed over the file, so a kill leaves the old file or the new one whole.
 */

export interface FileLines {
  /** The complete lines, oldest first; blank ones are left out. */
  readonly lines: string[];
  /** The file ended in a line without its newline, cut short by a kill; it is not in `lines`. */
  readonly tornLastLine: boolean;
}

const NO_LINES: FileLines = { lines: [], tornLastLine: false };

const splitLines = (text: string): FileLines => {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  return { lines: lines.filter((line) => line.trim() !== ''), tornLastLine: last.trim() !== '' };
};

const asText = (lines: readonly string[]) => lines.map((line) => `${line}\n`).join('');

// Checked by shape, not `instanceof Error`: fs errors may come from another realm (e.g. under jest).
const isMissingFile = (error: unknown) => typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

/** The file's text, or undefined when there is no file. */
export const readFileIfExists = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
};

const readFileIfExistsSync = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
};

/** Writes `text` aside, flushes it and renames it over `path`: a kill leaves one file or the other whole. */
export const writeFileAtomically = async (path: string, text: string): Promise<void> => {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
};

const writeFileAtomicallySync = (path: string, text: string) => {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text);
  const descriptor = openSync(temporary, 'r+');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, path);
};

/**
 * One append-only file of lines. The asynchronous methods run in the order
 * they are called; appends that arrive while a write is under way share the
 * next write. The synchronous ones are for a caller that must not answer
 * before its line is written (the SQS journal); a file is used one way or
 * the other, not both.
 */
export class AppendOnlyFile {
  /** Settles after every write queued so far. */
  private tail: Promise<void> = Promise.resolve();
  /** Lines of the append that has not started yet, which later appends join. */
  private batch: { lines: string[]; written: Promise<void> } | undefined;
  private folderCreated = false;
  private descriptor: number | undefined;

  constructor(readonly path: string) {}

  /** Reads the file once every write queued before is done; no file reads as no lines. */
  async read(): Promise<FileLines> {
    await this.tail;
    const text = await readFileIfExists(this.path);
    return text === undefined ? NO_LINES : splitLines(text);
  }

  readSync(): FileLines {
    const text = readFileIfExistsSync(this.path);
    return text === undefined ? NO_LINES : splitLines(text);
  }

  /** Resolves once the lines are written. */
  append(lines: readonly string[]): Promise<void> {
    if (!this.batch) {
      const batch: string[] = [];
      const written = this.enqueue(async () => {
        if (this.batch?.lines === batch) this.batch = undefined;
        await appendFile(this.path, asText(batch), 'utf8');
      });
      this.batch = { lines: batch, written };
    }
    this.batch.lines.push(...lines);
    return this.batch.written;
  }

  /** Replaces the whole file after the writes queued before; appends made after the call follow it. */
  replace(lines: readonly string[]): Promise<void> {
    this.batch = undefined;
    return this.enqueue(() => writeFileAtomically(this.path, asText(lines)));
  }

  /** Resolves once every write queued so far is done, whether it succeeded or not. */
  settled(): Promise<void> {
    return this.tail;
  }

  /** Appends the lines before returning. */
  appendSync(lines: readonly string[]): void {
    if (this.descriptor === undefined) {
      this.createFolderSync();
      this.descriptor = openSync(this.path, 'a');
    }
    writeSync(this.descriptor, asText(lines));
  }

  replaceSync(lines: readonly string[]): void {
    this.close();
    this.createFolderSync();
    writeFileAtomicallySync(this.path, asText(lines));
  }

  /** Lets go of the descriptor the synchronous appends keep open. */
  close(): void {
    if (this.descriptor === undefined) return;
    closeSync(this.descriptor);
    this.descriptor = undefined;
  }

  private enqueue(write: () => Promise<void>): Promise<void> {
    const run = this.tail.then(async () => {
      if (!this.folderCreated) {
        await mkdir(dirname(this.path), { recursive: true });
        this.folderCreated = true;
      }
      await write();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private createFolderSync() {
    if (this.folderCreated) return;
    mkdirSync(dirname(this.path), { recursive: true });
    this.folderCreated = true;
  }
}
