import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#domain/tables';
import type { FindUnknownSeats } from '../ports.ts';

const [CONCERT_KEY, SEAT_KEY] = [TABLES.seats.partitionKey, TABLES.seats.sortKey];

/** Rounds of UnprocessedKeys before giving up: a purchase names at most 10 seats, one round almost always does. */
const MAX_ROUNDS = 5;

class SeatLookupIncompleteError extends Error {
  override readonly name = 'SeatLookupIncompleteError';
}

export interface SeatExistenceOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * The seats a request names that the concert does not have, read from the
 * seats table (the source of truth) with one BatchGetItem of keys only.
 * Availability is not checked here: a seat taken now may be free by the time
 * the saga reserves, and ReserveSeats decides that.
 */
export const createSeatExistenceCheck =
  ({ client, tableName }: SeatExistenceOptions): FindUnknownSeats =>
  async (concertId, seatIds) => {
    const found = new Set<string>();
    let keys: Array<Record<string, unknown>> = [...new Set(seatIds)].map((seatId) => ({ [CONCERT_KEY]: concertId, [SEAT_KEY]: seatId }));
    for (let round = 0; keys.length > 0; round += 1) {
      if (round === MAX_ROUNDS) throw new SeatLookupIncompleteError(`${keys.length} seat key(s) stayed unprocessed after ${MAX_ROUNDS} rounds`);
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: keys, ProjectionExpression: '#seat', ExpressionAttributeNames: { '#seat': SEAT_KEY } },
          },
        }),
      );
      for (const item of Responses?.[tableName] ?? []) {
        const seatId = item[SEAT_KEY];
        if (typeof seatId === 'string') found.add(seatId);
      }
      keys = UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
    return seatIds.filter((seatId) => !found.has(seatId));
  };
