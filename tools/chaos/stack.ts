import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreeRuntimePorts } from '#local/index';
import { exitWithin, killProcessGroup, startRuntimeProcess, survivorsOf, type RuntimeProcess } from '#tools/lib/runtime-process';
import { inProcessTarget, remoteTarget, type Target } from '#tools/onsale/target';
import { INJECTED_FAULTS_PATH, injectedFaultsSchema, startChaosRuntime, type ChaosSettings, type InjectedFaults } from './chaos-settings.ts';

/**
 * The local stack a chaos run hits: in this process (nothing is killed), or
 * in a child process that is SIGKILLed, whole, and started again on the same
 * data folder and ports, as a crashed laptop would be.
 */

export interface ChaosStack {
  readonly mode: 'in-process' | 'child';
  readonly target: Target;
  /** Where the runtime keeps its state; undefined in memory. */
  readonly dataDir: string | undefined;
  /** The runtime's own count of the faults it injected, cumulative across restarts; undefined when it keeps none. */
  injectedFaults(): InjectedFaults | undefined;
  /** SIGKILLs every process of the stack, then starts it again over the same data. */
  killAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  readonly chaos: ChaosSettings;
  /** Multiplies the state machine's Retry intervals. @default 1 */
  readonly retryDelayScale?: number;
  readonly log: (line: string) => void;
}

class StackNotRestartableError extends Error {
  override readonly name = 'StackNotRestartableError';
}

export const startInProcessStack = async (options: StackOptions): Promise<ChaosStack> => {
  const { runtime, injectedFaults } = await startChaosRuntime(
    {
      inMemory: true,
      log: options.log,
      ...(options.retryDelayScale !== undefined && { retryDelayScale: options.retryDelayScale }),
    },
    options.chaos,
  );
  return {
    mode: 'in-process',
    target: inProcessTarget(runtime),
    dataDir: undefined,
    injectedFaults,
    killAndRestart: () => Promise.reject(new StackNotRestartableError('a runtime in this process cannot be killed and restarted: run it as a child')),
    stop: () => runtime.stop(),
  };
};

const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;
/** The SQS child and DynamoDB Local's watchdog follow their parent's death at once; allow for a loaded machine. */
const ORPHAN_DEADLINE_MS = 10_000;


const readInjectedFaults = (file: string): InjectedFaults | undefined => {
  if (!existsSync(file)) return undefined;
  try {
    return injectedFaultsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // Caught half-written by a runtime being killed: the next read finds it whole.
    return undefined;
  }
};

/**
 * The runtime in a child process over `dataDir`, with the chaos settings
 * written to a file there. Ports are picked once and kept across restarts,
 * so tokens and endpoints stay valid.
 */
export const startChildStack = async (dataDir: string, options: StackOptions): Promise<ChaosStack> => {
  const chaosFile = join(dataDir, 'chaos-settings.json');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(chaosFile, `${JSON.stringify(options.chaos, null, 2)}\n`);
  const ports = await findFreeRuntimePorts();
  const start = () =>
    startRuntimeProcess({
      dataDir,
      ports,
      seedDemo: false,
      chaosFile,
      ...(options.retryDelayScale !== undefined && { retryDelayScale: options.retryDelayScale }),
      startTimeoutMs: START_TIMEOUT_MS,
    });
  let current: RuntimeProcess = await start();
  // The child leads its own process group, so it would outlive this process: take it along when this process exits.
  const killChildOnExit = () => killProcessGroup(current.pid);
  process.on('exit', killChildOnExit);
  const target = remoteTarget(current.info, dataDir);
  const injectedFile = join(dataDir, ...INJECTED_FAULTS_PATH);
  let lastCounts: InjectedFaults | undefined;
  return {
    mode: 'child',
    target,
    dataDir,
    injectedFaults: () => (lastCounts = readInjectedFaults(injectedFile) ?? lastCounts),
    async killAndRestart() {
      const killed = current;
      options.log(`SIGKILL to the runtime (pid ${killed.pid}) and everything it started`);
      process.kill(killed.pid, 'SIGKILL');
      await killed.exited;
      const survivors = await survivorsOf(killed.pid, ORPHAN_DEADLINE_MS);
      if (survivors.length > 0) options.log(`${survivors.length} process(es) outlived the runtime, killed now: ${survivors.map((s) => s.command).join('; ')}`);
      killProcessGroup(killed.pid);
      const restartedAt = Date.now();
      current = await start();
      options.log(`runtime started again (pid ${current.pid}) on the same data folder in ${((Date.now() - restartedAt) / 1000).toFixed(1)} s`);
    },
    async stop() {
      await target.stop();
      try {
        process.kill(current.pid, 'SIGTERM');
        await exitWithin(current, STOP_TIMEOUT_MS);
      } finally {
        killProcessGroup(current.pid);
        process.off('exit', killChildOnExit);
      }
    },
  };
};
