import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Anything with a `write(text)`: process.stdout, or a buffer in tests. */
export interface Writer {
  write(text: string): unknown;
}

export interface Io {
  readonly stdout: Writer;
  readonly stderr: Writer;
}

export const EXIT_CODE = {
  ok: 0,
  /** The command ran and failed: a refused write, an unreachable endpoint. */
  failed: 1,
  /** Bad arguments: nothing was read or written. */
  usage: 2,
} as const;

/** Bad arguments: the tool prints the message and its usage and exits 2, having changed nothing. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const writeLine = (writer: Writer, text = ''): void => {
  writer.write(`${text}\n`);
};

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs in strict mode (unknown flags are errors), its errors as usage errors. */
export const parseFlags = <T extends Options>(argv: readonly string[], options: T) => {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
};

/** A whole positive number written in digits only: "25", not "25.5", "2e1" or "0x19". */
export const parseWholeNumber = (flag: string, value: string): number => {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new UsageError(`--${flag} must be a whole number of at least 1, got "${value}"`);
  return Number(value);
};

const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
};

/** Runs a command body, turning what it throws into a message and an exit code. */
export const runCommand = async (io: Io, usage: string, body: () => Promise<number>): Promise<number> => {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      writeLine(io.stderr, `error: ${error.message}\n\n${usage}`);
      return EXIT_CODE.usage;
    }
    writeLine(io.stderr, `error: ${describeError(error)}`);
    return EXIT_CODE.failed;
  }
};
