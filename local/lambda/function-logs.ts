import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/**
 * Where functions' log lines go: what a handler writes to stdout/stderr
 * (Powertools' JSON lines, console output) and the platform's own lines
 * (START, END, REPORT, timeouts), one entry per line, as CloudWatch Logs
 * would receive them.
 */
export interface FunctionLogLine {
  readonly functionName: string;
  /** `platform` lines are written by the runtime, the others by the function. */
  readonly stream: 'stdout' | 'stderr' | 'platform';
  readonly message: string;
  readonly time: Date;
}

export interface FunctionLogSink {
  write(line: FunctionLogLine): void;
  /** Flushes and releases what the sink holds open. */
  close(): Promise<void>;
}

/**
 * One file per function, `<directory>/<FunctionName>.log`, appended to across
 * restarts. Lines are gathered and written once per turn of the event loop,
 * one write per file: an on-sale logs tens of lines per purchase, and a
 * stream write per line was a noticeable part of the runtime's main thread.
 */
export const fileLogSink = (directory: string): FunctionLogSink => {
  const files = new Map<string, WriteStream>();
  const waiting = new Map<string, string[]>();
  let flushScheduled = false;
  let closed = false;
  const fileFor = (functionName: string) => {
    let file = files.get(functionName);
    if (!file) {
      mkdirSync(directory, { recursive: true });
      file = createWriteStream(join(directory, `${functionName}.log`), { flags: 'a' });
      files.set(functionName, file);
    }
    return file;
  };
  const flush = () => {
    flushScheduled = false;
    for (const [functionName, lines] of waiting) fileFor(functionName).write(`${lines.join('\n')}\n`);
    waiting.clear();
  };
  return {
    // A worker's last lines can arrive after close: they are dropped rather than reopening files.
    write: (line) => {
      if (closed) return;
      let lines = waiting.get(line.functionName);
      if (!lines) {
        lines = [];
        waiting.set(line.functionName, lines);
      }
      lines.push(line.message);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    close: async () => {
      flush();
      closed = true;
      const closing = [...files.values()].map((file) => new Promise<void>((resolve) => file.end(resolve)));
      files.clear();
      await Promise.all(closing);
    },
  };
};

/** Every line on this process's stdout, prefixed with the function's name. */
export const consoleLogSink = (output: NodeJS.WritableStream = process.stdout): FunctionLogSink => ({
  write: (line) => void output.write(`[${line.functionName}] ${line.message}\n`),
  close: () => Promise.resolve(),
});

/** Keeps lines in memory, for tests that assert on what a function logged. */
export const memoryLogSink = (): FunctionLogSink & { readonly lines: readonly FunctionLogLine[] } => {
  const lines: FunctionLogLine[] = [];
  return { lines, write: (line) => void lines.push(line), close: () => Promise.resolve() };
};
