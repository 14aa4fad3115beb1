import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SagaHealthCheck } from '../ports.ts';

/**
 * The purchase saga is unhealthy while its dead-letter queue holds a
 * message: purchases are failing to start, and admitting more buyers would
 * only add to them. (The saga's CloudWatch alarms say more on AWS, but the
 * local runtime serves no CloudWatch: the queue depth is what both have.)
 */
export const createSqsSagaHealthCheck =
  ({ client, deadLetterQueueUrl }: { readonly client: SQSClient; readonly deadLetterQueueUrl: string }): SagaHealthCheck =>
  async () => {
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    const deadLetters = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    return deadLetters > 0 ? { healthy: false, reason: `the purchase dead-letter queue holds ${deadLetters} message(s)` } : { healthy: true };
  };
