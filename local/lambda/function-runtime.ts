import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type Limit } from 'p-limit';
import { FunctionError, type FunctionInvoker, type InvocationContext, type QueueSender } from '#local/ports';
import { lambdaFunctionNameOf } from '#local/arns';
import type { LocalFunction } from '#local/template/local-app';
import { AsyncInvocations } from './async-invocations.ts';
import { FaultInjector, type FaultPlan } from './fault-plan.ts';
import { consoleLogSink, type FunctionLogSink } from './function-logs.ts';
import { FunctionWorker } from './function-worker.ts';
import type { InvocationFault, InvocationFaultSource } from './invocation-faults.ts';
import { functionEnvironment } from './lambda-environment.ts';
import { exitError, functionNotFoundError, LAMBDA_ERROR_TYPES, throttledError, timeoutError } from './lambda-errors.ts';

export interface FunctionRuntimeOptions {
  readonly functions: readonly LocalFunction[];
  /** Variables every function gets on top of its template environment (see localServiceEnvironment). */
  readonly environment: Readonly<Record<string, string>>;
  /** @default consoleLogSink(): stdout, prefixed with the function name */
  readonly logSink?: FunctionLogSink;
  /**
   * Most invocations of one function that run at once; more wait for a slot.
   * A template's ReservedConcurrentExecutions lowers it further.
   * @default 10
   */
  readonly maxConcurrency?: number;
  /** Faults to inject (see fault-plan.ts). @default none */
  readonly faultPlan?: FaultPlan;
  /** Decides per invocation whether it fails, e.g. the seeded chaos settings (local/faults/). @default none */
  readonly invocationFaults?: InvocationFaultSource;
  /** How long a worker may leave a ping unanswered after a timeout before it is replaced. @default 1000 */
  readonly stuckWorkerGraceMs?: number;
  /** Sends asynchronous events that failed every attempt to the function's DeadLetterConfig queue. @default none: they are logged and dropped */
  readonly deadLetterSender?: QueueSender;
  /**
   * The waits before the two retries of a failed asynchronous invocation.
   * Lambda waits 1 then 2 minutes; locally the default is shorter so a
   * failing projection reaches its DLQ while someone is watching.
   * @default [1000, 2000]
   */
  readonly asyncRetryDelaysMs?: readonly number[];
}

/** Runs the app's functions locally. `stop` ends every worker thread. */
export interface FunctionRuntime extends FunctionInvoker {
  /**
   * Invokes asynchronously, as EventBridge invokes a Lambda target: resolves
   * once the event is accepted (rejects only for an unknown function); a
   * failed event is retried twice, then sent to the function's dead-letter queue.
   */
  invokeAsync(functionNameOrArn: string, event: unknown): Promise<void>;
  /** Replaces the fault plan; counts start over. */
  setFaultPlan(plan: FaultPlan): void;
  /** Starts every function's worker now and fails with the first init error (a broken bundle or config). */
  warmUp(): Promise<void>;
  /** Ends every worker thread (invocations in flight fail) and closes the log sink. */
  stop(): Promise<void>;
}

const DEFAULT_MAX_CONCURRENCY = 10;

/** The Node.js major a Lambda runtime stands for (nodejs24.x: 24); undefined for any other runtime. */
const nodeMajorOf = (lambdaRuntime: string): number | undefined => {
  const major = /^nodejs(\d+)\.x$/.exec(lambdaRuntime)?.[1];
  return major === undefined ? undefined : Number(major);
};

/** The INIT_START line: the template's runtime and the local Node.js, with a hint when their majors differ. */
export const initStartMessage = (lambdaRuntime: string, localVersion: string = process.version): string => {
  const deployed = nodeMajorOf(lambdaRuntime);
  const local = Number(/^v(\d+)/.exec(localVersion)?.[1]);
  const mismatch = deployed !== undefined && deployed !== local ? `; not the deployed Node.js ${deployed}: start through npm, which runs the project's own Node.js` : '';
  return `INIT_START Runtime Version: ${lambdaRuntime} (local Node.js ${localVersion}${mismatch})`;
};
const DEFAULT_STUCK_WORKER_GRACE_MS = 1000;
const DEFAULT_ASYNC_RETRY_DELAYS_MS = [1000, 2000];

