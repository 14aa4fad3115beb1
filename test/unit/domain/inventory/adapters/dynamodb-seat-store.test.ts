import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DependencyUnavailableError } from '#domain/errors';
import { createDynamoDbSeatStore } from '#domain/inventory/adapters/dynamodb-seat-store';
import { SeatWriteConflictError, type SeatTransition } from '#domain/inventory/ports';
import { inventorySeatSchema } from '#domain/inventory/seat';
import { CONCERT_ID, seat } from '../in-memory-seat-store.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = createDynamoDbSeatStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), tableName: 'seats' });

const hold: SeatTransition = { seatId: 'A-1', expectedVersion: 3, change: { status: 'HELD', holderPurchaseId: 'purchase-1', holdExpiresAt: 1_800_000_000 } };
const sell: SeatTransition = { seatId: 'A-2', expectedVersion: 5, change: { status: 'SOLD', holderPurchaseId: 'purchase-1' } };
const free: SeatTransition = { seatId: 'A-3', expectedVersion: 7, change: { status: 'AVAILABLE', releasedFromPurchaseId: 'purchase-1' } };

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

beforeEach(() => dynamo.reset());

describe('listing the seats of rows open to a purchase', () => {
  test('queries the key range of the rows, strongly consistent, for the seats the purchase could take or has touched', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [seat('B-1')] });

    await store.listSeatsOpenTo(CONCERT_ID, 'purchase-1', new Date('2026-11-26T10:00:00Z'), { fromRow: 'B', toRow: 'D' });

    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'seats',
      ConsistentRead: true,
      KeyConditionExpression: '#concert = :concert AND #seat BETWEEN :from AND :to',
      FilterExpression: '#status = :available OR #holder = :purchase OR #released = :purchase OR #expires < :now',
      ExpressionAttributeValues: { ':concert': CONCERT_ID, ':from': 'B-', ':to': 'D-:', ':available': 'AVAILABLE', ':purchase': 'purchase-1', ':now': 1_795_687_200 },
    });
  });

  test('drops the two-letter rows that sort inside the range, and follows every page', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [seat('A-1'), seat('AA-1')], LastEvaluatedKey: { concertId: CONCERT_ID, seatId: 'AA-1' } })
      .resolvesOnce({ Items: [seat('B-7')] });

    const seats = await store.listSeatsOpenTo(CONCERT_ID, 'purchase-1', new Date(), { fromRow: 'A', toRow: 'B' });

    expect(seats.map((s) => s.seatId)).toEqual(['A-1', 'B-7']);
    expect(dynamo.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({ concertId: CONCERT_ID, seatId: 'AA-1' });
  });

  test('reads the whole concert when no rows are given', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [seat('A-1'), seat('AA-1')] });

    const seats = await store.listSeatsOpenTo(CONCERT_ID, 'purchase-1', new Date());

    expect(seats).toHaveLength(2);
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input.KeyConditionExpression).toBe('#concert = :concert');
  });
});

describe('reading seats', () => {
  test('reads the requested seats strongly consistent, keyed by concert and seat', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { seats: [seat('A-1')] } });

    const seats = await store.getSeats(CONCERT_ID, ['A-1', 'Z-9']);

    expect(dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems).toEqual({
      seats: { Keys: [{ concertId: CONCERT_ID, seatId: 'A-1' }, { concertId: CONCERT_ID, seatId: 'Z-9' }], ConsistentRead: true },
    });
    expect([...seats.keys()]).toEqual(['A-1']);
  });

  test('asks again for keys DynamoDB left unprocessed', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { seats: [seat('A-1')] }, UnprocessedKeys: { seats: { Keys: [{ concertId: CONCERT_ID, seatId: 'A-2' }] } } })
      .resolvesOnce({ Responses: { seats: [seat('A-2')] } });

    const seats = await store.getSeats(CONCERT_ID, ['A-1', 'A-2']);

    expect([...seats.keys()].sort()).toEqual(['A-1', 'A-2']);
    expect(dynamo.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems?.seats?.Keys).toEqual([{ concertId: CONCERT_ID, seatId: 'A-2' }]);
  });
});

