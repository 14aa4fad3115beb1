import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sagaInputSchema } from '#domain/saga-input';
import type { EnqueuePurchase } from '../ports.ts';

export interface SqsPurchaseQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
}

/** The purchase queue: its message body is the saga's execution input, and nothing else. */
export const createSqsPurchaseQueue = ({ client, queueUrl }: SqsPurchaseQueueOptions): EnqueuePurchase => async (input, options) => {
  // Parsing strips anything that is not part of the saga input, so no payment data can ride along.
  const body = sagaInputSchema.parse(input);
  await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(body),
      ...(options?.delaySeconds ? { DelaySeconds: options.delaySeconds } : {}),
    }),
  );
};
