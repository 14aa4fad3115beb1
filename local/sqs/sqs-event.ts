import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttribute, SQSRecord } from 'aws-lambda';
import { LOCAL_REGION } from '#local/ports';

/** A received message with the fields an event record cannot do without. */
export type ReceivedMessage = Message & { MessageId: string; ReceiptHandle: string };

export const isReceivedMessage = (message: Message): message is ReceivedMessage =>
  typeof message.MessageId === 'string' && typeof message.ReceiptHandle === 'string';

const toBase64 = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString('base64'));

/** SQS API attributes (StringValue, Uint8Array) in the event's form (stringValue, base64). */
const toRecordAttribute = (attribute: MessageAttributeValue): SQSMessageAttribute => ({
  ...(attribute.StringValue === undefined ? {} : { stringValue: attribute.StringValue }),
  ...(attribute.BinaryValue === undefined ? {} : { binaryValue: toBase64(attribute.BinaryValue) }),
  stringListValues: attribute.StringListValues ?? [],
  binaryListValues: (attribute.BinaryListValues ?? []).map((value) => Buffer.from(value).toString('base64')),
  dataType: attribute.DataType ?? 'String',
});

/** One record of the batch event Lambda's SQS event source mapping sends. */
const toSqsRecord = (message: ReceivedMessage, queueArn: string): SQSRecord => {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
    },
    messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, toRecordAttribute(value)])),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
};

export const buildSqsEvent = (messages: readonly ReceivedMessage[], queueArn: string): SQSEvent => ({
  Records: messages.map((message) => toSqsRecord(message, queueArn)),
});
