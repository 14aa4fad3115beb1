import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createGatedConcertFinder } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { createDynamoDbQueueTicketStore } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import { joinLine } from '#domain/waiting-room/join-line';
import { pollTicket } from '#domain/waiting-room/poll-ticket';
import { ticketIdFor } from '#domain/waiting-room/queue-ticket';
import { LINE_SHARDS } from '#domain/waiting-room/line-positions';
import { PRICES } from '#tools/cost/prices';
import type { TemplateFacts } from '#tools/cost/template-facts';
import { computeWaitingRoomBill, WAITING_ROOM_ASSUMPTIONS, WAITING_ROOM_CALLS, type DynamoDbCall } from '#tools/cost/waiting-room';

/**
 * The waiting room's cost model lists the DynamoDB calls of a join and a
 * poll by hand; here the domain functions run through their real adapters
 * on a mocked client, so a call added, removed or widened in the code
 * fails this test until the model (and docs/cost.md) say so too.
 */

const dynamo = mockClient(DynamoDBDocumentClient);
const CONCERTS = 'concerts';
const WAITING_ROOM = 'waiting-room';
const CONCERT_ID = 'rock-night';
const BUYER_ID = 'buyer-1';
const NOW = new Date('2027-06-28T18:00:00Z');

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const tickets = createDynamoDbQueueTicketStore({ client: documents, tableName: WAITING_ROOM });
const onSale = (startsAt: Date) => ({ startsAt: startsAt.toISOString(), admissionsPerMinute: 100, maxActiveBuyers: 500, admissionTtlSeconds: 600 });

/** The calls the mocked client received, in the model's terms. */
const callsMade = (): Array<Pick<DynamoDbCall, 'call' | 'itemsRead' | 'itemsWritten'>> =>
  dynamo.calls().map((call) => {
    const command = call.args[0];
    if (command instanceof GetCommand) return { call: 'GetItem', itemsRead: 1, itemsWritten: 0 };
    if (command instanceof BatchGetCommand) return { call: 'BatchGetItem', itemsRead: Object.values(command.input.RequestItems ?? {}).reduce((sum, table) => sum + (table.Keys?.length ?? 0), 0), itemsWritten: 0 };
    if (command instanceof UpdateCommand) return { call: 'UpdateItem', itemsRead: 0, itemsWritten: 1 };
    if (command instanceof PutCommand) return { call: 'PutItem', itemsRead: 0, itemsWritten: command.input.Item?.['preQueueBucket'] === undefined ? 1 : 2 };
    throw new Error(`a call the model does not know: ${command.constructor.name}`);
  });
const modelled = (calls: readonly DynamoDbCall[]) => calls.map(({ call, itemsRead, itemsWritten }) => ({ call, itemsRead, itemsWritten }));

const join = (startsAt: Date) => {
  dynamo.on(GetCommand, { TableName: CONCERTS }).resolves({ Item: { concertId: CONCERT_ID, onSale: onSale(startsAt) } });
  return joinLine(
    { findConcert: createGatedConcertFinder({ client: documents, tableName: CONCERTS, withAdmissionKey: false }), tickets, now: () => NOW, randomInt: () => 0 },
    { concertId: CONCERT_ID, buyerId: BUYER_ID },
  );
};

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand, { TableName: WAITING_ROOM }).resolves({});
  dynamo.on(UpdateCommand).resolves({ Attributes: { count: 1 } });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(BatchGetCommand).resolves({ Responses: { [WAITING_ROOM]: [] } });
});

describe("the waiting room's cost model", () => {
  it('lists the calls a first join after the start makes', async () => {
    // Act
    await join(new Date(NOW.getTime() - 60_000));

    // Assess
    expect(callsMade()).toEqual(modelled(WAITING_ROOM_CALLS.joinAfterStart));
  });

  it('lists the calls a first join before the start makes', async () => {
    // Act
    await join(new Date(NOW.getTime() + 60_000));

    // Assess
    expect(callsMade()).toEqual(modelled(WAITING_ROOM_CALLS.joinBeforeStart));
  });

  it('lists the calls a poll makes', async () => {
    // Arrange
    const ticketId = ticketIdFor(CONCERT_ID, BUYER_ID);
    dynamo.on(GetCommand, { TableName: CONCERTS }).resolves({ Item: { concertId: CONCERT_ID, onSale: onSale(new Date(NOW.getTime() - 60_000)) } });
    dynamo
      .on(GetCommand, { TableName: WAITING_ROOM })
      .resolves({ Item: { itemId: `ticket#${ticketId}`, ticketId, concertId: CONCERT_ID, buyerId: BUYER_ID, joinedAt: NOW.toISOString(), lineShard: 0, lineNumber: 1 } });

    // Act
    const view = await pollTicket(
      { findConcert: createGatedConcertFinder({ client: documents, tableName: CONCERTS, withAdmissionKey: true }), tickets, now: () => NOW },
      { concertId: CONCERT_ID, ticketId, buyerId: BUYER_ID },
    );

    // Assess
    expect(view).toBeDefined();
    expect(callsMade()).toEqual(modelled(WAITING_ROOM_CALLS.poll));
  });
});

describe("the waiting room's bill and ceilings", () => {
  const facts = {
    functions: [
      { logicalId: 'Join', memoryMb: 512, architecture: 'arm64', handler: 'join-queue', scheduled: false },
      { logicalId: 'Poll', memoryMb: 1024, architecture: 'arm64', handler: 'get-queue-ticket', scheduled: false },
    ],
  } as unknown as TemplateFacts;

  it('bills one join and the assumed polls a buyer, each at its function memory', () => {
    // Act
    const bill = computeWaitingRoomBill(facts, PRICES);

    // Assess
    expect(bill.pollsPerBuyer).toBe(WAITING_ROOM_ASSUMPTIONS.waitSeconds / WAITING_ROOM_ASSUMPTIONS.pollIntervalSeconds);
    expect(bill.lines.find((line) => line.item.startsWith('HTTP API'))?.perPurchase).toBe(1 + bill.pollsPerBuyer);
    expect(bill.lines.find((line) => line.item === 'arm64 duration')?.perPurchase).toBeCloseTo(bill.joinSeconds * 0.5 + bill.pollsPerBuyer * bill.pollSeconds * 1);
  });

  it('caps joins on the counter shards at a partition write limit per shard', () => {
    // Act
    const shards = computeWaitingRoomBill(facts, PRICES).capacity.find((row) => row.stage.includes('counter shards'));

    // Assess
    expect(shards?.joinsPerSecond).toBe(1_000 * LINE_SHARDS);
  });

  it('fails naming the handler when the template has no join function', () => {
    // Act
    const compute = () => computeWaitingRoomBill({ functions: [] } as unknown as TemplateFacts, PRICES);

    // Assess
    expect(compute).toThrow('handlers/join-queue.ts');
  });
});
