import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { FunctionError, type FunctionInvoker } from '#local/ports';
import type { LocalEventSourceMapping } from '#local/template/local-app';
import { failedMessageIds } from './batch-response.ts';
import { buildSqsEvent, isReceivedMessage, type ReceivedMessage } from './sqs-event.ts';

/**
 * An SQS event source mapping of the template model, as much of it as the
 * poller reads; tests may leave out what has a default: batchSize 10,
 * maximumConcurrency 5 batches in flight, reportBatchItemFailures false.
 */
export type EventSourceMapping = Pick<LocalEventSourceMapping, 'functionName'> &
  Partial<Pick<LocalEventSourceMapping, 'batchSize' | 'maximumConcurrency' | 'reportBatchItemFailures'>>;

export interface EventSourcePollerOptions {
  readonly mapping: EventSourceMapping;
  readonly queue: { readonly url: string; readonly arn: string };
  readonly client: SQSClient;
  readonly invoker: FunctionInvoker;
  /** Long-poll wait of each ReceiveMessage. @default 20 */
  readonly waitTimeSeconds?: number;
  /** Receives one JSON line per failed invocation or SQS error. @default stderr */
  readonly log?: (line: string) => void;
  /**
   * Decides per batch whether the function gets it a second time, as SQS's
   * at-least-once delivery can hand it over (e.g. the local chaos settings).
   * @default never
   */
  readonly redeliver?: () => boolean;
}

export interface EventSourcePoller {
  /** Stops receiving, lets the batches in flight finish (and delete what succeeded), then resolves. */
  stop(): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 10;
const DEFAULT_MAXIMUM_CONCURRENCY = 5;
const DEFAULT_WAIT_TIME_SECONDS = 20;
/** SQS hands out at most 10 messages per ReceiveMessage and deletes at most 10 per DeleteMessageBatch. */
const SQS_MAX_MESSAGES_PER_CALL = 10;
/** Pause after a failed ReceiveMessage, so an SQS outage does not become a busy loop. */
const RECEIVE_RETRY_DELAY_MS = 1_000;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

const describe = (error: unknown) =>
  error instanceof FunctionError ? `${error.errorType}: ${error.errorMessage}` : error instanceof Error ? error.message : String(error);

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolvePause) => {
    const timer = setTimeout(resolvePause, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolvePause();
    }, { once: true });
  });

/**
 * What Lambda's SQS event source mapping does for one mapping: long-polls the
 * queue, invokes the function with batches (at most `maximumConcurrency` at
 * once), and deletes the messages that succeeded. Failed messages are left
 * alone: they become visible again after the visibility timeout, and the
 * queue's redrive policy moves them to the dead-letter queue once received
 * maxReceiveCount times.
 */
export const startEventSourcePoller = (options: EventSourcePollerOptions): EventSourcePoller => {
  const { mapping, queue, client, invoker } = options;
  const batchSize = mapping.batchSize ?? DEFAULT_BATCH_SIZE;
  const concurrency = mapping.maximumConcurrency ?? DEFAULT_MAXIMUM_CONCURRENCY;
  const waitTimeSeconds = options.waitTimeSeconds ?? DEFAULT_WAIT_TIME_SECONDS;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stopping = new AbortController();

  const report = (message: string, fields: Record<string, unknown> = {}) =>
    log(JSON.stringify({ level: 'WARN', component: 'sqs-event-source', queue: queue.arn, functionName: mapping.functionName, message, ...fields }));

  // Only the long poll is cut short by stop(): a batch already received is always processed.
  const receive = async (maxMessages: number, wait: number, abortSignal?: AbortSignal): Promise<ReceivedMessage[]> => {
    const response = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: maxMessages,
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal },
    );
    return (response.Messages ?? []).filter(isReceivedMessage);
  };

  /** One long poll, then (for batches above 10) what is already waiting, up to the batch size. */
  const receiveBatch = async (): Promise<ReceivedMessage[]> => {
    const batch = await receive(Math.min(batchSize, SQS_MAX_MESSAGES_PER_CALL), waitTimeSeconds, stopping.signal);
    while (batch.length > 0 && batch.length < batchSize && batch.length % SQS_MAX_MESSAGES_PER_CALL === 0) {
      const more = await receive(Math.min(batchSize - batch.length, SQS_MAX_MESSAGES_PER_CALL), 0);
      if (more.length === 0) break;
      batch.push(...more);
    }
    return batch;
  };

  const deleteMessages = async (messages: readonly ReceivedMessage[]) => {
    for (const chunk of chunks(messages, SQS_MAX_MESSAGES_PER_CALL)) {
      const response = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: chunk.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
      for (const failure of response.Failed ?? []) report('could not delete a processed message', { code: failure.Code, detail: failure.Message });
    }
  };

  const processBatch = async (batch: readonly ReceivedMessage[]) => {
    const messageIds = batch.map((message) => message.MessageId);
    let failed: ReadonlySet<string>;
    const event = buildSqsEvent(batch, queue.arn);
    try {
      const response = await invoker.invoke(mapping.functionName, event);
      failed = mapping.reportBatchItemFailures ? failedMessageIds(response, messageIds) : new Set();
    } catch (error) {
      report('the function failed; the batch will be retried', { error: describe(error), messageIds });
      failed = new Set(messageIds);
    }
    if (options.redeliver?.()) {
      // The copy arrives after the first delivery ended, as a message whose delete was lost comes back; the first one's outcome decides what is deleted.
      await invoker.invoke(mapping.functionName, event).catch((error: unknown) => report('the function failed on a duplicate delivery', { error: describe(error), messageIds }));
    }
    if (failed.size > 0 && failed.size < batch.length) report('partial batch failure; the failed messages will be retried', { failedMessageIds: [...failed] });
    await deleteMessages(batch.filter((message) => !failed.has(message.MessageId)));
  };

  const work = async () => {
    while (!stopping.signal.aborted) {
      let batch: ReceivedMessage[];
      try {
        batch = await receiveBatch();
      } catch (error) {
        if (stopping.signal.aborted) return;
        report('could not receive messages', { error: describe(error) });
        await pause(RECEIVE_RETRY_DELAY_MS, stopping.signal);
        continue;
      }
      if (batch.length === 0) continue;
      try {
        await processBatch(batch);
      } catch (error) {
        report('could not delete the processed messages; they will be delivered again', { error: describe(error) });
      }
    }
  };

  const workers = Array.from({ length: concurrency }, () => work());
  return {
    async stop() {
      stopping.abort();
      await Promise.all(workers);
    },
  };
};
