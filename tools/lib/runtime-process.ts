import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { localRuntimeFileSchema, type LocalRuntimeFile, type LocalRuntimePorts } from '#local/index';
import { pollUntil } from './poll.ts';

/**
 * The local runtime in a child process, for what a test or a tool cannot do
 * to a runtime in its own process: kill it as a crash would, watch it fail to
 * start, and check that nothing it started outlives it.
 *
 * Each child leads a process group of its own, which every process it starts
 * (DynamoDB Local's JVM, the SQS server) joins: the group's members are
 * exactly what the runtime left running.
 */

/** The line runtime-entry.ts prints once every service listens, followed by the runtime file's JSON. */
export const READY_LINE_PREFIX = 'LOCAL_RUNTIME_READY ';

const REPOSITORY_ROOT = resolve(__dirname, '..', '..');
const RUNTIME_ENTRY = join(__dirname, 'runtime-entry.ts');
/** How each script runs: TypeScript through tsx's loader in this very node process, with no wrapper process to outlive. */
const NODE_TS_ARGS = ['--import', 'tsx'];
/** Enough of a child's output to explain a failure. */
const OUTPUT_TAIL_CHARS = 20_000;

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ChildRun {
  readonly pid: number;
  /** stdout and stderr as they arrived (the last part of them). */
  output(): string;
  readonly exited: Promise<ProcessExit>;
}

export interface ScriptOptions {
  /** Replaces the environment (e.g. a PATH without java). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

const track = (child: ChildProcess): ChildRun => {
  if (child.pid === undefined) throw new Error('The child process did not start');
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<ProcessExit>((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  return { pid: child.pid, output: () => output, exited };
};

/** Runs a TypeScript script of the repository (e.g. `tools/start.ts`) in a new process group. */
export const runScript = (script: string, args: readonly string[], options: ScriptOptions = {}): ChildRun =>
  track(
    spawn(process.execPath, [...NODE_TS_ARGS, script, ...args], {
      cwd: REPOSITORY_ROOT,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

/** The child's exit; past the deadline its whole group is killed and the wait fails with its output. */
export const exitWithin = async (run: ChildRun, timeoutMs: number): Promise<ProcessExit> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      killProcessGroup(run.pid);
      reject(new Error(`Process ${run.pid} was still running after ${timeoutMs} ms; its output:\n${run.output()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([run.exited, deadline]);
  } finally {
    clearTimeout(timer);
  }
};

export interface RuntimeProcessOptions {
  /** Persist state here; without it the runtime keeps nothing. */
  readonly dataDir?: string;
  readonly ports?: Partial<LocalRuntimePorts>;
  /** Seed the 500-seat demo concert. @default true */
  readonly seedDemo?: boolean;
  /** Multiplies every Retry interval of the state machine (0.01 in tests). @default 1 */
  readonly retryDelayScale?: number;
  /** A JSON file of chaos settings (tools/chaos/chaos-settings.ts) the runtime applies. */
  readonly chaosFile?: string;
  /** How long it may take to be ready. */
  readonly startTimeoutMs: number;
}

export interface RuntimeProcess extends ChildRun {
  readonly info: LocalRuntimeFile;
}

/** The arguments of tools/lib/runtime-entry.ts. */
const runtimeEntryArgs = (options: Omit<RuntimeProcessOptions, 'startTimeoutMs'>): string[] => [
  ...(options.dataDir === undefined ? ['--in-memory'] : ['--data-dir', options.dataDir]),
  ...(options.seedDemo === false ? ['--no-demo'] : []),
  '--ports',
  JSON.stringify(options.ports ?? {}),
  ...(options.retryDelayScale === undefined ? [] : ['--retry-delay-scale', String(options.retryDelayScale)]),
  ...(options.chaosFile === undefined ? [] : ['--chaos', options.chaosFile]),
];

export const runRuntimeEntry = (options: Omit<RuntimeProcessOptions, 'startTimeoutMs'>, scriptOptions: ScriptOptions = {}): ChildRun =>
  runScript(RUNTIME_ENTRY, runtimeEntryArgs(options), scriptOptions);

/** Starts the runtime in a child process and resolves once it is ready; a failed or slow start fails with the child's output. */
export const startRuntimeProcess = async (options: RuntimeProcessOptions): Promise<RuntimeProcess> => {
  const run = runRuntimeEntry(options);
  const readyLine = () => run.output().split('\n').find((line) => line.startsWith(READY_LINE_PREFIX));
  let exit: ProcessExit | undefined;
  void run.exited.then((exited) => (exit = exited));
  try {
    await pollUntil(async () => readyLine() !== undefined || exit !== undefined, Boolean, {
      what: `the local runtime (pid ${run.pid}) to be ready`,
      timeoutMs: options.startTimeoutMs,
      intervalMs: 200,
      describe: () => `its output:\n${run.output()}`,
    });
  } catch (error) {
    killProcessGroup(run.pid);
    throw error;
  }
  const line = readyLine();
  if (line === undefined) throw new Error(`The local runtime exited (${JSON.stringify(exit)}) before it was ready; its output:\n${run.output()}`);
  return { ...run, info: localRuntimeFileSchema.parse(JSON.parse(line.slice(READY_LINE_PREFIX.length))) };
};

export interface GroupMember {
  readonly pid: number;
  readonly command: string;
}

const execFileText = promisify(execFile);

/** The processes still in process group `groupId`: what a runtime led by that pid left running. */
const processGroupMembers = async (groupId: number): Promise<GroupMember[]> => {
  const { stdout } = await execFileText('ps', ['-e', '-o', 'pid=,pgid=,stat=,args=']);
  return stdout.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    // A zombie (stat Z) has ended; only its parent has not collected its exit status yet.
    if (!match || Number(match[2]) !== groupId || match[3]?.startsWith('Z')) return [];
    return [{ pid: Number(match[1]), command: match[4] ?? '' }];
  });
};

/**
 * Waits until process group `groupId` is empty and returns what is left at
 * the deadline (empty when everything ended): the caller asserts on it.
 */
export const survivorsOf = async (groupId: number, timeoutMs: number): Promise<GroupMember[]> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const members = await processGroupMembers(groupId);
    if (members.length === 0 || Date.now() > deadline) return members;
    await new Promise((resolvePause) => setTimeout(resolvePause, 100));
  }
};

/** SIGKILLs every process of the group; cleanup for a test that failed half-way. */
export const killProcessGroup = (groupId: number): void => {
  try {
    process.kill(-groupId, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};
