import { resolve, sep } from 'node:path';
import { LOCAL_RUNTIME_NOT_RUNNING, OpsConfigError } from './config.ts';
import { CommandFailedError, UsageError } from './errors.ts';

/** Anything with a `write(text)`, such as process.stdout, or a buffer in tests. */
export interface Writer {
  write(text: string): unknown;
}

export interface Io {
  readonly stdout: Writer;
  readonly stderr: Writer;
}

export const EXIT = {
  ok: 0,
  /** The command ran and found a problem: an unknown id, a failed replay, an unreachable service. */
  failed: 1,
  /** Bad arguments: nothing was read or changed. */
  usage: 2,
} as const;

/** Every tool's entry point, callable in-process (the end-to-end tests do). */
export type Main = (argv: readonly string[], io: Io) => Promise<number>;

export const writeLine = (writer: Writer, text = ''): void => {
  writer.write(`${text}\n`);
};

const errorCode = (error: unknown): unknown => {
  if (!(error instanceof Error)) return undefined;
  if ('code' in error && error.code) return error.code;
  return error.cause instanceof Error && 'code' in error.cause ? error.cause.code : undefined;
};

const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
};

/**
 * Runs a command body and turns what it throws into the tool's exit codes:
 * usage errors print the usage (exit 2), configuration and service errors
 * print one clear line (exit 1). A refused connection to a local endpoint
 * almost always means the runtime stopped after writing its runtime file.
 */
export const runCommand = async (io: Io, usage: string, body: () => Promise<number>): Promise<number> => {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      writeLine(io.stderr, `error: ${error.message}\n\n${usage}`);
      return EXIT.usage;
    }
    if (error instanceof OpsConfigError || error instanceof CommandFailedError) {
      writeLine(io.stderr, `error: ${error.message}`);
      return EXIT.failed;
    }
    if (errorCode(error) === 'ECONNREFUSED') {
      writeLine(io.stderr, `error: ${describeError(error)}: ${LOCAL_RUNTIME_NOT_RUNNING} (or point --target at a deployed stack)`);
      return EXIT.failed;
    }
    writeLine(io.stderr, `error: ${describeError(error)}`);
    return EXIT.failed;
  }
};

/**
 * Runs `main` when this file is the script node was started with
 * (`tsx tools/<name>.ts`), and does nothing when a test imports it.
 * Comparing paths works the same whether the file loads as CommonJS or ESM.
 */
export const runIfInvoked = (scriptName: string, main: Main): void => {
  const script = process.argv[1];
  if (!script || !resolve(script).endsWith(`${sep}tools${sep}${scriptName}.ts`)) return;
  void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
};
