import { InvalidQueueDeclarationError, localQueueArn, queueNameOf, resolveQueueDeclarations } from '#local/sqs/queue-declarations';

describe('queue declarations', () => {
  it('applies the SQS defaults', () => {
    // Act
    const [queue] = resolveQueueDeclarations([{ logicalId: 'PurchaseQueue', queueName: 'purchases' }]);

    // Assess
    expect(queue).toEqual({ logicalId: 'PurchaseQueue', queueName: 'purchases', visibilityTimeoutSeconds: 30, messageRetentionSeconds: 345_600 });
  });

  it('refuses a redrive policy whose dead-letter queue the template does not declare, naming both', () => {
    // Act
    const resolving = () =>
      resolveQueueDeclarations([{ logicalId: 'PurchaseQueue', queueName: 'purchases', redrivePolicy: { deadLetterTargetArn: localQueueArn('missing-dlq'), maxReceiveCount: 3 } }]);

    // Assess
    expect(resolving).toThrow(new InvalidQueueDeclarationError('Queue PurchaseQueue: its dead-letter queue arn:aws:sqs:us-east-1:000000000000:missing-dlq is not a queue of the template'));
  });

  it('refuses a FIFO queue, naming it', () => {
    // Act
    const resolving = () => resolveQueueDeclarations([{ logicalId: 'OrdersFifo', queueName: 'orders.fifo' }]);

    // Assess
    expect(resolving).toThrow(/Queue OrdersFifo: queueName .*FIFO queues are not served locally/);
  });

  it.each([
    ['a local URL', 'http://127.0.0.1:4566/000000000000/purchases'],
    ['an AWS URL', 'https://sqs.us-east-1.amazonaws.com/123456789012/purchases'],
    ['an ARN', 'arn:aws:sqs:us-east-1:000000000000:purchases'],
  ])('finds the queue name in %s', (_case, reference) => {
    // Act
    const name = queueNameOf(reference);

    // Assess
    expect(name).toBe('purchases');
  });
});
