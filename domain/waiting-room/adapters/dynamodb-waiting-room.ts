import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#domain/tables';
import { LINE_SHARDS } from '../line-positions.ts';
import type { LineReading, PreQueueEntry, QueueTicketStore, RoomAdmissionStore } from '../ports.ts';
import { PRE_QUEUE_INDEX, queueTicketSchema } from '../queue-ticket.ts';
import { emptyRoom, roomStateSchema } from '../room-state.ts';

const ITEM_ID = TABLES.waitingRoom.partitionKey;
const TICKET_PREFIX = 'ticket#';
const ROOMS_ITEM_ID = 'rooms';

const ticketItemId = (ticketId: string) => `${TICKET_PREFIX}${ticketId}`;
const counterItemId = (concertId: string, shard: number) => `counter#${concertId}#${shard}`;
const roomItemId = (concertId: string) => `room#${concertId}`;

export interface WaitingRoomTableOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** Tries a BatchGetItem's unprocessed keys again a few times: reads of a handful of small items, not a bulk load. */
const MAX_BATCH_GET_ROUNDS = 5;

const readLineItems = async ({ client, tableName }: WaitingRoomTableOptions, concertId: string, consistent: boolean): Promise<LineReading> => {
  const shards = Array.from({ length: LINE_SHARDS }, (_, shard) => shard);
  let keys: Array<Record<string, string>> = [roomItemId(concertId), ...shards.map((shard) => counterItemId(concertId, shard))].map((id) => ({ [ITEM_ID]: id }));
  const items = new Map<string, Record<string, unknown>>();
  for (let round = 0; keys.length > 0; round += 1) {
    if (round === MAX_BATCH_GET_ROUNDS) throw new Error(`The line of ${concertId} could not be read: ${keys.length} keys left unprocessed`);
    const answer = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: consistent } } }));
    for (const item of answer.Responses?.[tableName] ?? []) items.set(String(item[ITEM_ID]), item);
    keys = (answer.UnprocessedKeys?.[tableName]?.Keys ?? []) as Array<Record<string, string>>;
  }
  const roomItem = items.get(roomItemId(concertId));
  return {
    room: roomItem === undefined ? emptyRoom(concertId) : roomStateSchema.parse(roomItem),
    shardCounts: shards.map((shard) => Number(items.get(counterItemId(concertId, shard))?.count ?? 0)),
  };
};

/** The concerts whose on-sale was configured, from the registry item: no Scan. A consistent read, so a room listed a moment ago is in it. */
export const listRooms = async ({ client, tableName }: WaitingRoomTableOptions): Promise<string[]> => {
  const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { [ITEM_ID]: ROOMS_ITEM_ID }, ConsistentRead: true }));
  const concertIds = Item?.concertIds as Set<string> | undefined;
  return [...(concertIds ?? [])].sort();
};

/** One bucket of the sparse pre-queue index, in shuffle-key order: its entries, or with `COUNT` only how many. */
const preQueuePages = ({ client, tableName }: WaitingRoomTableOptions, concertId: string, bucket: number, select?: 'COUNT') =>
  paginateQuery(
    { client },
    {
      TableName: tableName,
      IndexName: PRE_QUEUE_INDEX.name,
      KeyConditionExpression: '#bucket = :bucket',
      ExpressionAttributeNames: { '#bucket': PRE_QUEUE_INDEX.partitionKey },
      ExpressionAttributeValues: { ':bucket': `${concertId}#${bucket}` },
      ...(select === undefined ? {} : { Select: select }),
    },
  );

/**
 * Tickets that joined before the start: the whole line until the draw
 * numbers them. A count (the index's items are read, not returned), for the
 * support console; the admitter reads the entries themselves.
 */
export const countPreQueue = async (options: WaitingRoomTableOptions, concertId: string): Promise<number> => {
  let count = 0;
  for (let bucket = 0; bucket < LINE_SHARDS; bucket += 1) {
    for await (const page of preQueuePages(options, concertId, bucket, 'COUNT')) count += page.Count ?? 0;
  }
  return count;
};

/** Buyers' tickets and the line's counters, as joins and polls use them. */
export const createDynamoDbQueueTicketStore = (options: WaitingRoomTableOptions): QueueTicketStore => {
  const { client, tableName } = options;
  return {
    async findTicket(ticketId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { [ITEM_ID]: ticketItemId(ticketId) } }));
      return Item === undefined ? undefined : queueTicketSchema.parse(Item);
    },

    async createTicket(ticket) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { [ITEM_ID]: ticketItemId(ticket.ticketId), ...ticket },
            ConditionExpression: 'attribute_not_exists(#id)',
            ExpressionAttributeNames: { '#id': ITEM_ID },
          }),
        );
        return 'created';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'exists';
        throw error;
      }
    },

    async takeLineNumber(concertId, shard) {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [ITEM_ID]: counterItemId(concertId, shard) },
          UpdateExpression: 'ADD #count :one',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.count);
    },

    readLine: (concertId) => readLineItems(options, concertId, false),
  };
};

/** The admitter's writes: the draw, the counters' floors and the room state. */
export const createDynamoDbRoomAdmissionStore = (options: WaitingRoomTableOptions): RoomAdmissionStore => {
  const { client, tableName } = options;
  return {
    listRooms: () => listRooms(options),

    readLineConsistently: (concertId) => readLineItems(options, concertId, true),

    async listPreQueue(concertId) {
      const entries: PreQueueEntry[] = [];
      for (let bucket = 0; bucket < LINE_SHARDS; bucket += 1) {
        for await (const page of preQueuePages(options, concertId, bucket)) {
          for (const item of page.Items ?? []) {
            entries.push({ ticketId: String(item[ITEM_ID]).slice(TICKET_PREFIX.length), shuffleKey: Number(item[PRE_QUEUE_INDEX.sortKey]) });
          }
        }
      }
      return entries;
    },

    async setDrawnPosition(ticketId, position) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [ITEM_ID]: ticketItemId(ticketId) },
          UpdateExpression: 'SET #position = :position',
          ConditionExpression: 'attribute_exists(#id)',
          ExpressionAttributeNames: { '#position': 'drawnPosition', '#id': ITEM_ID },
          ExpressionAttributeValues: { ':position': position },
        }),
      );
    },

    async raiseCounter(concertId, shard, count) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { [ITEM_ID]: counterItemId(concertId, shard) },
            UpdateExpression: 'SET #count = :count',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :count',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':count': count },
          }),
        );
      } catch (error) {
        // Joins took the shard there already: nothing to burn.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async saveRoom(room, expectedVersion) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { [ITEM_ID]: roomItemId(room.concertId), ...room },
            ...(expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': ITEM_ID } }
              : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
          }),
        );
        return 'saved';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'conflict';
        throw error;
      }
    },
  };
};

/** Lists a concert among the rooms the admitter serves (the operator's on-sale command does this). */
export const registerRoom = async ({ client, tableName }: WaitingRoomTableOptions, concertId: string): Promise<void> => {
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { [ITEM_ID]: ROOMS_ITEM_ID },
      UpdateExpression: 'ADD #concertIds :concertId',
      ExpressionAttributeNames: { '#concertIds': 'concertIds' },
      ExpressionAttributeValues: { ':concertId': new Set([concertId]) },
    }),
  );
};