interface FunctionSlot {
  readonly fn: LocalFunction;
  readonly limit: Limit;
  readonly concurrency: number;
  worker?: FunctionWorker;
}

const platformLine = (fn: LocalFunction, message: string) => ({ functionName: fn.name, stream: 'platform' as const, message, time: new Date() });

/**
 * Takes one of the function's slots, waiting in arrival order, and resolves
 * with the function that gives it back. The local runtime queues rather than
 * throttles: on one machine a waiting caller (the state machine, the queue
 * poller, the API) is the useful behaviour. A slot rather than `limit(task)`
 * because a runTwice fault answers with the first run while the slot stays
 * taken until the second one ends. Giving it back twice is harmless.
 */
const takeSlot = (limit: Limit): Promise<() => void> =>
  new Promise((taken) => {
    void limit(() => new Promise<void>((giveBack) => taken(() => giveBack())));
  });

/** Waits, but no longer than until the runtime stops. */
const pause = (ms: number, signal: AbortSignal): Promise<void> => sleep(Math.max(ms, 0), undefined, { signal }).catch(() => undefined);

/**
 * The local Lambda service: invokes a function by name or ARN with its
 * bundled code in a worker thread of its own (one execution environment per
 * function), its resolved environment, its timeout and bounded concurrency.
 *
 * One worker runs several invocations of its function at once: handlers are
 * async and spend their time waiting on DynamoDB, SQS or EventBridge, so one
 * event loop serves them well, where a worker per invocation would cost a
 * thread and a fresh copy of the bundle (tens of MB) each on a two-core
 * machine. Per-invocation state stays apart the way it does on Lambda
 * Managed Instances (see function-worker-entry.mjs).
 */
