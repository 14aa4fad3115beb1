import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#domain/tables';
import { allPendingShards, PENDING_START_INDEX, pendingShardOf } from '../pending-start.ts';
import type { PendingStartStore, StartClaim } from '../ports.ts';
import { storedPurchaseSchema } from '../purchase.ts';

const KEY = TABLES.purchases.partitionKey;
const QUEUED = 'QUEUED';

/** Query pages per shard and sweep: a sweep is bounded by its limit, not by the backlog. */
const PAGE_SIZE = 100;

export interface DynamoDbPendingStartStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

const NAMES = {
  '#key': KEY,
  '#status': 'status',
  '#pendingShard': PENDING_START_INDEX.partitionKey,
  '#pendingSince': PENDING_START_INDEX.sortKey,
  '#startClaimedAt': 'startClaimedAt',
  '#startRefusedAt': 'startRefusedAt',
  '#startRequeues': 'startRequeues',
  '#startDeadLetteredAt': 'startDeadLetteredAt',
};

/** Keeps only the placeholders an expression uses: DynamoDB refuses unused ones. */
const namesIn = (...expressions: string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(NAMES).filter(([placeholder]) => expressions.some((expression) => expression.includes(placeholder))));

/** The purchases table's waiting-to-start marker, read through its sparse index. */
export const createDynamoDbPendingStartStore = ({ client, tableName }: DynamoDbPendingStartStoreOptions): PendingStartStore => {
  const conditionalUpdate = async (input: {
    purchaseId: string;
    update: string;
    condition: string;
    values: Record<string, unknown>;
  }): Promise<boolean> => {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [KEY]: input.purchaseId },
          UpdateExpression: input.update,
          ConditionExpression: input.condition,
          ExpressionAttributeNames: namesIn(input.update, input.condition),
          ExpressionAttributeValues: input.values,
          // No ReturnValuesOnConditionCheckFailure: ALL_OLD would hand back the whole item, payment token included.
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  /** Why a claim failed, from the two attributes that tell it (the role may read no others). */
  const readRefusal = async (purchaseId: string) => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { [KEY]: purchaseId },
        ConsistentRead: true,
        ProjectionExpression: '#key, #startRefusedAt',
        ExpressionAttributeNames: namesIn('#key #startRefusedAt'),
      }),
    );
    return Item;
  };

  return {
    async claimStart(purchaseId, at): Promise<StartClaim> {
      const claimed = await conditionalUpdate({
        purchaseId,
        update: 'SET #pendingShard = :shard, #pendingSince = :at, #startClaimedAt = :at',
        condition: 'attribute_exists(#key) AND #status = :queued AND attribute_not_exists(#startRefusedAt)',
        values: { ':shard': pendingShardOf(purchaseId), ':at': at, ':queued': QUEUED },
      });
      if (claimed) return 'claimed';
      // A purchase is never deleted and a refusal never undone, so what the read finds is why the claim failed.
      const item = await readRefusal(purchaseId);
      if (item === undefined) return 'missing';
      if (item.startRefusedAt !== undefined) return 'refused';
      return 'progressed';
    },

    async markDeadLettered(purchaseId, at) {
      await conditionalUpdate({
        purchaseId,
        update: 'SET #startDeadLetteredAt = :at',
        condition: 'attribute_exists(#key)',
        values: { ':at': at },
      });
    },

    async findStale(staleBefore, limit) {
      const found: Array<{ purchaseId: string; pendingSince: string }> = [];
      // Each shard is sorted by pendingSince: its first `limit` items are its oldest, so the merge below is the overall oldest.
      for (const shard of allPendingShards()) {
        let fromShard = 0;
        let exclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const page = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: PENDING_START_INDEX.name,
              KeyConditionExpression: '#pendingShard = :shard AND #pendingSince < :staleBefore',
              ExpressionAttributeNames: namesIn('#pendingShard #pendingSince'),
              ExpressionAttributeValues: { ':shard': shard, ':staleBefore': staleBefore },
              Limit: Math.min(PAGE_SIZE, limit - fromShard),
              ExclusiveStartKey: exclusiveStartKey,
            }),
          );
          for (const item of page.Items ?? []) {
            const parsed = storedPurchaseSchema.pick({ purchaseId: true, pendingSince: true }).safeParse(item);
            if (parsed.success && parsed.data.pendingSince) found.push({ purchaseId: parsed.data.purchaseId, pendingSince: parsed.data.pendingSince });
            fromShard += 1;
          }
          exclusiveStartKey = page.LastEvaluatedKey;
        } while (exclusiveStartKey !== undefined && fromShard < limit);
      }
      return found
        .sort((a, b) => a.pendingSince.localeCompare(b.pendingSince))
        .slice(0, limit)
        .map(({ purchaseId }) => purchaseId);
    },

    async clearMarker(purchaseId) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [KEY]: purchaseId },
          UpdateExpression: 'REMOVE #pendingShard, #pendingSince',
          ConditionExpression: 'attribute_exists(#key)',
          ExpressionAttributeNames: namesIn('#key #pendingShard #pendingSince'),
        }),
      ).catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
    },

    async recordRequeue(purchaseId, observedSince, at) {
      return conditionalUpdate({
        purchaseId,
        update: 'SET #pendingSince = :at ADD #startRequeues :one',
        condition: '#pendingSince = :observed AND #status = :queued AND attribute_not_exists(#startRefusedAt)',
        values: { ':at': at, ':one': 1, ':observed': observedSince, ':queued': QUEUED },
      });
    },

    async refuseStart({ purchaseId, staleBefore, at }) {
      return conditionalUpdate({
        purchaseId,
        update: 'SET #startRefusedAt = :at',
        condition: '#status = :queued AND #pendingSince < :staleBefore AND attribute_not_exists(#startRefusedAt)',
        values: { ':at': at, ':queued': QUEUED, ':staleBefore': staleBefore },
      });
    },
  };
};
