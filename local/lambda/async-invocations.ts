import { FunctionError, type QueueSender } from '#local/ports';
import type { LocalFunction } from '#local/template/local-app';

/**
 * Lambda's asynchronous invocation (InvocationType Event, how EventBridge
 * invokes a Lambda target): the caller only learns that the event was
 * accepted. When the function fails, Lambda retries it twice, then sends
 * the event to the function's dead-letter queue (DeadLetterConfig), or
 * drops it when there is none.
 */

export interface AsyncInvocationsOptions {
  /** Runs one attempt (the synchronous invoke, with its timeout, concurrency and faults). */
  readonly invoke: (fn: LocalFunction, event: unknown) => Promise<unknown>;
  /** Sends an event that failed every attempt to the function's dead-letter queue. */
  readonly deadLetterSender?: QueueSender;
  /** The wait before each retry; its length is the number of retries. */
  readonly retryDelaysMs: readonly number[];
  /** Reports what the platform would log: an event sent to a DLQ or dropped. */
  readonly log: (fn: LocalFunction, message: string) => void;
}

const describe = (error: unknown) => (error instanceof FunctionError ? `${error.errorType}: ${error.errorMessage}` : String(error));

export class AsyncInvocations {
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(private readonly options: AsyncInvocationsOptions) {}

  /** Accepts the event and runs it in the background. */
  submit(fn: LocalFunction, event: unknown): void {
    const run = this.runWithRetries(fn, event).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Cancels waiting retries at once; resolves when the attempts still running have ended. */
  stop(): Promise<void> {
    this.stopping.abort();
    return Promise.all([...this.running]).then(() => undefined);
  }

  private async runWithRetries(fn: LocalFunction, event: unknown): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.options.retryDelaysMs.length; attempt++) {
      if (attempt > 0 && !(await this.wait(this.options.retryDelaysMs[attempt - 1] ?? 0))) return;
      try {
        await this.options.invoke(fn, event);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    await this.giveUp(fn, event, lastError);
  }

  private async giveUp(fn: LocalFunction, event: unknown, error: unknown): Promise<void> {
    // An attempt cut short by the runtime stopping says nothing about the event: it is not dead-lettered.
    if (this.stopping.signal.aborted) return;
    const attempts = this.options.retryDelaysMs.length + 1;
    const dlq = fn.deadLetterQueueArn;
    if (!dlq || !this.options.deadLetterSender) {
      this.options.log(fn, `Asynchronous event dropped after ${attempts} attempts (${describe(error)}): the function has no dead-letter queue`);
      return;
    }
    try {
      await this.options.deadLetterSender.sendMessage(dlq, JSON.stringify(event ?? null));
      this.options.log(fn, `Asynchronous event sent to ${dlq} after ${attempts} attempts (${describe(error)})`);
    } catch (sendError) {
      this.options.log(fn, `Asynchronous event lost: it failed ${attempts} attempts (${describe(error)}) and could not be sent to ${dlq} (${String(sendError)})`);
    }
  }

  /** False when the runtime stops during the wait. */
  private wait(ms: number): Promise<boolean> {
    const { signal } = this.stopping;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
