import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#domain/tables';
import { PENDING_START_INDEX } from '../pending-start.ts';
import { isTerminalStatus, STATUS_RANK, STORED_PURCHASE_ATTRIBUTES, storedPurchaseSchema, type PurchaseRecord, type StoredPurchase } from '../purchase.ts';
import type { PurchaseStore } from '../ports.ts';
import type { PurchaseStatusUpdate } from '../purchase-status-projection.ts';

const KEY = TABLES.purchases.partitionKey;
const PAYMENT_TOKEN = 'paymentToken' satisfies keyof PurchaseRecord;

/** What find asks for: a placeholder per attribute (`status` is a reserved word), never the token, so its role may be denied the token. */
const STORED_PURCHASE_PROJECTION = {
  ProjectionExpression: STORED_PURCHASE_ATTRIBUTES.map((_attribute, index) => `#a${index}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(STORED_PURCHASE_ATTRIBUTES.map((attribute, index) => [`#a${index}`, attribute])),
};

/** Builds one UpdateExpression from named assignments, with placeholders for every name and value. */
class UpdateBuilder {
  private readonly assignments: string[] = [];
  private readonly removals: string[] = [];
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};

  set(attribute: string, value: unknown): this {
    this.assignments.push(`${this.name(attribute)} = ${this.value(attribute, value)}`);
    return this;
  }

  /** Fills the attribute only when it is missing. */
  setIfMissing(attribute: string, value: unknown): this {
    // Optional baseline fields (a purchase by quantity names no seats) are left out, not written as empty.
    if (value === undefined) return this;
    const name = this.name(attribute);
    this.assignments.push(`${name} = if_not_exists(${name}, ${this.value(attribute, value)})`);
    return this;
  }

  remove(attribute: string): this {
    this.removals.push(this.name(attribute));
    return this;
  }

  name(attribute: string): string {
    this.names[`#${attribute}`] = attribute;
    return `#${attribute}`;
  }

  value(key: string, value: unknown): string {
    this.values[`:${key}`] = value;
    return `:${key}`;
  }

  get isEmpty(): boolean {
    return this.assignments.length === 0;
  }

  get expression(): string {
    const remove = this.removals.length > 0 ? ` REMOVE ${this.removals.join(', ')}` : '';
    return `SET ${this.assignments.join(', ')}${remove}`;
  }
}

const addBaseline = (update: UpdateBuilder, baseline: NonNullable<PurchaseStatusUpdate['baseline']>) => {
  update
    .setIfMissing('buyerId', baseline.buyerId)
    .setIfMissing('concertId', baseline.concertId)
    .setIfMissing('seatIds', baseline.seatIds)
    .setIfMissing('bestAvailable', baseline.bestAvailable)
    .setIfMissing('paymentRef', baseline.paymentRef)
    .setIfMissing('correlationId', baseline.correlationId)
    .setIfMissing('createdAt', baseline.createdAt)
    .setIfMissing('updatedAt', baseline.createdAt)
    .setIfMissing('status', 'QUEUED')
    .setIfMissing('statusRank', STATUS_RANK.QUEUED);
};

const addFacts = (update: UpdateBuilder, facts: PurchaseStatusUpdate['facts']) => {
  for (const [attribute, value] of Object.entries(facts)) if (value !== undefined) update.set(attribute, value);
};

const addStatusChange = (update: UpdateBuilder, change: NonNullable<PurchaseStatusUpdate['statusChange']>) => {
  update.set('status', change.status).set('statusRank', change.rank).set('updatedAt', change.at);
  // The purchase no longer waits to start: out of the sweeper's index.
  update.remove(PENDING_START_INDEX.partitionKey).remove(PENDING_START_INDEX.sortKey);
  // No step charges an ended purchase, so the token has no use left; removed in
  // the write that ends it, a stale terminal event finds it gone already.
  if (isTerminalStatus(change.status)) update.remove(PAYMENT_TOKEN);
  if (change.failure) {
    update
      .set('failureReason', change.failure.reason)
      .set('failureMessage', change.failure.message)
      .set('failedStep', change.failure.failedStep);
  }
};

export interface DynamoDbPurchaseStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** The purchases table: one item per purchase, written by the API and updated by the status projection. */
export const createDynamoDbPurchaseStore = ({ client, tableName }: DynamoDbPurchaseStoreOptions): PurchaseStore => {
  const update = async (builder: UpdateBuilder, purchaseId: string, condition?: string) => {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { [KEY]: purchaseId },
        UpdateExpression: builder.expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: builder.names,
        ExpressionAttributeValues: builder.values,
      }),
    );
  };

  return {
    async create(record: PurchaseRecord) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: record,
            ConditionExpression: 'attribute_not_exists(#key)',
            ExpressionAttributeNames: { '#key': KEY },
          }),
        );
        return 'created';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'exists';
        throw error;
      }
    },

    async find(purchaseId: string): Promise<StoredPurchase | undefined> {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { [KEY]: purchaseId }, ConsistentRead: true, ...STORED_PURCHASE_PROJECTION }));
      return Item === undefined ? undefined : storedPurchaseSchema.parse(Item);
    },

    async applyStatusUpdate(statusUpdate: PurchaseStatusUpdate) {
      const { purchaseId, statusChange } = statusUpdate;
      if (statusChange) {
        const builder = new UpdateBuilder();
        addStatusChange(builder, statusChange);
        addFacts(builder, statusUpdate.facts);
        const rank = builder.value('newRank', statusChange.rank);
        try {
          await update(builder, purchaseId, `attribute_not_exists(#statusRank) OR #statusRank < ${rank}`);
          return 'applied';
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      // Facts and the baseline hold whatever the stored status is.
      const builder = new UpdateBuilder();
      addFacts(builder, statusUpdate.facts);
      if (statusUpdate.baseline) addBaseline(builder, statusUpdate.baseline);
      if (!builder.isEmpty) await update(builder, purchaseId);
      return statusChange ? 'stale' : 'applied';
    },
  };
};
