import { resolve, sep } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The command-line kit of every tool under tools/. A command is a definition
 * (usage, flags, what exit 1 means, a body) that `defineCommand` turns into a
 * `Main`: it parses the flags (node:util parseArgs, strict), answers
 * `-h`/`--help`, and maps what the body throws to an exit code and one
 * message. `runIfInvoked` runs a `Main` when node was started on its file, so
 * tests import the same function and call it in-process.
 *
 * Exit codes: 0 done, 1 a failed check or operation, 2 bad arguments (one
 * line saying what is wrong, the synopsis, and a pointer to --help). A known
 * error (UsageError, CommandFailedError, or one the command explains) prints
 * its message; any other prints its name and message, and its stack only when
 * DEBUG is set: an operator needs the one line, whoever fixes the tool the stack.
 */

/** Anything with a `write(text)`: process.stdout, or a buffer in tests. */
export interface Writer {
  write(text: string): unknown;
}

export interface Io {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** Print the stack of an unexpected error; runIfInvoked sets it from DEBUG. @default false */
  readonly debug?: boolean;
}

export const EXIT = {
  ok: 0,
  /** The command ran and failed: an invariant broken, an unknown id, a refused write. */
  failed: 1,
  /** Bad arguments: nothing was read or changed. */
  usage: 2,
} as const;

/** Every tool's entry point, callable in-process. */
export type Main = (argv: readonly string[], io: Io) => Promise<number>;

/** Bad arguments: the message and the usage on stderr, exit 2, having read and changed nothing. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command ran and cannot do what was asked (no rule to replay into...): its message, exit 1. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}

export const writeLine = (writer: Writer, text = ''): void => {
  writer.write(`${text}\n`);
};

export type Options = NonNullable<ParseArgsConfig['options']>;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies Options;
type WithHelp<T extends Options> = T & typeof HELP_OPTION;

/**
 * The message of what was thrown. Duck-typed, not `instanceof Error`: node's
 * own errors (parseArgs's TypeError) come from another realm under jest.
 */
const messageOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : String(error);

/**
 * node:util parseArgs in strict mode (unknown flags are errors), its errors as
 * usage errors. Only their first sentence: the rest of "Unknown option '--x'.
 * To specify a positional argument starting with a '-', ..." is about a case
 * none of our commands has.
 */
export const parseFlags = <T extends Options>(argv: readonly string[], options: T) => {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(messageOf(error).split('. ')[0] ?? messageOf(error));
  }
};

/** The flags and positionals of a command's definition, `help` included. */
export type Flags<T extends Options> = ReturnType<typeof parseFlags<WithHelp<T>>>;

export interface CommandDefinition<T extends Options> {
  /** Starts with `Usage: npm run <name> -- ...`; the kit appends the help line and the exit codes. */
  readonly usage: string;
  /** What exit code 1 means, completing "1 when ...": "an invariant fails". */
  readonly failure: string;
  /** The flags, `-h`/`--help` aside (the kit adds it). */
  readonly options: T;
  /** One line for an error this command expects (a stopped runtime...), or undefined for an unexpected one. */
  readonly explain?: (error: unknown) => string | undefined;
  /** Runs once the flags parsed and no help was asked for; returns the exit code. */
  readonly run: (flags: Flags<T>, io: Io) => Promise<number>;
}

/** The usage a command prints, with the lines every command shares. */
const fullUsage = (usage: string, failure: string): string =>
  `${usage}\n\n  -h, --help   print this help\n\nExit codes: 0 done, 1 when ${failure}, 2 on bad arguments.\nDEBUG=1 prints the stack of an unexpected error.`;

/** The usage's first paragraph ("Usage: npm run x -- ..."): enough to spot a typo, short enough to keep the error in view. */
const synopsisOf = (usage: string): string => usage.split('\n\n')[0] ?? usage;

