import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createSdkWaitingRooms } from '#tools/console/sdk-waiting-rooms';
import { LOCAL_OUTPUTS } from '#test/unit/tools/ops/support';

const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const sfn = mockClient(SFNClient);

const waitingRooms = () =>
  createSdkWaitingRooms(
    { documents: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), sqs: new SQSClient({ region: 'us-east-1' }), sfn: new SFNClient({ region: 'us-east-1' }) },
    LOCAL_OUTPUTS,
  );

beforeEach(() => {
  dynamo.reset();
  sqs.reset();
  sfn.reset();
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
});

test("reads a concert's on-sale without its admission key: the projection names the attributes and leaves the key out", async () => {
  // Arrange
  dynamo.on(GetCommand, { TableName: 'concerts' }).resolves({ Item: { concertId: 'rock-night' } });

  // Act
  await waitingRooms().findConcert('rock-night');

  // Assess
  const input = dynamo.commandCalls(GetCommand)[0]?.args[0].input;
  expect(input?.ProjectionExpression).toBeDefined();
  expect(Object.values(input?.ExpressionAttributeNames ?? {})).toEqual(['concertId', 'onSale']);
});

test('lists the rooms from the registry item, sorted, without a Scan', async () => {
  // Arrange
  dynamo.on(GetCommand, { TableName: 'waiting-room', Key: { itemId: 'rooms' } }).resolves({ Item: { itemId: 'rooms', concertIds: new Set(['rock-night', 'jazz-night']) } });

  // Act
  const rooms = await waitingRooms().listRooms();

  // Assess
  expect(rooms).toEqual(['jazz-night', 'rock-night']);
});

test("counts the pre-queue over every bucket of its index, pages included, without reading the tickets", async () => {
  // Arrange: bucket 3 answers in two pages.
  dynamo.on(QueryCommand).resolves({ Count: 2 });
  dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':bucket': 'rock-night#3' } }).resolvesOnce({ Count: 5, LastEvaluatedKey: { itemId: 'ticket#x' } }).resolves({ Count: 1 });

  // Act
  const count = await waitingRooms().countPreQueue('rock-night');

  // Assess
  expect(count).toBe(7 * 2 + 5 + 1);
  const inputs = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
  expect(inputs.every((input) => input.Select === 'COUNT' && input.IndexName === 'pre-queue')).toBe(true);
  expect(new Set(inputs.map((input) => input.ExpressionAttributeValues?.[':bucket']))).toEqual(new Set(Array.from({ length: 8 }, (_, bucket) => `rock-night#${bucket}`)));
});

test('the saga is unhealthy while the purchase dead-letter queue holds a message, and the reason says how many', async () => {
  // Arrange
  sqs.on(GetQueueAttributesCommand, { QueueUrl: LOCAL_OUTPUTS.PurchaseDeadLetterQueueUrl }).resolves({ Attributes: { ApproximateNumberOfMessages: '3' } });

  // Act
  const health = await waitingRooms().sagaHealth();

  // Assess
  expect(health).toEqual({ healthy: false, reason: 'the purchase dead-letter queue holds 3 message(s)' });
});

test('the saga is unhealthy while a purchase execution that needs a person stopped a moment ago, and the reason names it', async () => {
  // Arrange
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
  sfn
    .on(ListExecutionsCommand, { stateMachineArn: LOCAL_OUTPUTS.StateMachineArn, statusFilter: 'FAILED' })
    .resolves({ executions: [{ executionArn: 'arn:execution:p-7', stateMachineArn: LOCAL_OUTPUTS.StateMachineArn, name: 'p-7', status: 'FAILED', startDate: new Date(), stopDate: new Date() }] });

  // Act
  const health = await waitingRooms().sagaHealth();

  // Assess
  expect(health).toEqual({ healthy: false, reason: expect.stringContaining('purchase p-7 FAILED') });
});
