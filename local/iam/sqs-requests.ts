import { z } from 'zod';
import { queueNameOf, sqsQueueArn } from '#local/arns';
import type { AuthorizationRequest } from './role-policy.ts';

/**
 * What SQS authorizes for one request: the action on the queue its QueueUrl
 * (or GetQueueUrl's QueueName) names. A batch is authorized as the action of
 * its entries (SendMessageBatch needs sqs:SendMessage).
 */

const requestShape = z.looseObject({ QueueUrl: z.string().optional(), QueueName: z.string().optional() });

const BATCH_ACTIONS: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

export const sqsAuthorizationRequests = (operation: string, body: unknown): AuthorizationRequest[] => {
  const request = requestShape.safeParse(body).data ?? {};
  const queueName = request.QueueUrl !== undefined ? queueNameOf(request.QueueUrl) : request.QueueName;
  return [{ action: `sqs:${BATCH_ACTIONS[operation] ?? operation}`, resource: queueName === undefined ? '*' : sqsQueueArn(queueName) }];
};
