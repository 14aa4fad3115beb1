import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SagaHealthCheck } from '../ports.ts';

/**
 * The purchase saga is unhealthy while its dead-letter queue holds a
 * message: purchases are failing to start, and admitting more buyers would
 * only add to them. The queue depth is the source of the dead-letter queue
 * alarm, read directly because the local runtime serves no CloudWatch; the
 * executions that need a person are checked the same way
 * (sfn-saga-health.ts).
 */
export const createSqsSagaHealthCheck =
  ({ client, deadLetterQueueUrl }: { readonly client: SQSClient; readonly deadLetterQueueUrl: string }): SagaHealthCheck =>
  async () => {
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    const deadLetters = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    return deadLetters > 0 ? { healthy: false, reason: `the purchase dead-letter queue holds ${deadLetters} message(s)` } : { healthy: true };
  };
