import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { StepHandler } from '#commons/step-handler';
import type { ReleaseSeatsResult } from '#handlers/release-seats';
import { useHandlerEnv } from './fixtures/http-event.ts';
import { STEP_TEST_ENV, eur, eventBusAcceptsEverything, idempotencyStoreAcceptsEverything, idempotencyRecordIdsOf, lambdaContext, publishedEvents, sagaContext } from './fixtures/saga-step.ts';

const documents = mockClient(DynamoDBDocumentClient);
const dynamoDb = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

useHandlerEnv(STEP_TEST_ENV);
let handler: StepHandler<ReleaseSeatsResult>;
beforeAll(async () => {
  ({ handler } = await import('#handlers/release-seats'));
});

const seatHeldBy = (seatId: string, purchaseId: string) => ({
  concertId: 'rock-night',
  seatId,
  row: 'A',
  number: Number(seatId.slice(2)),
  price: eur(12000),
  status: 'HELD',
  holderPurchaseId: purchaseId,
  holdExpiresAt: 1_900_000_000,
  version: 2,
});
const named = (seatIds: string[]) => ({ ...sagaContext, saga: { ...sagaContext, seatIds } });
const invoke = (event: unknown = named(['A-1', 'A-2'])) => handler(event, lambdaContext('release-seats'));

beforeEach(() => {
  documents.reset();
  dynamoDb.reset();
  eventBridge.reset();
  idempotencyStoreAcceptsEverything(dynamoDb);
  eventBusAcceptsEverything(eventBridge);
  documents.on(TransactWriteCommand).resolves({});
});

test('releases only the seats this purchase holds and returns them', async () => {
  documents.on(BatchGetCommand).resolves({ Responses: { seats: [seatHeldBy('A-1', 'purchase-0001'), seatHeldBy('A-2', 'purchase-0002')] } });

  await expect(invoke()).resolves.toEqual({ seats: [{ seatId: 'A-1', version: 3 }] });
  expect(documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.map((item) => item.Update?.Key)).toEqual([{ concertId: 'rock-night', seatId: 'A-1' }]);
});

test('publishes SeatsReleased with the released seats', async () => {
  documents.on(BatchGetCommand).resolves({ Responses: { seats: [seatHeldBy('A-1', 'purchase-0001'), seatHeldBy('A-2', 'purchase-0001')] } });

  await invoke();

  expect(publishedEvents(eventBridge)).toEqual([
    expect.objectContaining({
      source: 'ticketing.inventory',
      detailType: 'SeatsReleased.v1',
      detail: expect.objectContaining({ ...sagaContext, seats: [{ seatId: 'A-1', version: 3 }, { seatId: 'A-2', version: 3 }] }),
    }),
  ]);
});

test('an execution started on the earlier definition (seat ids at the top, no saga) still releases its seats after a deploy', async () => {
  // Standard executions keep the definition they started with: theirs passed the seats as `seatIds`.
  documents.on(BatchGetCommand).resolves({ Responses: { seats: [seatHeldBy('A-1', 'purchase-0001'), seatHeldBy('A-2', 'purchase-0001')] } });

  await expect(invoke({ ...sagaContext, seatIds: ['A-1', 'A-2'] })).resolves.toEqual({ seats: [{ seatId: 'A-1', version: 3 }, { seatId: 'A-2', version: 3 }] });
});

test('no seat held is no write and an empty release, not an error', async () => {
  documents.on(BatchGetCommand).resolves({ Responses: { seats: [seatHeldBy('A-1', 'purchase-0002')] } });

  await expect(invoke()).resolves.toEqual({ seats: [] });
  expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(0);
});

test('keys its idempotency record by the purchaseId alone, under its own prefix', async () => {
  // Prepare
  documents.on(BatchGetCommand).resolves({ Responses: { seats: [seatHeldBy('A-1', 'purchase-0001'), seatHeldBy('A-2', 'purchase-0001')] } });
  const run = (event: object) => handler(event, lambdaContext('release-seats'));

  // Act: the purchase, a rerun of it with other saga data, and another purchase
  const [first, rerun, other] = await idempotencyRecordIdsOf(dynamoDb, [
    () => run(named(['A-1', 'A-2'])),
    () => run({ ...named(['A-1', 'A-2']), correlationId: 'corr-2' }),
    () => run({ ...named(['A-1', 'A-2']), purchaseId: 'purchase-0002' }),
  ]);

  // Assess
  expect(first).toMatch(/^release-seats#\S+$/);
  expect(rerun).toBe(first);
  expect(other).toMatch(/^release-seats#\S+$/);
  expect(other).not.toBe(first);
});

test('a payload without the saga state is rejected before anything is read', async () => {
  await expect(invoke({ ...sagaContext })).rejects.toMatchObject({ name: 'ZodError' });
  expect(documents.commandCalls(BatchGetCommand)).toHaveLength(0);
});

describe('a purchase of the best available seats', () => {
  const byQuantity = (reserveSeats?: object) => ({
    ...sagaContext,
    saga: { ...sagaContext, bestAvailable: { quantity: 2, priceBand: 'A-C' }, ...(reserveSeats ? { reserveSeats } : {}) },
  });

  test('releases the seats ReserveSeats chose, as its result names them', async () => {
    documents.on(BatchGetCommand).resolves({ Responses: { seats: [seatHeldBy('B-3', 'purchase-0001'), seatHeldBy('B-4', 'purchase-0001')] } });

    await invoke(byQuantity({ seats: [{ seatId: 'B-3' }, { seatId: 'B-4' }], total: eur(24000) }));

    expect(documents.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.seats?.Keys).toEqual([
      { concertId: 'rock-night', seatId: 'B-3' },
      { concertId: 'rock-night', seatId: 'B-4' },
    ]);
    expect(documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toHaveLength(2);
  });

  test('without a ReserveSeats result, finds the seats the purchase holds in its band and releases them', async () => {
    documents.on(QueryCommand).resolves({ Items: [seatHeldBy('B-3', 'purchase-0001'), seatHeldBy('C-1', 'purchase-0001')] });
    documents.on(BatchGetCommand).resolves({ Responses: { seats: [seatHeldBy('B-3', 'purchase-0001'), seatHeldBy('C-1', 'purchase-0001')] } });

    const result = await invoke(byQuantity());

    expect(documents.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({ ':from': 'A-', ':to': 'C-:', ':purchase': 'purchase-0001' });
    expect(result.seats.map((seat) => seat.seatId)).toEqual(['B-3', 'C-1']);
  });
});