describe('writing seats', () => {
  test('writes every transition in one transaction, each conditional on the version read and bumping it', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await store.applyTransitions(CONCERT_ID, [hold, sell, free]);

    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(3);
    for (const [index, expected] of [[0, 3], [1, 5], [2, 7]] as const) {
      expect(items[index]?.Update).toMatchObject({
        TableName: 'seats',
        ConditionExpression: '#version = :expected',
        ExpressionAttributeValues: expect.objectContaining({ ':expected': expected, ':next': expected + 1 }),
      });
    }
  });

  test('a hold sets the holder and the expiry and clears an earlier release mark', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await store.applyTransitions(CONCERT_ID, [hold]);

    const update = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
    expect(update).toMatchObject({
      Key: { concertId: CONCERT_ID, seatId: 'A-1' },
      UpdateExpression: 'SET #status = :status, #holder = :holder, #expires = :expires, #version = :next REMOVE #released',
      ExpressionAttributeValues: expect.objectContaining({ ':status': 'HELD', ':holder': 'purchase-1', ':expires': 1_800_000_000 }),
    });
  });

  test('a release clears the holder and the expiry and marks who released it', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await store.applyTransitions(CONCERT_ID, [free]);

    const update = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
    expect(update?.UpdateExpression).toBe('SET #status = :status, #released = :released, #version = :next REMOVE #holder, #expires');
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':status': 'AVAILABLE', ':released': 'purchase-1' });
  });

  test('a cancelled transaction names exactly the seats whose condition failed', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed', 'TransactionConflict']));

    const failure = store.applyTransitions(CONCERT_ID, [hold, sell, free]);

    await expect(failure).rejects.toThrow(SeatWriteConflictError);
    await expect(failure).rejects.toMatchObject({ seatIds: ['A-2', 'A-3'] });
  });

  test('a transaction cancelled by throttling is a transient dependency failure', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['ThrottlingError', 'None']));

    await expect(store.applyTransitions(CONCERT_ID, [hold, sell])).rejects.toThrow(DependencyUnavailableError);
  });

  test('a cancellation without reasons counts as a conflict on every seat', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled([]));

    await expect(store.applyTransitions(CONCERT_ID, [hold, sell])).rejects.toMatchObject({ name: 'SeatWriteConflictError', seatIds: ['A-1', 'A-2'] });
  });

  test('no transitions means no call', async () => {
    await store.applyTransitions(CONCERT_ID, []);

    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('what a transition writes', () => {
  const updatesOf = async (transitions: SeatTransition[]) => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.applyTransitions(CONCERT_ID, transitions);
    return (dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? []).map((item) => item.Update);
  };

  test('a sale sets the holder, clears the hold expiry and any release mark', async () => {
    // Act
    const [update] = await updatesOf([sell]);

    // Assess
    expect(update).toMatchObject({
      Key: { concertId: CONCERT_ID, seatId: 'A-2' },
      UpdateExpression: 'SET #status = :status, #holder = :holder, #version = :next REMOVE #expires, #released',
      ExpressionAttributeValues: { ':status': 'SOLD', ':holder': 'purchase-1', ':expected': 5, ':next': 6 },
    });
  });

  test.each([
    ['hold', hold],
    ['sale', sell],
    ['release', free],
  ])('a %s names each placeholder it uses after a field of the seat item, and nothing else', async (_name, transition) => {
    // Prepare
    const seatFields = new Set(Object.keys(inventorySeatSchema.shape));

    // Act
    const [update] = await updatesOf([transition]);

    // Assess
    const used = new Set(`${update?.UpdateExpression} ${update?.ConditionExpression}`.match(/#\w+/g));
    const names = update?.ExpressionAttributeNames ?? {};
    expect(new Set(Object.keys(names))).toEqual(used);
    for (const field of Object.values(names)) expect(seatFields).toContain(field);
  });

  test('each placeholder names its own field', async () => {
    // Act
    const [update] = await updatesOf([hold]);

    // Assess: the values bound to the placeholders land on the attributes the seat schema reads them from
    const names = update?.ExpressionAttributeNames ?? {};
    expect(new Set(Object.values(names)).size).toBe(Object.keys(names).length);
    expect(names['#version']).toBe('version');
    expect(names['#status']).toBe('status');
  });
});

describe('failures that are not a seat conflict', () => {
  test.each(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded'])(
    'a transaction cancelled with %s is a transient dependency failure, not a conflict',
    async (code) => {
      // Prepare
      dynamo.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', code]));

      // Act
      const failure = store.applyTransitions(CONCERT_ID, [hold, sell]);

      // Assess
      await expect(failure).rejects.toThrow(DependencyUnavailableError);
    },
  );

  test('a cancellation recognised by its name alone is read like one', async () => {
    // Prepare: an error that crossed a serialization boundary keeps its name but not its class
    const plain = Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }] });
    dynamo.on(TransactWriteCommand).rejects(plain);

    // Act
    const failure = store.applyTransitions(CONCERT_ID, [hold, sell]);

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'SeatWriteConflictError', seatIds: ['A-2'] });
  });

  test('a cancellation whose reasons name no conflict is passed on as it is', async () => {
    // Prepare
    const error = cancelled(['None', 'ValidationError']);
    dynamo.on(TransactWriteCommand).rejects(error);

    // Act
    const failure = store.applyTransitions(CONCERT_ID, [hold, sell]);

    // Assess
    await expect(failure).rejects.toBe(error);
  });

  test('a TransactionConflictException is a conflict on every seat of the transaction', async () => {
    // Prepare
    dynamo.on(TransactWriteCommand).rejects(Object.assign(new Error('conflict'), { name: 'TransactionConflictException' }));

    // Act
    const failure = store.applyTransitions(CONCERT_ID, [hold, sell]);

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'SeatWriteConflictError', seatIds: ['A-1', 'A-2'] });
  });

  test('any other error is passed on as it is', async () => {
    // Prepare
    const error = new Error('connect ECONNREFUSED');
    dynamo.on(TransactWriteCommand).rejects(error);

    // Act
    const failure = store.applyTransitions(CONCERT_ID, [hold]);

    // Assess
    await expect(failure).rejects.toBe(error);
  });

  test('keys DynamoDB keeps leaving unprocessed end in DependencyUnavailable after a bounded number of reads', async () => {
    // Prepare
    dynamo.on(BatchGetCommand).resolves({ Responses: { seats: [] }, UnprocessedKeys: { seats: { Keys: [{ concertId: CONCERT_ID, seatId: 'A-1' }] } } });

    // Act
    const failure = store.getSeats(CONCERT_ID, ['A-1']);

    // Assess
    await expect(failure).rejects.toThrow(DependencyUnavailableError);
    const reads = dynamo.commandCalls(BatchGetCommand).length;
    expect(reads).toBeGreaterThan(1);
    expect(reads).toBeLessThan(10);
  });
});

