import type { Limit } from 'p-limit';
import { FunctionError } from '#local/ports';
import type { EventEnvelope } from './envelope.ts';
import type { DeliveryContext, TargetInputRenderer } from './target-input.ts';
import type { AttributedQueueSender, MessageAttributes, TargetSender } from './targets.ts';

/** A rule's target, compiled once at startup. */
export interface DeliveryTarget {
  readonly id: string;
  readonly arn: string;
  readonly ruleArn: string;
  readonly ruleName: string;
  readonly render: TargetInputRenderer;
  readonly send: TargetSender;
  /** Shared by every delivery to this target, bounding its concurrency. */
  readonly limiter: Limit;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeMs: number;
  readonly deadLetterArn?: string;
}

export interface DeliveryLogger {
  warn(message: string): void;
}

/** How one delivery departs from the plain one: sent twice, or held back first. Decided by a fault source such as the local chaos settings. */
interface DeliveryFault {
  /** The target gets the event this many times (each with its own retries). */
  readonly copies: number;
  /** Wait before the first attempt, so later events can overtake this one. */
  readonly delayMs: number;
}

export type DeliveryFaultSource = (target: DeliveryTarget, event: EventEnvelope) => DeliveryFault | undefined;

export interface DeliveryOptions {
  readonly now: () => number;
  /** @default none: every event is delivered once, at once */
  readonly faults?: DeliveryFaultSource;
  /** Delay before retry n (1-based). AWS backs off exponentially with jitter; locally it is deterministic. */
  readonly retryDelayMs: (retry: number) => number;
  readonly deadLetters?: AttributedQueueSender;
  readonly logger: DeliveryLogger;
}

/** Which retry limit ended a delivery, as the EXHAUSTED_RETRY_CONDITION attribute names it. */
type ExhaustedCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

interface Failure {
  readonly code: string;
  readonly message: string;
}

/**
 * The target's own error name: a Lambda's errorType, or the error class of
 * an SQS or Step Functions call, so a developer reading the DLQ sees what failed.
 */
const describeFailure = (error: unknown): Failure => {
  if (error instanceof FunctionError) return { code: error.errorType, message: error.errorMessage };
  // By shape rather than `instanceof Error`, which misses errors made in another realm.
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    const name = 'name' in error && typeof error.name === 'string' ? error.name : 'Error';
    return { code: name, message: error.message };
  }
  return { code: 'Error', message: String(error) };
};

/** How a delivery ended: `settled` (delivered, dead-lettered or dropped), or `abandoned` by a stop while it still had retries to make. */
export type DeliveryEnd = 'settled' | 'abandoned';

class DeliveryStopped extends Error {
  override readonly name = 'DeliveryStopped';
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new DeliveryStopped());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DeliveryStopped());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Delivers events to targets asynchronously: PutEvents returns before any
 * target runs, as in AWS. A failed delivery is retried per the target's
 * RetryPolicy; when a limit is reached the event goes to the target's DLQ
 * with the attributes AWS adds, or is dropped (with a warning) without one.
 */
export class DeliveryScheduler {
  private readonly inFlight = new Set<Promise<DeliveryEnd>>();
  private readonly stopping = new AbortController();

  constructor(private readonly options: DeliveryOptions) {}

  /** Starts delivering; the returned promise resolves (never rejects) when the delivery is done: delivered, dead-lettered, dropped or abandoned. */
  deliver(target: DeliveryTarget, event: EventEnvelope, ingestedAt: number): Promise<DeliveryEnd> {
    const delivery = this.deliverWithFaults(target, event, ingestedAt)
      .catch((error: unknown): DeliveryEnd => {
        // Not a target failure (those are retried) but a delivery that cannot be made at all: trying again will not help.
        this.options.logger.warn(`delivery of event ${event.id} to ${target.arn} stopped: ${describeFailure(error).message}`);
        return 'settled';
      })
      .finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
    return delivery;
  }

  /** Resolves once no delivery is in flight, including ones started meanwhile. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Abandons pending retries and waits for attempts already running. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.whenIdle();
  }

  private async deliverWithFaults(target: DeliveryTarget, event: EventEnvelope, ingestedAt: number): Promise<DeliveryEnd> {
    const fault = this.options.faults?.(target, event);
    if (!fault) return this.deliverWithRetries(target, event, ingestedAt);
    try {
      await sleep(fault.delayMs, this.stopping.signal);
    } catch (stopped) {
      // Still owed: the next start delivers it.
      if (stopped instanceof DeliveryStopped) return 'abandoned';
      throw stopped;
    }
    const ends = await Promise.all(Array.from({ length: Math.max(fault.copies, 1) }, () => this.deliverWithRetries(target, event, ingestedAt)));
    return ends.includes('abandoned') ? 'abandoned' : 'settled';
  }

  private async deliverWithRetries(target: DeliveryTarget, event: EventEnvelope, ingestedAt: number): Promise<DeliveryEnd> {
    const context: DeliveryContext = { ruleArn: target.ruleArn, ruleName: target.ruleName, ingestedAt };
    const input = target.render(event, context);
    for (let retries = 0; !this.stopping.signal.aborted; retries++) {
      try {
        await target.limiter(() => target.send(input));
        return 'settled';
      } catch (error) {
        const failure = describeFailure(error);
        if (retries >= target.maximumRetryAttempts) {
          await this.deadLetter(target, event, failure, retries, 'MaximumRetryAttempts');
          return 'settled';
        }
        const delay = this.options.retryDelayMs(retries + 1);
        if (this.options.now() + delay - ingestedAt > target.maximumEventAgeMs) {
          await this.deadLetter(target, event, failure, retries, 'MaximumEventAgeInSeconds');
          return 'settled';
        }
        try {
          await sleep(delay, this.stopping.signal);
        } catch (stopped) {
          if (stopped instanceof DeliveryStopped) return 'abandoned';
          throw stopped;
        }
      }
    }
    return 'abandoned';
  }

  private async deadLetter(target: DeliveryTarget, event: EventEnvelope, failure: Failure, retries: number, condition: ExhaustedCondition) {
    const summary = `event ${event.id} to ${target.arn} (rule ${target.ruleName}) failed after ${retries} retries: ${failure.code}: ${failure.message}`;
    if (!target.deadLetterArn) {
      this.options.logger.warn(`dropped ${summary}`);
      return;
    }
    const attributes: MessageAttributes = {
      RULE_ARN: target.ruleArn,
      TARGET_ARN: target.arn,
      ERROR_CODE: failure.code,
      ERROR_MESSAGE: failure.message,
      EXHAUSTED_RETRY_CONDITION: condition,
      RETRY_ATTEMPTS: String(retries),
    };
    try {
      if (!this.options.deadLetters) throw new Error('no QueueSender was given for dead-letter queues');
      await this.options.deadLetters.sendMessage(target.deadLetterArn, JSON.stringify(event), attributes);
    } catch (error) {
      this.options.logger.warn(`lost ${summary}; the dead-letter queue ${target.deadLetterArn} refused it: ${describeFailure(error).message}`);
    }
  }
}
