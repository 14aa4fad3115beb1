import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, paginateQuery, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#domain/tables';
import { concertSchema, type Concert } from '../concert.ts';
import { createBatchWriter, type TableWrite } from './dynamodb-batch-writer.ts';
import type { ConcertStore } from '../ports.ts';

export interface ConcertTableNames {
  readonly concerts: string;
  readonly seats: string;
  readonly seatAvailability: string;
}

export interface DynamoDbConcertStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tables: ConcertTableNames;
  /** Pause between retries of unprocessed batch writes; tests pass a no-op. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const CONCERT_KEY = TABLES.concerts.partitionKey;
const SEAT_KEYS = [TABLES.seats.partitionKey, TABLES.seats.sortKey] as const;

/** The catalog's tables in DynamoDB: one concert item, and per seat one seats item and one seatAvailability item. */
export const createDynamoDbConcertStore = ({ client, tables, sleep }: DynamoDbConcertStoreOptions): ConcertStore => {
  const batchWrite = createBatchWriter({ client, ...(sleep ? { sleep } : {}) });

  const seatKeysOf = async (tableName: string, concertId: string): Promise<TableWrite[]> => {
    const writes: TableWrite[] = [];
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: '#pk = :concertId',
        ProjectionExpression: SEAT_KEYS.map((_, index) => `#k${index}`).join(', '),
        ExpressionAttributeNames: { '#pk': SEAT_KEYS[0], '#k0': SEAT_KEYS[0], '#k1': SEAT_KEYS[1] },
        ExpressionAttributeValues: { ':concertId': concertId },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        writes.push({ tableName, request: { DeleteRequest: { Key: { [SEAT_KEYS[0]]: item[SEAT_KEYS[0]], [SEAT_KEYS[1]]: item[SEAT_KEYS[1]] } } } });
      }
    }
    return writes;
  };

  return {
    getConcert: createConcertFinder({ client, tableName: tables.concerts }),

    listConcerts: createConcertLister({ client, tableName: tables.concerts }),

    async putConcert(concert, { overwrite }) {
      try {
        await client.send(
          new PutCommand({
            TableName: tables.concerts,
            Item: concert,
            ...(overwrite ? {} : { ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': CONCERT_KEY } }),
          }),
        );
        return 'written';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'exists';
        throw error;
      }
    },

    async putSeats(seats, availability, onProgress) {
      const writes: TableWrite[] = [
        ...seats.map((seat) => ({ tableName: tables.seats, request: { PutRequest: { Item: { ...seat } } } })),
        ...availability.map((item) => ({ tableName: tables.seatAvailability, request: { PutRequest: { Item: { ...item } } } })),
      ];
      await batchWrite(writes, (done, total) => onProgress?.({ phase: 'writing', done, total }));
    },

    async deleteSeats(concertId, onProgress) {
      const writes = [...(await seatKeysOf(tables.seats, concertId)), ...(await seatKeysOf(tables.seatAvailability, concertId))];
      await batchWrite(writes, (done, total) => onProgress?.({ phase: 'deleting', done, total }));
      return writes.length;
    },
  };
};

interface ConcertTableOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * The catalog's attributes of a concert item. Reads name them: the item also
 * holds the waiting room's admission key, which IAM lets only its signer and
 * verifier read (infra/constructs/table-access.ts).
 */
export const CONCERT_ATTRIBUTES = Object.keys(concertSchema.shape) as ReadonlyArray<keyof Concert>;

/** Reads one concert item; for functions that only need the concerts table. */
export const createConcertFinder =
  ({ client, tableName }: ConcertTableOptions) =>
  async (concertId: string): Promise<Concert | undefined> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { [CONCERT_KEY]: concertId },
        ProjectionExpression: CONCERT_ATTRIBUTES.map((_, index) => `#a${index}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(CONCERT_ATTRIBUTES.map((attribute, index) => [`#a${index}`, attribute])),
      }),
    );
    return Item === undefined ? undefined : concertSchema.parse(Item);
  };

/** Every concert, soonest first. A Scan: the concerts table holds a handful of items, not a hot path. */
export const createConcertLister =
  ({ client, tableName }: ConcertTableOptions) =>
  async (): Promise<Concert[]> => {
    const concerts: Concert[] = [];
    for await (const page of paginateScan({ client }, { TableName: tableName })) {
      for (const item of page.Items ?? []) concerts.push(concertSchema.parse(item));
    }
    return concerts.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.concertId.localeCompare(b.concertId));
  };

const PRICE_BANDS = 'priceBands';
const priceBandsItemSchema = concertSchema.pick({ priceBands: true });

/**
 * The names of a concert's price bands, or undefined when there is no such
 * concert: one GetItem reading the key and the bands only. A concert created
 * before bands were kept has none.
 */
export const createConcertPriceBandsLookup =
  ({ client, tableName }: ConcertTableOptions) =>
  async (concertId: string): Promise<readonly string[] | undefined> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { [CONCERT_KEY]: concertId },
        ProjectionExpression: '#key, #bands',
        ExpressionAttributeNames: { '#key': CONCERT_KEY, '#bands': PRICE_BANDS },
      }),
    );
    return Item === undefined ? undefined : (priceBandsItemSchema.parse(Item).priceBands ?? []);
  };
