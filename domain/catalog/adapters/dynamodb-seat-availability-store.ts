import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#domain/tables';
import { seatAvailabilitySchema, type SeatAvailability } from '../concert.ts';
import type { SeatAvailabilityStore } from '../ports.ts';
import type { SeatAvailabilityChange } from '../seat-availability-projection.ts';
import { parseSeatId } from '../seat-layout.ts';

const { partitionKey, sortKey } = TABLES.seatAvailability;

export interface DynamoDbSeatAvailabilityStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * One update per seat, applied only when the event's seat version is newer
 * than the stored one. The holder and hold expiry are set or removed with the
 * status, so an item never mixes two versions.
 */
const updateFor = (tableName: string, change: SeatAvailabilityChange) => {
  const set = ['#status = :status', '#version = :version', '#row = if_not_exists(#row, :row)'];
  const remove: string[] = [];
  const names: Record<string, string> = { '#status': 'status', '#version': 'version', '#row': 'row' };
  const values: Record<string, unknown> = {
    ':status': change.status,
    ':version': change.version,
    ':row': parseSeatId(change.seatId).row,
  };
  const setOrRemove = (attribute: 'purchaseId' | 'holdExpiresAt', value: string | undefined) => {
    names[`#${attribute}`] = attribute;
    if (value === undefined) {
      remove.push(`#${attribute}`);
      return;
    }
    set.push(`#${attribute} = :${attribute}`);
    values[`:${attribute}`] = value;
  };
  setOrRemove('purchaseId', change.purchaseId);
  setOrRemove('holdExpiresAt', change.holdExpiresAt);
  if (change.price) {
    set.push('#price = if_not_exists(#price, :price)');
    names['#price'] = 'price';
    values[':price'] = change.price;
  }
  return new UpdateCommand({
    TableName: tableName,
    Key: { [partitionKey]: change.concertId, [sortKey]: change.seatId },
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
};

export const createDynamoDbSeatAvailabilityStore = ({ client, tableName }: DynamoDbSeatAvailabilityStoreOptions): SeatAvailabilityStore => ({
  async listSeats(concertId) {
    const seats: SeatAvailability[] = [];
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: '#pk = :concertId',
        ExpressionAttributeNames: { '#pk': partitionKey },
        ExpressionAttributeValues: { ':concertId': concertId },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) seats.push(seatAvailabilitySchema.parse(item));
    return seats;
  },

  async applyChange(change) {
    try {
      await client.send(updateFor(tableName, change));
      return 'applied';
    } catch (error) {
      // The stored seat is already at this version or a newer one: a replay or a late delivery.
      if (error instanceof ConditionalCheckFailedException) return 'stale';
      throw error;
    }
  },
});
