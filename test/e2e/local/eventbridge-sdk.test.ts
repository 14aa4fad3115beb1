import {
  DescribeReplayCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  EventBridgeServiceException,
  ListArchivesCommand,
  ListReplaysCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  ResourceNotFoundException,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { lambdaFunctionArn, sqsQueueArn } from '#local/arns';
import { LocalEventBridge } from '#local/eventbridge/bus';
import { startEventBridgeServer, type EventBridgeService } from '#local/eventbridge/server';
import { eventually } from '#test/support/eventually';
import { archive, FakeFunctions, FakeQueues, recordingLogger, retryPolicy, rule, target, ticketingModel } from '#test/unit/local/eventbridge/fakes';

const BUS = 'ticketing';
const BUS_ARN = `arn:aws:events:us-east-1:000000000000:event-bus/${BUS}`;
const ARCHIVE_ARN = 'arn:aws:events:us-east-1:000000000000:archive/TicketingArchive';
const PROJECTION = lambdaFunctionArn('ProjectPurchaseStatus');
const DEADLINE_MS = 10_000;

const deliveredPurchase = z.object({ detail: z.object({ purchaseId: z.string() }), 'replay-name': z.string().optional() });

describe('local EventBridge through @aws-sdk/client-eventbridge', () => {
  const functions = new FakeFunctions();
  let service: EventBridgeService;
  let client: EventBridgeClient;

  beforeAll(async () => {
    const bridge = await LocalEventBridge.create({
      model: ticketingModel({
        rules: [
          rule('PurchaseStatus', {
            eventPattern: { source: ['ticketing.orders'], 'detail-type': [{ suffix: '.v1' }] },
            targets: [target('projection', PROJECTION, { retryPolicy: retryPolicy({ maximumRetryAttempts: 2 }), deadLetterQueueArn: sqsQueueArn('ProjectionDlq') })],
          }),
        ],
        archives: [archive('TicketingArchive', { eventPattern: { source: [{ prefix: 'ticketing.' }] } })],
      }),
      ports: { functions, queues: new FakeQueues() },
      logger: recordingLogger(),
    });
    service = await startEventBridgeServer(bridge);
    client = new EventBridgeClient({
      endpoint: service.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    client.destroy();
    await service.stop();
  });

  const purchasesDelivered = () => functions.eventsFor(PROJECTION).map((event) => deliveredPurchase.parse(event));
  const deliveryOf = (purchaseId: string) =>
    eventually(
      () => purchasesDelivered().map((event) => event.detail.purchaseId),
      (delivered) => delivered.includes(purchaseId),
      { what: `the projection to receive ${purchaseId}`, timeoutMs: DEADLINE_MS },
    );

  const putPurchase = (purchaseId: string, time?: Date) =>
    client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: BUS, Source: 'ticketing.orders', DetailType: 'PurchaseRequested.v1', Detail: JSON.stringify({ purchaseId }), Time: time }],
      }),
    );

  test('PutEvents delivers to the rule target', async () => {
    // Act
    const result = await putPurchase('p-delivered');

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    await deliveryOf('p-delivered');
  });

  test('PutEvents reports invalid entries one by one', async () => {
    // Act
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: BUS, Source: 'ticketing.orders', DetailType: 'PurchaseRequested.v1', Detail: '{"purchaseId":"p-ok"}' },
          { EventBusName: BUS, Source: 'ticketing.orders', DetailType: 'PurchaseRequested.v1', Detail: 'not json' },
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[1]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
  });

  test('rules and targets are described as the template declares them', async () => {
    // Act
    const rule = await client.send(new DescribeRuleCommand({ Name: 'PurchaseStatus', EventBusName: BUS }));
    const targets = await client.send(new ListTargetsByRuleCommand({ Rule: 'PurchaseStatus', EventBusName: BUS }));

    // Assess
    expect(rule).toMatchObject({ Arn: 'arn:aws:events:us-east-1:000000000000:rule/ticketing/PurchaseStatus', State: 'ENABLED', EventBusName: BUS });
    expect(JSON.parse(rule.EventPattern ?? '{}')).toEqual({ source: ['ticketing.orders'], 'detail-type': [{ suffix: '.v1' }] });
    expect(targets.Targets).toEqual([
      { Id: 'projection', Arn: PROJECTION, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 86_400 }, DeadLetterConfig: { Arn: sqsQueueArn('ProjectionDlq') } },
    ]);
  });

  test('errors arrive as the SDK named exceptions', async () => {
    // Act
    const describeMissing = client.send(new DescribeRuleCommand({ Name: 'Missing', EventBusName: BUS }));
    const crossBusReplay = client.send(
      new StartReplayCommand({
        ReplayName: 'cross-bus',
        EventSourceArn: ARCHIVE_ARN,
        EventStartTime: new Date('2026-03-01T00:00:00Z'),
        EventEndTime: new Date('2026-03-02T00:00:00Z'),
        Destination: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' },
      }),
    );

    // Assess
    await expect(describeMissing).rejects.toBeInstanceOf(ResourceNotFoundException);
    // ValidationException is a common AWS error the EventBridge model does not list, so the SDK raises its base class with that name.
    await expect(crossBusReplay).rejects.toBeInstanceOf(EventBridgeServiceException);
    await expect(crossBusReplay).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  const startReplay = (name: string, start: string, end: string) =>
    client.send(
      new StartReplayCommand({
        ReplayName: name,
        EventSourceArn: ARCHIVE_ARN,
        EventStartTime: new Date(start),
        EventEndTime: new Date(end),
        Destination: { Arn: BUS_ARN },
      }),
    );

  /** Polls DescribeReplay until the replay ends; fails loudly unless it COMPLETED. */
  const completedReplay = async (name: string) => {
    const replay = await eventually(
      () => client.send(new DescribeReplayCommand({ ReplayName: name })),
      (described) => described.State === 'COMPLETED' || described.State === 'FAILED',
      { what: `replay ${name} to end`, timeoutMs: DEADLINE_MS },
    );
    if (replay.State !== 'COMPLETED') throw new Error(`replay ${name} did not complete: ${JSON.stringify(replay)}`);
    return replay;
  };

  test('archived events are replayed with replay-name, and the replay reaches COMPLETED', async () => {
    // Prepare
    const eventTime = new Date('2026-03-01T10:00:00Z');
    await putPurchase('p-archived', eventTime);
    await deliveryOf('p-archived');

    // Act
    const started = await startReplay('morning', '2026-03-01T09:00:00Z', '2026-03-01T11:00:00Z');
    const replay = await completedReplay('morning');

    // Assess
    expect(started.State).toBe('STARTING');
    expect(replay).toMatchObject({ EventSourceArn: ARCHIVE_ARN, EventLastReplayedTime: eventTime });
    expect(purchasesDelivered().filter((event) => event['replay-name'] === 'morning').map((event) => event.detail.purchaseId)).toEqual(['p-archived']);
  });

  test('ListArchives and ListReplays show the archive and its replays', async () => {
    // Prepare
    await putPurchase('p-listed', new Date('2026-04-01T10:00:00Z'));
    await startReplay('listed-april', '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z');
    await completedReplay('listed-april');

    // Act
    const archives = await client.send(new ListArchivesCommand({ EventSourceArn: BUS_ARN }));
    const replays = await client.send(new ListReplaysCommand({ EventSourceArn: ARCHIVE_ARN, NamePrefix: 'listed-' }));

    // Assess
    expect(archives.Archives).toEqual([
      expect.objectContaining({ ArchiveName: 'TicketingArchive', State: 'ENABLED', EventCount: expect.any(Number), CreationTime: expect.any(Date) }),
    ]);
    expect(archives.Archives?.[0]?.EventCount).toBeGreaterThanOrEqual(1);
    expect(replays.Replays).toEqual([
      expect.objectContaining({ ReplayName: 'listed-april', State: 'COMPLETED', EventLastReplayedTime: new Date('2026-04-01T10:00:00Z') }),
    ]);
  });
});
