import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createSeatExistenceCheck } from '#domain/orders/adapters/dynamodb-seat-existence';

const dynamo = mockClient(DynamoDBDocumentClient);
beforeEach(() => dynamo.reset());

const unknownSeats = () => createSeatExistenceCheck({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 'seats' });

test('names the seats the table does not have, in the order asked', async () => {
  dynamo.on(BatchGetCommand).resolves({ Responses: { seats: [{ seatId: 'A-1' }] } });

  expect(await unknownSeats()('rock-night', ['ZZ-2', 'A-1', 'ZZ-1'])).toEqual(['ZZ-2', 'ZZ-1']);
});

test('asks again for the keys DynamoDB left unprocessed', async () => {
  dynamo
    .on(BatchGetCommand)
    .resolvesOnce({ Responses: { seats: [{ seatId: 'A-1' }] }, UnprocessedKeys: { seats: { Keys: [{ concertId: 'rock-night', seatId: 'A-2' }] } } })
    .resolves({ Responses: { seats: [{ seatId: 'A-2' }] } });

  expect(await unknownSeats()('rock-night', ['A-1', 'A-2'])).toEqual([]);
  expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(2);
});

test('gives up rather than call a seat unknown when keys stay unprocessed', async () => {
  dynamo.on(BatchGetCommand).resolves({ Responses: { seats: [] }, UnprocessedKeys: { seats: { Keys: [{ concertId: 'rock-night', seatId: 'A-1' }] } } });

  await expect(unknownSeats()('rock-night', ['A-1'])).rejects.toMatchObject({ name: 'SeatLookupIncompleteError' });
});

test('asks the seats table for each distinct seat of the concert, by key only', async () => {
  // Arrange
  dynamo.on(BatchGetCommand).resolves({ Responses: { seats: [{ seatId: 'A-1' }] } });

  // Act
  await unknownSeats()('rock-night', ['A-1', 'A-1']);

  // Assess
  expect(dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input).toEqual({
    RequestItems: {
      seats: { Keys: [{ concertId: 'rock-night', seatId: 'A-1' }], ProjectionExpression: '#seat', ExpressionAttributeNames: { '#seat': 'seatId' } },
    },
  });
});