describe('what a failure keeps for whoever investigates it', () => {
  test.each([
    ['a throttled transaction', ['ThrottlingError', 'None']],
    ['a conflict on named seats', ['None', 'ConditionalCheckFailed']],
    ['a cancellation without reasons', []],
  ])('%s keeps the cancellation as its cause', async (_name, codes) => {
    // Prepare
    const error = cancelled(codes);
    dynamo.on(TransactWriteCommand).rejects(error);

    // Act
    const failure = store.applyTransitions(CONCERT_ID, [hold, sell]);

    // Assess
    await expect(failure).rejects.toMatchObject({ cause: error });
  });

  test('a TransactionConflictException is kept as the cause of the conflict', async () => {
    // Prepare
    const error = Object.assign(new Error('conflict'), { name: 'TransactionConflictException' });
    dynamo.on(TransactWriteCommand).rejects(error);

    // Act
    const failure = store.applyTransitions(CONCERT_ID, [hold]);

    // Assess
    await expect(failure).rejects.toMatchObject({ cause: error });
  });

  test('a conflict names its seats in its message', () => {
    // Act
    const conflict = new SeatWriteConflictError(['A-1', 'A-2']);

    // Assess
    expect(conflict.message).toContain('A-1, A-2');
  });
});

describe('reading seats under load', () => {
  const unprocessed = { UnprocessedKeys: { seats: { Keys: [{ concertId: CONCERT_ID, seatId: 'A-1' }] } } };

  afterEach(() => jest.useRealTimers());

  test('gives up after five reads, saying how many keys were left', async () => {
    // Prepare
    dynamo.on(BatchGetCommand).resolves({ Responses: { seats: [] }, ...unprocessed });

    // Act
    const failure = store.getSeats(CONCERT_ID, ['A-1']);

    // Assess
    await expect(failure).rejects.toThrow('The seats table left 1 keys unprocessed');
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(5);
  });

  test('reads at once, then waits longer before each further read', async () => {
    // Prepare
    jest.useFakeTimers();
    dynamo.on(BatchGetCommand).resolvesOnce(unprocessed).resolvesOnce(unprocessed).resolves({ Responses: { seats: [seat('A-1')] } });

    // Act
    const reading = store.getSeats(CONCERT_ID, ['A-1']);

    // Assess: 25 ms before the second read, 50 ms more before the third
    await jest.advanceTimersByTimeAsync(0);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(49);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(74);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect([...(await reading).keys()]).toEqual(['A-1']);
  });

  test('a read that returned no seats at all, only unprocessed keys, is asked again', async () => {
    // Prepare
    dynamo.on(BatchGetCommand).resolvesOnce(unprocessed).resolves({ Responses: { seats: [seat('A-1')] } });

    // Act
    const seats = await store.getSeats(CONCERT_ID, ['A-1']);

    // Assess
    expect([...seats.keys()]).toEqual(['A-1']);
  });
});