/** "TypeError: x", or just "x" when the name adds nothing; the stack when debugging. */
const describeUnexpected = (error: unknown, debug: boolean): string => {
  if (typeof error !== 'object' || error === null) return String(error);
  const { name, stack } = error as { name?: unknown; stack?: unknown };
  if (debug && typeof stack === 'string') return stack;
  const message = messageOf(error);
  return typeof name === 'string' && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message;
};

/** Prints what a command threw and returns its exit code. */
const reportError = (io: Io, usage: string, error: unknown, explain?: (error: unknown) => string | undefined): number => {
  if (error instanceof UsageError) {
    writeLine(io.stderr, `error: ${error.message}\n${synopsisOf(usage)}\nRun with --help for every option.`);
    return EXIT.usage;
  }
  const known = error instanceof CommandFailedError ? error.message : explain?.(error);
  writeLine(io.stderr, `error: ${known ?? describeUnexpected(error, io.debug ?? false)}`);
  return EXIT.failed;
};

export const defineCommand = <T extends Options>(definition: CommandDefinition<T>): Main => {
  const usage = fullUsage(definition.usage, definition.failure);
  return async (argv, io) => {
    try {
      const flags = parseFlags(argv, { ...definition.options, ...HELP_OPTION });
      // The generic type cannot see `help` in the values; HELP_OPTION puts it there.
      if ((flags.values as { help?: boolean }).help) {
        writeLine(io.stdout, usage);
        return EXIT.ok;
      }
      return await definition.run(flags, io);
    } catch (error) {
      return reportError(io, usage, error, definition.explain);
    }
  };
};

export interface InvocationOptions {
  /**
   * End the process with the exit code, and on SIGINT or SIGTERM: for the
   * commands whose local runtime (clients, child processes) would keep the
   * event loop alive. process.exit runs the exit hooks that stop the children.
   */
  readonly exitProcess?: boolean;
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Runs `main` when this file is the script node was started with
 * (`tsx tools/<name>.ts`), and does nothing when a test imports it.
 * Comparing paths works the same whether the file loads as CommonJS or ESM.
 */
export const runIfInvoked = (scriptName: string, main: Main, options: InvocationOptions = {}): void => {
  const script = process.argv[1];
  if (!script || !resolve(script).endsWith(`${sep}tools${sep}${scriptName}.ts`)) return;
  if (options.exitProcess) {
    for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) process.once(signal, () => process.exit(code));
  }
  const debug = Boolean(process.env.DEBUG);
  void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, debug }).then((code) => {
    if (options.exitProcess) process.exit(code);
    process.exitCode = code;
  });
};

// Values of flags and positionals: each throws a UsageError naming the flag.

export interface NumberRange {
  /** @default 1 */
  readonly min?: number;
  /** @default 999_999_999 */
  readonly max?: number;
}

/** A whole number written in digits only ("25", "-4" when min < 0; not "25.5", "2e1" or "0x19") within a range. */
export const parseWholeNumber = (flag: string, text: string, { min = 1, max = 999_999_999 }: NumberRange = {}): number => {
  const value = Number(text);
  if (!/^-?\d{1,9}$/.test(text) || value < min || value > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
};

export const parseChoice = <T extends string>(flag: string, text: string, choices: readonly T[]): T => {
  const choice = choices.find((c) => c === text);
  if (choice === undefined) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, not "${text}"`);
  return choice;
};

export const parseUrl = (flag: string, text: string): string => {
  if (!URL.canParse(text)) throw new UsageError(`${flag} must be a URL, not "${text}"`);
  return text;
};

export const nonEmpty = (flag: string, text: string): string => {
  if (text.trim() === '') throw new UsageError(`${flag} is empty`);
  return text;
};

/** Exactly the named positionals, in order. */
export const expectPositionals = (positionals: readonly string[], names: readonly string[]): string[] => {
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).map((n) => `<${n}>`).join(' ')}`);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument "${positionals[names.length]}"`);
  return [...positionals];
};

export const noPositionals = (positionals: readonly string[]): void => {
  expectPositionals(positionals, []);
};
