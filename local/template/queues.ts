import { z } from 'zod';
import { jsonProperty } from './json-property.ts';
import { sqsQueueArn, sqsQueueUrl } from '#local/arns';
import type { LocalQueue } from './local-app.ts';
import { readProperties, requireServable, type PropertyPolicy, type ResourceView } from './resource-support.ts';

/** AWS::SQS::Queue -> LocalQueue. Standard queues only: fauxqs and the event source mappings serve no FIFO semantics. */

const NO_ENCRYPTION = 'local queues keep messages unencrypted on this machine';

const QUEUE_POLICY: PropertyPolicy = {
  served: [
    'QueueName',
    'VisibilityTimeout',
    'MessageRetentionPeriod',
    'DelaySeconds',
    'ReceiveMessageWaitTimeSeconds',
    'MaximumMessageSize',
    'RedrivePolicy',
    'FifoQueue',
  ],
  ignored: {
    SqsManagedSseEnabled: NO_ENCRYPTION,
    KmsMasterKeyId: NO_ENCRYPTION,
    KmsDataKeyReusePeriodSeconds: NO_ENCRYPTION,
    RedriveAllowPolicy: 'the local runtime does not enforce which queues may use a queue as their DLQ',
    Tags: 'tags have no behaviour',
  },
};

/** SQS defaults, as documented for CreateQueue. */
const DEFAULTS = {
  visibilityTimeoutSeconds: 30,
  messageRetentionSeconds: 345_600,
  delaySeconds: 0,
  receiveMessageWaitTimeSeconds: 0,
  maximumMessageSizeBytes: 262_144,
};

// CloudFormation accepts numbers as strings; so does this schema.
const count = z.coerce.number().int().nonnegative();

/** Standard queue names; a `.fifo` name belongs to a FIFO queue. */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

// The ranges SQS accepts for CreateQueue.
const queuePropertiesSchema = z.object({
  QueueName: z.string().min(1).optional(),
  VisibilityTimeout: count.max(43_200).optional(),
  MessageRetentionPeriod: count.min(60).max(1_209_600).optional(),
  DelaySeconds: count.optional(),
  ReceiveMessageWaitTimeSeconds: count.optional(),
  MaximumMessageSize: count.optional(),
  FifoQueue: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]).optional(),
  RedrivePolicy: jsonProperty(z.object({ deadLetterTargetArn: z.string().min(1), maxReceiveCount: z.coerce.number().int().min(1).max(1_000) })).optional(),
});

export const QUEUE_TYPES = ['AWS::SQS::Queue'] as const;

export const mapQueue = (resource: ResourceView, sqsEndpoint: string): LocalQueue => {
  const properties = readProperties(resource, QUEUE_POLICY, queuePropertiesSchema);
  requireServable(resource, 'FifoQueue', properties.FifoQueue !== true, 'FIFO queues (ordering, deduplication, message groups) are not emulated');
  const name = properties.QueueName ?? resource.logicalId;
  requireServable(resource, 'QueueName', QUEUE_NAME.test(name), 'a standard queue name: 1 to 80 letters, digits, hyphens or underscores (FIFO queues are not served locally)');
  const redrive = properties.RedrivePolicy;
  return {
    logicalId: resource.logicalId,
    name,
    arn: sqsQueueArn(name),
    url: sqsQueueUrl(sqsEndpoint, name),
    visibilityTimeoutSeconds: properties.VisibilityTimeout ?? DEFAULTS.visibilityTimeoutSeconds,
    messageRetentionSeconds: properties.MessageRetentionPeriod ?? DEFAULTS.messageRetentionSeconds,
    delaySeconds: properties.DelaySeconds ?? DEFAULTS.delaySeconds,
    receiveMessageWaitTimeSeconds: properties.ReceiveMessageWaitTimeSeconds ?? DEFAULTS.receiveMessageWaitTimeSeconds,
    maximumMessageSizeBytes: properties.MaximumMessageSize ?? DEFAULTS.maximumMessageSizeBytes,
    ...(redrive ? { redrivePolicy: { deadLetterQueueArn: redrive.deadLetterTargetArn, maxReceiveCount: redrive.maxReceiveCount } } : {}),
  };
};
