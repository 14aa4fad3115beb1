import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isRowInRange, type RowRange } from '#domain/catalog/seat-layout';
import { TABLES } from '#domain/tables';
import { DependencyUnavailableError } from '#domain/errors';
import { SeatWriteConflictError, type SeatChange, type SeatStore, type SeatTransition } from '../ports.ts';
import { epochSeconds, inventorySeatSchema, seatKey, type InventorySeat } from '../seat.ts';

/** BatchGetItem may leave keys unprocessed under load; ask again this many times. */
const BATCH_GET_ROUNDS = 5;
const BATCH_GET_PAUSE_MS = 25;
/** Cancellation reasons that mean "the seat changed under us": read again and decide again. */
const CONFLICT_CODES = new Set(['ConditionalCheckFailed', 'TransactionConflict']);
/** Cancellation reasons that mean "DynamoDB is busy": a retry later will do. */
const THROTTLE_CODES = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

const NAMES = {
  '#status': 'status',
  '#holder': 'holderPurchaseId',
  '#expires': 'holdExpiresAt',
  '#released': 'releasedFromPurchaseId',
  '#version': 'version',
};

const updateFor = (change: SeatChange): { expression: string; values: Record<string, unknown>; names: string[] } => {
  switch (change.status) {
    case 'HELD':
      return {
        expression: 'SET #status = :status, #holder = :holder, #expires = :expires, #version = :next REMOVE #released',
        values: { ':status': change.status, ':holder': change.holderPurchaseId, ':expires': change.holdExpiresAt },
        names: ['#status', '#holder', '#expires', '#version', '#released'],
      };
    case 'SOLD':
      return {
        expression: 'SET #status = :status, #holder = :holder, #version = :next REMOVE #expires, #released',
        values: { ':status': change.status, ':holder': change.holderPurchaseId },
        names: ['#status', '#holder', '#expires', '#version', '#released'],
      };
    case 'AVAILABLE':
      return {
        expression: 'SET #status = :status, #released = :released, #version = :next REMOVE #holder, #expires',
        values: { ':status': change.status, ':released': change.releasedFromPurchaseId },
        names: ['#status', '#holder', '#expires', '#version', '#released'],
      };
  }
};

const toTransactItem = (tableName: string, concertId: string, transition: SeatTransition) => {
  const update = updateFor(transition.change);
  return {
    Update: {
      TableName: tableName,
      Key: seatKey(concertId, transition.seatId),
      UpdateExpression: update.expression,
      // The version read is the version written over: anyone else's write in between cancels the transaction.
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: Object.fromEntries(update.names.map((name) => [name, NAMES[name as keyof typeof NAMES]])),
      ExpressionAttributeValues: { ...update.values, ':expected': transition.expectedVersion, ':next': transition.expectedVersion + 1 },
    },
  };
};

/**
 * Seat ids sort as strings ("A-1" < "A-10" < "AA-1" < "B-1"), so rows A to E
 * are the keys from "A-" up to "E-:" (":" sorts right after the digits).
 * Two-letter rows fall inside such a range too (AA-AZ lie between A and B):
 * they are read and dropped, which only costs anything in venues of more than
 * 26 rows.
 */
const seatKeyRangeOf = (rows: RowRange) => ({ from: `${rows.fromRow}-`, to: `${rows.toRow}-:` });

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const isCancellation = (error: unknown): error is TransactionCanceledException =>
  error instanceof TransactionCanceledException || (error instanceof Error && error.name === 'TransactionCanceledException');

/** Explains a cancelled transaction in the inventory's terms. */
const cancellationError = (error: TransactionCanceledException, transitions: readonly SeatTransition[]): Error => {
  const reasons = error.CancellationReasons ?? [];
  const codes = reasons.map((reason) => reason.Code ?? 'None');
  if (codes.some((code) => THROTTLE_CODES.has(code))) {
    return new DependencyUnavailableError('The seats table is throttling writes', { cause: error });
  }
  const conflicting = transitions.filter((_, index) => CONFLICT_CODES.has(codes[index] ?? 'None')).map((t) => t.seatId);
  // Without reasons we cannot tell which seat moved: a fresh read of all of them will.
  if (reasons.length === 0) return new SeatWriteConflictError(transitions.map((t) => t.seatId), { cause: error });
  if (conflicting.length > 0) return new SeatWriteConflictError(conflicting, { cause: error });
  return error;
};

export interface DynamoDbSeatStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** The seats table in DynamoDB: one item per seat, written only in version-conditioned transactions. */
export const createDynamoDbSeatStore = ({ client, tableName }: DynamoDbSeatStoreOptions): SeatStore => ({
  async getSeats(concertId, seatIds) {
    const seats = new Map<string, InventorySeat>();
    let keys: Record<string, unknown>[] = seatIds.map((seatId) => seatKey(concertId, seatId));
    for (let round = 1; keys.length > 0; round++) {
      if (round > BATCH_GET_ROUNDS) throw new DependencyUnavailableError(`The seats table left ${keys.length} keys unprocessed`);
      if (round > 1) await delay(BATCH_GET_PAUSE_MS * round);
      const response = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of response.Responses?.[tableName] ?? []) {
        const seat = inventorySeatSchema.parse(item);
        seats.set(seat.seatId, seat);
      }
      keys = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
    return seats;
  },

  async listSeatsOpenTo(concertId, purchaseId, now, rows) {
    const range = rows === undefined ? undefined : seatKeyRangeOf(rows);
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        ConsistentRead: true,
        KeyConditionExpression: range ? '#concert = :concert AND #seat BETWEEN :from AND :to' : '#concert = :concert',
        // Only HELD seats carry an expiry, so an expiry in the past is a hold that ran out.
        FilterExpression: '#status = :available OR #holder = :purchase OR #released = :purchase OR #expires < :now',
        ExpressionAttributeNames: {
          '#concert': TABLES.seats.partitionKey,
          ...(range ? { '#seat': TABLES.seats.sortKey } : {}),
          '#status': NAMES['#status'],
          '#holder': NAMES['#holder'],
          '#released': NAMES['#released'],
          '#expires': NAMES['#expires'],
        },
        ExpressionAttributeValues: {
          ':concert': concertId,
          ...(range ? { ':from': range.from, ':to': range.to } : {}),
          ':available': 'AVAILABLE',
          ':purchase': purchaseId,
          ':now': epochSeconds(now),
        },
      },
    );
    const seats: InventorySeat[] = [];
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const seat = inventorySeatSchema.parse(item);
        if (rows === undefined || isRowInRange(seat.row, rows)) seats.push(seat);
      }
    }
    return seats;
  },

  async applyTransitions(concertId, transitions) {
    if (transitions.length === 0) return;
    try {
      await client.send(new TransactWriteCommand({ TransactItems: transitions.map((transition) => toTransactItem(tableName, concertId, transition)) }));
    } catch (error) {
      if (isCancellation(error)) throw cancellationError(error, transitions);
      if (error instanceof Error && error.name === 'TransactionConflictException') {
        throw new SeatWriteConflictError(transitions.map((t) => t.seatId), { cause: error });
      }
      throw error;
    }
  },
});
