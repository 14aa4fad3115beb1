import { z } from 'zod';
import { lambdaFunctionNameOf, parseArn } from '#local/arns';
import type { LocalEventSourceMapping } from './local-app.ts';
import { readProperties, requireServable, type PropertyPolicy, type ResourceView } from './resource-support.ts';

/** AWS::Lambda::EventSourceMapping -> LocalEventSourceMapping. SQS sources only. */

const NOT_FOR_SQS = 'only SQS event sources are served locally, and this setting belongs to stream or broker sources';

const MAPPING_POLICY: PropertyPolicy = {
  served: ['FunctionName', 'EventSourceArn', 'BatchSize', 'MaximumBatchingWindowInSeconds', 'ScalingConfig', 'FunctionResponseTypes', 'Enabled'],
  ignored: {
    Tags: 'tags have no behaviour',
    MetricsConfig: 'there is no CloudWatch locally',
    KmsKeyArn: 'filter criteria are not used, so there is nothing to encrypt',
  },
  unsupported: {
    FilterCriteria: 'event filtering is not emulated: every message reaches the function',
    StartingPosition: NOT_FOR_SQS,
    StartingPositionTimestamp: NOT_FOR_SQS,
    ParallelizationFactor: NOT_FOR_SQS,
    BisectBatchOnFunctionError: NOT_FOR_SQS,
    MaximumRecordAgeInSeconds: NOT_FOR_SQS,
    MaximumRetryAttempts: NOT_FOR_SQS,
    TumblingWindowInSeconds: NOT_FOR_SQS,
    DestinationConfig: NOT_FOR_SQS,
    ProvisionedPollerConfig: 'provisioned pollers are not emulated',
  },
};

/** Lambda's defaults for an SQS source. */
const DEFAULT_BATCH_SIZE = 10;
const REPORT_BATCH_ITEM_FAILURES = 'ReportBatchItemFailures';

const mappingPropertiesSchema = z.object({
  FunctionName: z.string().min(1),
  EventSourceArn: z.string().min(1),
  BatchSize: z.coerce.number().int().positive().optional(),
  MaximumBatchingWindowInSeconds: z.coerce.number().int().nonnegative().optional(),
  ScalingConfig: z.object({ MaximumConcurrency: z.coerce.number().int().min(2).optional() }).optional(),
  FunctionResponseTypes: z.array(z.literal(REPORT_BATCH_ITEM_FAILURES)).optional(),
  Enabled: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]).optional(),
});

export const EVENT_SOURCE_MAPPING_TYPES = ['AWS::Lambda::EventSourceMapping'] as const;

export const mapEventSourceMapping = (resource: ResourceView): LocalEventSourceMapping => {
  const properties = readProperties(resource, MAPPING_POLICY, mappingPropertiesSchema);
  requireServable(resource, 'EventSourceArn', parseArn(properties.EventSourceArn)?.service === 'sqs', `only SQS queues are served as event sources, not ${properties.EventSourceArn}`);
  const maximumConcurrency = properties.ScalingConfig?.MaximumConcurrency;
  return {
    logicalId: resource.logicalId,
    functionName: lambdaFunctionNameOf(properties.FunctionName),
    queueArn: properties.EventSourceArn,
    batchSize: properties.BatchSize ?? DEFAULT_BATCH_SIZE,
    maximumBatchingWindowSeconds: properties.MaximumBatchingWindowInSeconds ?? 0,
    ...(maximumConcurrency !== undefined ? { maximumConcurrency } : {}),
    reportBatchItemFailures: properties.FunctionResponseTypes?.includes(REPORT_BATCH_ITEM_FAILURES) ?? false,
    enabled: properties.Enabled ?? true,
  };
};
