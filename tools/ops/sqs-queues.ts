import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { z } from 'zod';
import type { QueueMessage, QueuePort } from './ports.ts';

/** SQS limits: 10 messages a receive, 10 entries a batch call. */
const MAX_BATCH = 10;
/**
 * Long polling asks every SQS server, where a short poll samples a few and
 * can answer "empty" while messages wait; one second keeps a drained queue
 * quick to detect.
 */
const WAIT_SECONDS = 1;

const messageSchema = z.object({
  MessageId: z.string(),
  ReceiptHandle: z.string(),
  Body: z.string(),
  Attributes: z.record(z.string(), z.string()).optional(),
  MessageAttributes: z
    .record(z.string(), z.object({ DataType: z.string(), StringValue: z.string().optional(), BinaryValue: z.instanceof(Uint8Array).optional() }))
    .optional(),
});

const toMessage = (message: z.infer<typeof messageSchema>): QueueMessage => {
  const receiveCount = Number(message.Attributes?.ApproximateReceiveCount);
  const sentAt = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    ...(Number.isFinite(receiveCount) ? { receiveCount } : {}),
    ...(Number.isFinite(sentAt) ? { sentAt: new Date(sentAt) } : {}),
    ...(message.MessageAttributes ? { messageAttributes: message.MessageAttributes } : {}),
  };
};

export const createSqsQueues = (client: SQSClient): QueuePort => ({
  async approximateCount(queueUrl) {
    const response = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    return Number(response.Attributes?.ApproximateNumberOfMessages ?? 0);
  },

  async receive(queueUrl, max, visibilitySeconds) {
    const response = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(max, MAX_BATCH),
        VisibilityTimeout: visibilitySeconds,
        WaitTimeSeconds: WAIT_SECONDS,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        MessageAttributeNames: ['All'],
      }),
    );
    return z.array(messageSchema).parse(response.Messages ?? []).map(toMessage);
  },

  async release(queueUrl, receiptHandles) {
    for (let start = 0; start < receiptHandles.length; start += MAX_BATCH) {
      const batch = receiptHandles.slice(start, start + MAX_BATCH);
      const response = await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((receiptHandle, index) => ({ Id: String(index), ReceiptHandle: receiptHandle, VisibilityTimeout: 0 })),
        }),
      );
      const failed = response.Failed ?? [];
      if (failed.length > 0) {
        // Not fatal for the data: those messages reappear once their visibility timeout ends.
        throw new Error(`could not make ${failed.length} message(s) visible again: ${failed.map((f) => f.Message ?? f.Code).join('; ')}`);
      }
    }
  },

  async send(queueUrl, message) {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: message.body,
        // Carried over as received, so the consumer sees the message it would have seen the first time.
        ...(message.messageAttributes ? { MessageAttributes: { ...message.messageAttributes } } : {}),
      }),
    );
  },

  async delete(queueUrl, receiptHandle) {
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
  },
});
