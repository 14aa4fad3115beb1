import { z } from 'zod';
import { dynamoDbTableArn } from '#local/arns';
import type { RequestContext } from './conditions.ts';
import type { AuthorizationRequest } from './role-policy.ts';

/**
 * What DynamoDB authorizes for one request: the action on each table (or
 * index) it touches, with the `dynamodb:Attributes` and `dynamodb:Select`
 * keys of reads. A transaction has no action of its own: each item is
 * authorized as the single-item action it is; a batch is authorized once per
 * table. A read that names no attributes asks for them all, so its Select is
 * ALL_ATTRIBUTES (which a `StringEqualsIfExists SPECIFIC_ATTRIBUTES` refuses).
 */

const ACTION_PREFIX = 'dynamodb:';
const ATTRIBUTES_KEY = 'dynamodb:attributes';
const SELECT_KEY = 'dynamodb:select';

const readShape = z.looseObject({
  TableName: z.string().optional(),
  IndexName: z.string().optional(),
  Key: z.record(z.string(), z.unknown()).optional(),
  ProjectionExpression: z.string().optional(),
  AttributesToGet: z.array(z.string()).optional(),
  ExpressionAttributeNames: z.record(z.string(), z.string()).optional(),
  Select: z.string().optional(),
});
type ReadShape = z.infer<typeof readShape>;

const transactWriteShape = z.object({ TransactItems: z.array(z.record(z.string(), readShape)) });
const transactGetShape = z.object({ TransactItems: z.array(z.object({ Get: readShape })) });
const batchGetShape = z.object({ RequestItems: z.record(z.string(), readShape.extend({ Keys: z.array(z.record(z.string(), z.unknown())).default([]) })) });
const batchWriteShape = z.object({ RequestItems: z.record(z.string(), z.unknown()) });

/** TransactWriteItems' item kinds and the action each is authorized as. */
const TRANSACT_WRITE_ACTIONS: Readonly<Record<string, string>> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };

/** Operations that return item attributes, and so set the read condition keys. */
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

const tableArnOf = (tableName: string | undefined, indexName?: string): string => {
  if (tableName === undefined) return '*';
  const table = tableName.startsWith('arn:') ? tableName : dynamoDbTableArn(tableName);
  return indexName === undefined ? table : `${table}/index/${indexName}`;
};

/** The top-level attribute names of a projection: `#n.sub[0], b` names `<#n's name>` and `b`. */
const projectedAttributes = (read: ReadShape): string[] => {
  const fromExpression = (read.ProjectionExpression ?? '')
    .split(',')
    .map((path) => path.trim().split(/[.[]/)[0]?.trim() ?? '')
    .filter((name) => name !== '')
    .map((name) => (name.startsWith('#') ? (read.ExpressionAttributeNames?.[name] ?? name) : name));
  return [...fromExpression, ...(read.AttributesToGet ?? [])];
};

const readContext = (read: ReadShape, keyNames: readonly string[]): RequestContext => {
  const projected = projectedAttributes(read);
  const select = read.Select ?? (projected.length > 0 ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  return new Map([
    [ATTRIBUTES_KEY, [...new Set([...keyNames, ...projected])]],
    [SELECT_KEY, [select]],
  ]);
};

const keyNamesOf = (read: ReadShape) => Object.keys(read.Key ?? {});

const parsed = <T>(schema: z.ZodType<T>, body: unknown): T | undefined => {
  const result = schema.safeParse(body);
  return result.success ? result.data : undefined;
};

export const dynamoDbAuthorizationRequests = (operation: string, body: unknown): AuthorizationRequest[] => {
  if (operation === 'TransactWriteItems') {
    return (parsed(transactWriteShape, body)?.TransactItems ?? []).flatMap((item) =>
      Object.entries(item).flatMap(([kind, write]) => {
        const action = TRANSACT_WRITE_ACTIONS[kind];
        return action === undefined ? [] : [{ action: `${ACTION_PREFIX}${action}`, resource: tableArnOf(write.TableName) }];
      }),
    );
  }
  if (operation === 'TransactGetItems') {
    return (parsed(transactGetShape, body)?.TransactItems ?? []).map(({ Get: read }) => ({
      action: `${ACTION_PREFIX}GetItem`,
      resource: tableArnOf(read.TableName),
      context: readContext(read, keyNamesOf(read)),
    }));
  }
  if (operation === 'BatchGetItem') {
    return Object.entries(parsed(batchGetShape, body)?.RequestItems ?? {}).map(([table, read]) => ({
      action: `${ACTION_PREFIX}BatchGetItem`,
      resource: tableArnOf(table),
      context: readContext(read, [...new Set(read.Keys.flatMap((key) => Object.keys(key)))]),
    }));
  }
  if (operation === 'BatchWriteItem') {
    return Object.keys(parsed(batchWriteShape, body)?.RequestItems ?? {}).map((table) => ({ action: `${ACTION_PREFIX}BatchWriteItem`, resource: tableArnOf(table) }));
  }
  const request = parsed(readShape, body) ?? {};
  return [
    {
      action: `${ACTION_PREFIX}${operation}`,
      resource: tableArnOf(request.TableName, request.IndexName),
      ...(READS.has(operation) && { context: readContext(request, keyNamesOf(request)) }),
    },
  ];
};
