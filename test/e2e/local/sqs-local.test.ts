import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import type { FunctionInvoker } from '#local/ports';
import { startEventSourcePoller } from '#local/sqs/event-source-poller';
import { startLocalSqs, type LocalSqs } from '#local/sqs/local-sqs';
import { sqsQueueArn } from '#local/arns';
import type { QueueDeclaration } from '#local/sqs/child-protocol';
import { eventually } from '#test/support/eventually';

/** SQS's default retention: 4 days. */
const RETENTION_SECONDS = 345_600;

const queuePair = (name: string, options: { visibilityTimeoutSeconds: number; maxReceiveCount: number }): QueueDeclaration[] => [
  {
    logicalId: `${name}Queue`,
    name,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    messageRetentionSeconds: RETENTION_SECONDS,
    redrivePolicy: { deadLetterQueueArn: sqsQueueArn(`${name}-dlq`), maxReceiveCount: options.maxReceiveCount },
  },
  { logicalId: `${name}DeadLetterQueue`, name: `${name}-dlq`, visibilityTimeoutSeconds: 30, messageRetentionSeconds: RETENTION_SECONDS },
];

const bodiesOf = (messages: readonly Message[] | undefined) => (messages ?? []).map((message) => message.Body).sort();

describe('local SQS (fauxqs) through the SQS client', () => {
  let sqs: LocalSqs;

  beforeAll(async () => {
    sqs = await startLocalSqs({
      queues: [
        ...queuePair('redrive', { visibilityTimeoutSeconds: 30, maxReceiveCount: 2 }),
        ...queuePair('batch', { visibilityTimeoutSeconds: 1, maxReceiveCount: 5 }),
      ],
    });
  });

  afterAll(async () => {
    await sqs?.stop();
  });

  it('moves a message to the dead-letter queue once it was received maxReceiveCount times', async () => {
    // Prepare
    const queue = sqs.queue('redriveQueue');
    const deadLetterQueue = sqs.queue('redriveDeadLetterQueue');
    const sent = await sqs.client.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'poison' }));
    // Each receive gives the message back at once (visibility 0), as a failed attempt would.
    const receiveAgain = () => sqs.client.send(new ReceiveMessageCommand({ QueueUrl: queue.url, VisibilityTimeout: 0 }));
    await receiveAgain();
    await receiveAgain();

    // Act
    const third = await receiveAgain();
    const dead = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: deadLetterQueue.url, WaitTimeSeconds: 1 }));

    // Assess
    expect(third.Messages).toBeUndefined();
    expect(dead.Messages?.map((message) => [message.MessageId, message.Body])).toEqual([[sent.MessageId, 'poison']]);
  });

  it('deletes the messages a batch handled and retries only those the function reported as failed', async () => {
    // Prepare
    const queue = sqs.queue('batchQueue');
    const batches: SQSEvent[] = [];
    const invoker: FunctionInvoker = {
      invoke: async (_functionName, event) => {
        const batch = event as SQSEvent;
        batches.push(batch);
        return { batchItemFailures: batch.Records.filter((record) => record.body === 'fail').map((record) => ({ itemIdentifier: record.messageId })) };
      },
    };
    await sqs.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: ['ok-1', 'fail', 'ok-2'].map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );

    // Act
    const poller = startEventSourcePoller({
      mapping: { functionName: 'StartPurchaseFunction', batchSize: 10, maximumConcurrency: 2, reportBatchItemFailures: true },
      queue,
      client: sqs.client,
      invoker,
      waitTimeSeconds: 1,
      log: () => undefined,
    });
    try {
      await eventually(() => batches.length, (count) => count >= 2, { what: 'the failed message to be delivered again', timeoutMs: 15_000, intervalMs: 50 });
    } finally {
      await poller.stop();
    }

    // Assess
    expect(batches[0]?.Records.map((record) => record.body).sort()).toEqual(['fail', 'ok-1', 'ok-2']);
    expect(batches[1]?.Records.map((record) => [record.body, record.attributes.ApproximateReceiveCount])).toEqual([['fail', '2']]);
  });

  it('fails to start naming the service and the port when the port is taken', async () => {
    // Prepare
    const blocker: Server = createServer();
    await new Promise<void>((resolveListen) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolveListen));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    try {
      // Act
      const starting = startLocalSqs({ queues: [], port });

      // Assess
      await expect(starting).rejects.toThrow(`SQS (fauxqs) cannot listen on 127.0.0.1:${port}: the port is already in use`);
    } finally {
      blocker.close();
    }
  });
});

describe('local SQS across a kill and a restart', () => {
  const queues = queuePair('restart', { visibilityTimeoutSeconds: 30, maxReceiveCount: 5 });
  let journalDir: string;
  let running: LocalSqs | undefined;

  beforeEach(() => {
    journalDir = mkdtempSync(join(tmpdir(), 'sqs-journal-'));
  });

  afterEach(async () => {
    await running?.stop();
    rmSync(journalDir, { recursive: true, force: true });
  });

  it('delivers again every message sent and not deleted before the kill, and only those', async () => {
    // Prepare
    const first = await startLocalSqs({ queues, journalDir });
    running = first;
    const url = first.queue('restartQueue').url;
    for (const body of ['deleted', 'in-flight', 'waiting']) await first.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const toDelete = await first.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    await first.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: toDelete.Messages?.[0]?.ReceiptHandle }));
    const inFlight = await first.client.send(new ReceiveMessageCommand({ QueueUrl: url }));
    process.kill(first.pid, 'SIGKILL');
    await first.stop();

    // Act
    const second = await startLocalSqs({ queues, journalDir });
    running = second;
    const redelivered = await second.client.send(
      new ReceiveMessageCommand({ QueueUrl: second.queue('restartQueue').url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );

    // Assess
    expect(bodiesOf(toDelete.Messages)).toEqual(['deleted']);
    expect(bodiesOf(inFlight.Messages)).toEqual(['in-flight']);
    expect(second.recovery.restoredMessages).toBe(2);
    expect(redelivered.Messages?.map((message) => [message.Body, message.Attributes?.ApproximateReceiveCount]).sort()).toEqual([
      ['in-flight', '2'],
      ['waiting', '1'],
    ]);
  });
});
