import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { FunctionError } from '#local/ports';
import type { LocalFunction } from '#local/template/local-app';
import type { FunctionLogSink } from './function-logs.ts';
import { LOCAL_LOG_STREAM, logGroupNameOf } from './lambda-environment.ts';
import { exitError } from './lambda-errors.ts';
import { messageFromWorkerSchema, type LambdaErrorPayload, type MessageToWorker, type WorkerData } from './worker-protocol.ts';

const WORKER_ENTRY = join(__dirname, 'function-worker-entry.mjs');

interface PendingInvocation {
  resolve(result: unknown): void;
  reject(error: FunctionError): void;
}

/**
 * V8's heap limits for a function's environment. The old generation is
 * capped at the function's MemorySize, as Lambda caps the environment: a
 * handler that outgrows it crashes here as it would there. The young
 * generation is kept small: V8 gives each isolate 16 MB of it by default,
 * fifteen functions made that a quarter of a gigabyte of mostly idle pages,
 * and a handler's garbage is a few kilobytes per invocation.
 */
const YOUNG_GENERATION_MB = 8;
const heapLimitsOf = (fn: LocalFunction) => ({ maxOldGenerationSizeMb: fn.memoryMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB });

const toFunctionError = (error: LambdaErrorPayload) => new FunctionError(error.errorType, error.errorMessage, error.trace);

/**
 * One execution environment of a function: a worker thread with its own
 * process.env that loaded the bundle once and runs invocations until it
 * exits. The runtime replaces it when it crashes or stops answering.
 */
export class FunctionWorker {
  /** Resolves when the handler module is loaded; rejects with its init error. */
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<string, PendingInvocation>();
  private readonly pongs = new Map<number, () => void>();
  private nextPingId = 0;
  private crash: FunctionError | undefined;
  private exited = false;

  constructor(
    private readonly fn: LocalFunction,
    environment: Readonly<Record<string, string>>,
    private readonly logSink: FunctionLogSink,
  ) {
    const workerData: WorkerData = {
      codeDir: fn.codeDir,
      handler: fn.handler,
      functionName: fn.name,
      memoryMb: fn.memoryMb,
      logGroupName: logGroupNameOf(fn),
      logStreamName: LOCAL_LOG_STREAM,
    };
    // execArgv: [] so the bundle runs on bare Node, without the TypeScript loader this process may use.
    this.worker = new Worker(WORKER_ENTRY, { workerData, env: { ...environment }, stdout: true, stderr: true, execArgv: [], resourceLimits: heapLimitsOf(fn) });
    this.forwardLines(this.worker.stdout, 'stdout');
    this.forwardLines(this.worker.stderr, 'stderr');

    let markReady: () => void = () => undefined;
    let failInit: (error: FunctionError) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failInit = reject;
    });
    // The caller awaits `ready` only when it invokes; a failed init must not be an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);

    this.worker.on('message', (raw: unknown) => {
      const parsed = messageFromWorkerSchema.safeParse(raw);
      if (!parsed.success) return;
      const message = parsed.data;
      switch (message.type) {
        case 'ready':
          markReady();
          break;
        case 'init-error':
          failInit(toFunctionError(message.error));
          void this.terminate();
          break;
        case 'result':
          this.settle(message.requestId, (pending) => pending.resolve(parseResult(message.payload)));
          break;
        case 'error':
          this.settle(message.requestId, (pending) => pending.reject(toFunctionError(message.error)));
          break;
        case 'crash':
          this.crash = toFunctionError(message.error);
          break;
        case 'pong':
          this.pongs.get(message.id)?.();
          break;
      }
    });
    this.worker.on('error', (error) => {
      this.crash ??= new FunctionError(error.name || 'Error', error.message, error.stack?.split('\n') ?? []);
    });
    this.worker.on('exit', (code) => {
      this.exited = true;
      const reason = this.crash ?? exitError('-', `exit status ${code}`);
      failInit(reason);
      for (const [requestId, pending] of this.pending) {
        pending.reject(this.crash ?? exitError(requestId, `exit status ${code}`));
      }
      this.pending.clear();
    });
  }

  /** False once the worker has exited; the runtime then starts a new one. */
  get isAlive(): boolean {
    return !this.exited;
  }

  /** Runs one invocation; rejects with the function's error (FunctionError). */
  invoke(requestId: string, event: unknown, deadline: number): Promise<unknown> {
    if (this.exited) return Promise.reject(exitError(requestId, 'the execution environment has exited'));
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      // Lambda hands the function JSON: the event crosses as JSON text, so it arrives exactly as it would there.
      this.post({ type: 'invoke', requestId, event: JSON.stringify(event ?? null), deadline, invokedFunctionArn: this.fn.arn });
    });
  }

  /** Forgets an invocation the runtime gave up on (timed out); a late answer is then ignored. */
  abandon(requestId: string): void {
    this.pending.delete(requestId);
  }

  /** Whether the worker's event loop answers within `graceMs` (a busy-looping handler blocks it). */
  async isResponsive(graceMs: number): Promise<boolean> {
    if (this.exited) return false;
    const id = this.nextPingId++;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<boolean>((resolve) => {
        this.pongs.set(id, () => resolve(true));
        timer = setTimeout(() => resolve(false), graceMs);
        this.post({ type: 'ping', id });
      });
    } finally {
      clearTimeout(timer);
      this.pongs.delete(id);
    }
  }

  async terminate(): Promise<void> {
    if (this.exited) return;
    await this.worker.terminate();
  }

  private settle(requestId: string, action: (pending: PendingInvocation) => void): void {
    const pending = this.pending.get(requestId);
    if (!pending) return;
    this.pending.delete(requestId);
    action(pending);
  }

  private post(message: MessageToWorker): void {
    this.worker.postMessage(message);
  }

  /**
   * Lines end at '\n' only: the worker turns the newlines inside one console
   * call into '\r', as Lambda does, so that the call stays one line (readline
   * split at '\r' too, and cost more than the rest of the log path).
   */
  private forwardLines(stream: Readable, name: 'stdout' | 'stderr'): void {
    let unfinished = '';
    const write = (message: string) => this.logSink.write({ functionName: this.fn.name, stream: name, message, time: new Date() });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (unfinished + chunk).split('\n');
      unfinished = lines.pop() ?? '';
      for (const line of lines) write(line);
    });
    stream.on('end', () => {
      if (unfinished !== '') write(unfinished);
      unfinished = '';
    });
  }
}

/** The worker sends the handler's result as JSON text (null for undefined), as Lambda's response payload. */
const parseResult = (payload: string): unknown => {
  const result: unknown = JSON.parse(payload);
  return result;
};
