import { DynamoDBClient, PutItemCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { StepHandler } from '#commons/step-handler';
import type { ReserveSeatsResult } from '#handlers/reserve-seats';
import { useHandlerEnv } from './fixtures/http-event.ts';
import { STEP_TEST_ENV, eur, eventBusAcceptsEverything, idempotencyStoreAcceptsEverything, idempotencyRecordIdsOf, lambdaContext, publishedEvents, sagaContext } from './fixtures/saga-step.ts';

const documents = mockClient(DynamoDBDocumentClient);
const dynamoDb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv(STEP_TEST_ENV);
let handler: StepHandler<ReserveSeatsResult>;
beforeAll(async () => {
  ({ handler } = await import('#handlers/reserve-seats'));
});

const payload = { ...sagaContext, saga: { ...sagaContext, seatIds: ['A-1', 'A-2'] } };
const availableSeat = (seatId: string) => ({ concertId: 'rock-night', seatId, row: 'A', number: Number(seatId.slice(2)), price: eur(12000), status: 'AVAILABLE', version: 1 });
const invoke = (event: unknown = payload) => handler(event, lambdaContext('reserve-seats'));

beforeEach(() => {
  documents.reset();
  dynamoDb.reset();
  eventBridge.reset();
  idempotencyStoreAcceptsEverything(dynamoDb);
  eventBusAcceptsEverything(eventBridge);
  documents.on(BatchGetCommand).resolves({ Responses: { seats: [availableSeat('A-1'), availableSeat('A-2')] } });
  documents.on(TransactWriteCommand).resolves({});
});

test('returns the held seats with prices and versions, the total and the hold expiry as ISO time', async () => {
  const result = await invoke();

  expect(result).toEqual({
    seats: [
      { seatId: 'A-1', price: eur(12000), version: 2 },
      { seatId: 'A-2', price: eur(12000), version: 2 },
    ],
    seatIds: ['A-1', 'A-2'],
    total: eur(24000),
    holdExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
  });
});

test('holds the seats in the configured seats table, in one transaction', async () => {
  await invoke();

  const transactions = documents.commandCalls(TransactWriteCommand);
  expect(transactions).toHaveLength(1);
  expect(transactions[0]?.args[0].input.TransactItems?.map((item) => item.Update?.TableName)).toEqual(['seats', 'seats']);
});

test('publishes SeatsReserved after the write, with the seat versions and deterministic event id', async () => {
  const result = await invoke();

  expect(publishedEvents(eventBridge)).toEqual([
    {
      busName: 'ticketing-bus',
      source: 'ticketing.inventory',
      detailType: 'SeatsReserved.v1',
      detail: expect.objectContaining({ eventId: 'purchase-0001:SeatsReserved.v1', ...sagaContext, seats: result.seats, total: eur(24000), holdExpiresAt: result.holdExpiresAt }),
    },
  ]);
});

test('taken seats fail with SeatsUnavailable naming them and publish nothing', async () => {
  documents.on(BatchGetCommand).resolves({ Responses: { seats: [availableSeat('A-1'), { ...availableSeat('A-2'), status: 'SOLD', holderPurchaseId: 'purchase-9', version: 3 }] } });

  await expect(invoke()).rejects.toMatchObject({ name: 'SeatsUnavailable', message: 'Seats not available: A-2' });
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
});

test('a throttled seats table is DependencyUnavailable, for the state machine to retry', async () => {
  documents.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }] }));

  await expect(invoke()).rejects.toMatchObject({ name: 'DependencyUnavailable' });
});

test('an unreachable event bus after the write is DependencyUnavailable: the rerun finds the seats held and publishes again', async () => {
  eventBridge.on(PutEventsCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4010'), { code: 'ECONNREFUSED' }));

  await expect(invoke()).rejects.toMatchObject({ name: 'DependencyUnavailable' });
});

test('an execution started on the earlier definition (seat ids at the top, no saga) still holds its seats after a deploy', async () => {
  // Standard executions keep the definition they started with: theirs passed the seats as `seatIds`.
  const earlier = { ...sagaContext, seatIds: ['A-1', 'A-2'] };

  const result = await invoke(earlier);

  expect(result.seatIds).toEqual(['A-1', 'A-2']);
  expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
});

test('a payload without seat ids is rejected before anything is read', async () => {
  await expect(invoke({ ...sagaContext })).rejects.toMatchObject({ name: 'ZodError' });
  expect(documents.commandCalls(BatchGetCommand)).toHaveLength(0);
});

test('records the step in the idempotency table under its own key prefix', async () => {
  await invoke();

  const record = dynamoDb.commandCalls(PutItemCommand)[0]?.args[0].input;
  expect(record?.TableName).toBe('idempotency');
  expect(record?.Item?.id?.S).toMatch(/^reserve-seats#/);
});

test('keys its idempotency record by the purchaseId alone, under its own prefix', async () => {
  // Prepare
  const run = (event: object) => handler(event, lambdaContext('reserve-seats'));

  // Act: the purchase, a rerun of it with other saga data, and another purchase
  const [first, rerun, other] = await idempotencyRecordIdsOf(dynamoDb, [
    () => run(payload),
    () => run({ ...payload, correlationId: 'corr-2' }),
    () => run({ ...payload, purchaseId: 'purchase-0002' }),
  ]);

  // Assess
  expect(first).toMatch(/^reserve-seats#\S+$/);
  expect(rerun).toBe(first);
  expect(other).toMatch(/^reserve-seats#\S+$/);
  expect(other).not.toBe(first);
});

describe('a purchase of the best available seats', () => {
  const byQuantity = { ...sagaContext, saga: { ...sagaContext, bestAvailable: { quantity: 2, priceBand: 'A' } } };
  const seatIn = (seatId: string, extra: object = {}) => ({ ...availableSeat(seatId), ...extra });

  test('holds adjacent seats of the band and returns their ids for the later steps', async () => {
    documents.on(QueryCommand).resolves({ Items: [seatIn('A-1'), seatIn('A-2', { status: 'SOLD', holderPurchaseId: 'other' }), seatIn('A-3'), seatIn('A-4')] });

    const result = await invoke(byQuantity);

    expect(result.seatIds).toEqual(['A-3', 'A-4']);
    expect(result.seats.map((seat) => seat.seatId)).toEqual(['A-3', 'A-4']);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  test('publishes SeatsReserved naming the chosen seats', async () => {
    documents.on(QueryCommand).resolves({ Items: [seatIn('A-1'), seatIn('A-2')] });

    await invoke(byQuantity);

    expect(publishedEvents(eventBridge)[0]).toMatchObject({ detailType: 'SeatsReserved.v1', detail: { seats: [{ seatId: 'A-1' }, { seatId: 'A-2' }] } });
  });

  test('too few seats left in the band is SeatsUnavailable, which the saga turns into a failed purchase', async () => {
    documents.on(QueryCommand).resolves({ Items: [seatIn('A-1')] });

    await expect(invoke(byQuantity)).rejects.toMatchObject({ name: 'SeatsUnavailable', message: 'Fewer than 2 seats are left in band A' });
  });

  test('a payload that names seats and asks for a quantity is refused before anything is read', async () => {
    await expect(invoke({ ...byQuantity, saga: { ...byQuantity.saga, seatIds: ['A-1'] } })).rejects.toMatchObject({ name: 'ZodError' });
    expect(documents.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
