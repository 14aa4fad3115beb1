import { buildSqsEvent, type ReceivedMessage } from '#local/sqs/sqs-event';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:purchases';

const received: ReceivedMessage = {
  MessageId: 'm-1',
  ReceiptHandle: 'rh-1',
  Body: '{"purchaseId":"p-1"}',
  MD5OfBody: 'b1',
  MD5OfMessageAttributes: 'a1',
  Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1772000000000', SenderId: '000000000000', ApproximateFirstReceiveTimestamp: '1772000000500' },
  MessageAttributes: {
    correlationId: { DataType: 'String', StringValue: 'c-1' },
    blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) },
  },
};

describe('the SQS batch event', () => {
  it('has one record per message in the shape Lambda sends', () => {
    // Act
    const event = buildSqsEvent([received], QUEUE_ARN);

    // Assess
    expect(event).toEqual({
      Records: [
        {
          messageId: 'm-1',
          receiptHandle: 'rh-1',
          body: '{"purchaseId":"p-1"}',
          attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1772000000000', SenderId: '000000000000', ApproximateFirstReceiveTimestamp: '1772000000500' },
          messageAttributes: {
            correlationId: { stringValue: 'c-1', stringListValues: [], binaryListValues: [], dataType: 'String' },
            blob: { binaryValue: 'AQI=', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
          },
          md5OfBody: 'b1',
          md5OfMessageAttributes: 'a1',
          eventSource: 'aws:sqs',
          eventSourceARN: QUEUE_ARN,
          awsRegion: 'us-east-1',
        },
      ],
    });
  });
});