export const createFunctionRuntime = (options: FunctionRuntimeOptions): FunctionRuntime => {
  const logSink = options.logSink ?? consoleLogSink();
  const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const graceMs = options.stuckWorkerGraceMs ?? DEFAULT_STUCK_WORKER_GRACE_MS;
  let faults = new FaultInjector(options.faultPlan ?? {}, options.functions);
  let stopped = false;
  const stopping = new AbortController();

  const slots = new Map<string, FunctionSlot>();
  for (const fn of options.functions) {
    const concurrency = Math.min(maxConcurrency, fn.reservedConcurrency ?? maxConcurrency);
    slots.set(fn.name, { fn, concurrency, limit: pLimit(Math.max(concurrency, 1)) });
  }

  const workerFor = (slot: FunctionSlot): FunctionWorker => {
    if (!slot.worker?.isAlive) {
      // A cold start, logged as Lambda logs it; the runtime is the template's, the Node.js the local one.
      logSink.write(platformLine(slot.fn, initStartMessage(slot.fn.runtime)));
      slot.worker = new FunctionWorker(slot.fn, functionEnvironment(slot.fn, options.environment, slot.concurrency), logSink);
    }
    return slot.worker;
  };

  /** After a timeout: a worker whose event loop is blocked cannot run anything else, so it is replaced. */
  const replaceIfStuck = async (slot: FunctionSlot, worker: FunctionWorker) => {
    if (await worker.isResponsive(graceMs)) return;
    logSink.write(platformLine(slot.fn, `The execution environment stopped answering and is replaced`));
    if (slot.worker === worker) slot.worker = undefined;
    await worker.terminate();
  };

  const run = async (slot: FunctionSlot, event: unknown): Promise<unknown> => {
    const { fn } = slot;
    const requestId = randomUUID();
    const timeoutMs = fn.timeoutSeconds * 1000;
    const started = performance.now();
    const worker = workerFor(slot);
    let timer: NodeJS.Timeout | undefined;
    let outcome = 'success';
    logSink.write(platformLine(fn, `START RequestId: ${requestId} Version: $LATEST`));
    try {
      // The timeout covers a cold start too: a module that never finishes loading times out like a slow handler.
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(timeoutError(requestId, fn.timeoutSeconds)), timeoutMs);
      });
      const invocation = worker.ready.then(() => worker.invoke(requestId, event, Date.now() + timeoutMs - (performance.now() - started)));
      return await Promise.race([invocation, timedOut]);
    } catch (error) {
      outcome = error instanceof FunctionError ? error.errorType : 'error';
      if (error instanceof FunctionError && error.errorType === LAMBDA_ERROR_TYPES.timeout) {
        worker.abandon(requestId);
        logSink.write(platformLine(fn, `${new Date().toISOString()} ${requestId} Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`));
        // Checked before answering (a healthy worker answers in a moment) so the next invocation never lands on a stuck one.
        await replaceIfStuck(slot, worker);
      }
      throw error instanceof FunctionError ? error : exitError(requestId, String(error));
    } finally {
      clearTimeout(timer);
      const duration = (performance.now() - started).toFixed(2);
      logSink.write(platformLine(fn, `END RequestId: ${requestId}`));
      logSink.write(platformLine(fn, `REPORT RequestId: ${requestId}\tDuration: ${duration} ms\tMemory Size: ${fn.memoryMb} MB\tStatus: ${outcome}`));
    }
  };

  const slotFor = (functionNameOrArn: string): FunctionSlot => {
    const slot = slots.get(lambdaFunctionNameOf(functionNameOrArn));
    if (!slot) throw functionNotFoundError(functionNameOrArn);
    return slot;
  };

  /** Two runs of one event at once: the answer that comes first is the caller's; the slot is held until both end. */
  const runTwice = (slot: FunctionSlot, event: unknown): { answer: Promise<unknown>; settled: Promise<unknown> } => {
    const runs = [run(slot, event), run(slot, event)];
    return { answer: Promise.race(runs), settled: Promise.allSettled(runs) };
  };

  const invokeSlot = async (slot: FunctionSlot, event: unknown, context: InvocationContext = {}): Promise<unknown> => {
    if (stopped) throw exitError('-', 'the local Lambda runtime has stopped');
    if (slot.concurrency === 0) throw throttledError();
    const before = faults.take(slot.fn, 'beforeHandler');
    if (before) throw before;
    const fault: InvocationFault | undefined = options.invocationFaults?.(slot.fn, context);
    if (fault) logSink.write(platformLine(slot.fn, `Fault injected by the local chaos settings: ${fault.name}`));
    if (fault?.kind === 'failBeforeHandler') throw fault.error;
    if (fault?.kind === 'answerLate') {
      await pause(fault.startDelayMs, stopping.signal);
      if (stopped) throw exitError('-', 'the local Lambda runtime has stopped');
    }
    const release = await takeSlot(slot.limit);
    let result: unknown;
    try {
      if (fault?.kind === 'runTwice') {
        const { answer, settled } = runTwice(slot, event);
        // The slot stays taken until the slower run ends too: both really run.
        void settled.finally(release);
        result = await answer;
      } else {
        result = await run(slot, event);
      }
    } finally {
      if (fault?.kind !== 'runTwice') release();
    }
    const after = faults.take(slot.fn, 'afterHandler');
    if (after) throw after;
    if (fault?.kind === 'failAfterHandler') throw fault.error;
    if (fault?.kind === 'answerLate') await pause(fault.answerAt - Date.now(), stopping.signal);
    return result;
  };

  const asyncInvocations = new AsyncInvocations({
    invoke: (fn, event) => invokeSlot(slotFor(fn.name), event),
    ...(options.deadLetterSender ? { deadLetterSender: options.deadLetterSender } : {}),
    retryDelaysMs: options.asyncRetryDelaysMs ?? DEFAULT_ASYNC_RETRY_DELAYS_MS,
    log: (fn, message) => logSink.write(platformLine(fn, message)),
  });

  return {
    invoke: async (functionNameOrArn, event, context) => invokeSlot(slotFor(functionNameOrArn), event, context),
    async invokeAsync(functionNameOrArn, event) {
      const slot = slotFor(functionNameOrArn);
      asyncInvocations.submit(slot.fn, event);
    },
    setFaultPlan(plan) {
      faults = new FaultInjector(plan, options.functions);
    },
    async warmUp() {
      await Promise.all([...slots.values()].filter((slot) => slot.concurrency > 0).map((slot) => workerFor(slot).ready));
    },
    async stop() {
      stopped = true;
      stopping.abort();
      // Retries stop waiting now; attempts in flight end with their workers below.
      const asyncSettled = asyncInvocations.stop();
      const workers = [...slots.values()].flatMap((slot) => (slot.worker ? [slot.worker] : []));
      for (const slot of slots.values()) slot.worker = undefined;
      await Promise.all(workers.map((worker) => worker.terminate()));
      await asyncSettled;
      await logSink.close();
    },
  };
};
