import { z } from 'zod';
import { dynamoDbTableArn } from '#local/arns';
import type { KeyAttribute, LocalTable, LocalTableIndex } from './local-app.ts';
import { readProperties, type PropertyPolicy, type ResourceView } from './resource-support.ts';
import { UnsupportedPropertyError } from './template-errors.ts';

/** AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable (CDK's TableV2) -> LocalTable. */

const NO_CAPACITY = 'DynamoDB Local does not meter or limit capacity';
const NO_BACKUP = 'there are no backups or restores locally';

const TABLE_POLICY: PropertyPolicy = {
  served: ['TableName', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'TimeToLiveSpecification'],
  ignored: {
    BillingMode: NO_CAPACITY,
    ProvisionedThroughput: NO_CAPACITY,
    OnDemandThroughput: NO_CAPACITY,
    WarmThroughput: NO_CAPACITY,
    TableClass: 'storage classes only change the price',
    PointInTimeRecoverySpecification: NO_BACKUP,
    DeletionProtectionEnabled: 'local tables are only deleted with the local data folder',
    SSESpecification: 'local data is not encrypted at rest',
    StreamSpecification: 'no stream consumer runs locally (a mapping on a stream is an error)',
    ContributorInsightsSpecification: 'there is no CloudWatch locally',
    ResourcePolicy: 'the local runtime does not enforce IAM',
    Tags: 'tags have no behaviour',
  },
};

const GLOBAL_TABLE_POLICY: PropertyPolicy = {
  served: TABLE_POLICY.served,
  ignored: {
    ...TABLE_POLICY.ignored,
    Replicas: 'one region runs locally: the replica in the stack region is the table',
    WriteProvisionedThroughputSettings: NO_CAPACITY,
    WriteOnDemandThroughputSettings: NO_CAPACITY,
    GlobalTableWitnesses: 'one region runs locally',
    MultiRegionConsistency: 'one region runs locally',
  },
};

const keySchemaSchema = z
  .array(z.object({ AttributeName: z.string().min(1), KeyType: z.enum(['HASH', 'RANGE']) }))
  .min(1)
  .max(2);

const indexSchema = z.looseObject({
  IndexName: z.string().min(1),
  KeySchema: keySchemaSchema,
  Projection: z
    .object({ ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']).default('ALL'), NonKeyAttributes: z.array(z.string()).optional() })
    .default({ ProjectionType: 'ALL' }),
});

const tablePropertiesSchema = z.object({
  TableName: z.string().min(1).optional(),
  KeySchema: keySchemaSchema,
  AttributeDefinitions: z.array(z.object({ AttributeName: z.string().min(1), AttributeType: z.enum(['S', 'N', 'B']) })),
  GlobalSecondaryIndexes: z.array(indexSchema).default([]),
  LocalSecondaryIndexes: z.array(indexSchema).default([]),
  TimeToLiveSpecification: z.object({ AttributeName: z.string().optional(), Enabled: z.boolean() }).optional(),
});
type TableProperties = z.infer<typeof tablePropertiesSchema>;

const keyOf = (resource: ResourceView, properties: TableProperties, keySchema: TableProperties['KeySchema'], keyType: 'HASH' | 'RANGE'): KeyAttribute | undefined => {
  const element = keySchema.find((key) => key.KeyType === keyType);
  if (!element) return undefined;
  const definition = properties.AttributeDefinitions.find((attribute) => attribute.AttributeName === element.AttributeName);
  if (!definition) {
    throw new UnsupportedPropertyError(resource.logicalId, resource.type, 'AttributeDefinitions', `key attribute ${element.AttributeName} has no definition`);
  }
  return { name: element.AttributeName, type: definition.AttributeType };
};

const partitionKeyOf = (resource: ResourceView, properties: TableProperties, keySchema: TableProperties['KeySchema'], where: string): KeyAttribute => {
  const key = keyOf(resource, properties, keySchema, 'HASH');
  if (!key) throw new UnsupportedPropertyError(resource.logicalId, resource.type, where, 'a key schema needs a HASH key');
  return key;
};

const indexOf = (resource: ResourceView, properties: TableProperties, index: z.infer<typeof indexSchema>): LocalTableIndex => {
  const sortKey = keyOf(resource, properties, index.KeySchema, 'RANGE');
  return {
    name: index.IndexName,
    partitionKey: partitionKeyOf(resource, properties, index.KeySchema, `index ${index.IndexName}`),
    ...(sortKey ? { sortKey } : {}),
    projection: {
      type: index.Projection.ProjectionType,
      ...(index.Projection.NonKeyAttributes ? { nonKeyAttributes: index.Projection.NonKeyAttributes } : {}),
    },
  };
};

export const TABLE_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'] as const;

export const mapTable = (resource: ResourceView): LocalTable => {
  const policy = resource.type === 'AWS::DynamoDB::GlobalTable' ? GLOBAL_TABLE_POLICY : TABLE_POLICY;
  const properties = readProperties(resource, policy, tablePropertiesSchema);
  const name = properties.TableName ?? resource.logicalId;
  const sortKey = keyOf(resource, properties, properties.KeySchema, 'RANGE');
  const ttl = properties.TimeToLiveSpecification;
  return {
    logicalId: resource.logicalId,
    name,
    arn: dynamoDbTableArn(name),
    partitionKey: partitionKeyOf(resource, properties, properties.KeySchema, 'KeySchema'),
    ...(sortKey ? { sortKey } : {}),
    globalSecondaryIndexes: properties.GlobalSecondaryIndexes.map((index) => indexOf(resource, properties, index)),
    localSecondaryIndexes: properties.LocalSecondaryIndexes.map((index) => indexOf(resource, properties, index)),
    ...(ttl?.Enabled && ttl.AttributeName ? { timeToLiveAttribute: ttl.AttributeName } : {}),
  };
};
