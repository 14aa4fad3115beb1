import { randomUUID } from 'node:crypto';
import {
  DescribeReplayCommand,
  EventBridgeClient,
  ListArchivesCommand,
  PutEventsCommand,
  StartReplayCommand,
  type DescribeReplayCommandOutput,
} from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, ListExecutionsCommand, paginateGetExecutionHistory, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { STACK_OUTPUTS } from '#infra/outputs';
import { memoryLogSink } from '#local/index';
import { eventIdFor } from '#events/metadata';
import { PurchaseFailedEvent, purchaseFailedSchema } from '#events/purchase-failed';
import { archiveArnOf } from '#tools/ops/config';
import { eventually } from '#test/support/eventually';
import { placePurchase, waitForTerminalPurchase } from '#test/e2e/support/purchases';
import { DEMO_CONCERT_ID, useLocalRuntime } from '#test/e2e/support/runtime';

/**
 * The local runtime as the AWS SDK (and so the AWS CLI and the operator
 * tools) sees it: Step Functions and EventBridge at the endpoints the
 * runtime publishes in its runtime file, driven by the real clients.
 */

const SAGA_DEADLINE_MS = 90_000;
const DELIVERY_DEADLINE_MS = 30_000;
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'us-east-1';

/** The purchase status projection's log line for each event it applied (handlers/project-purchase-status.ts). */
const projectionLogSchema = z.looseObject({
  message: z.literal('Purchase status projected'),
  purchaseId: z.string(),
  outcome: z.string(),
  replayName: z.string().optional(),
});

/** arn:aws:states:<region>:<account>:stateMachine:<name> -> ...:execution:<name>:<executionName>, as AWS names executions. */
const executionArnOf = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/** Functions log JSON lines (Powertools) among plain ones. */
const parseJsonLine = (message: string): unknown => {
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return undefined;
  }
};

describe('the local runtime through the AWS SDK', () => {
  const functionLogs = memoryLogSink();
  const local = useLocalRuntime({ functionLogs });

  const projectionLogEntries = () =>
    functionLogs.lines.flatMap((line) => {
      const parsed = projectionLogSchema.safeParse(parseJsonLine(line.message));
      return parsed.success ? [parsed.data] : [];
    });

  describe('Step Functions through @aws-sdk/client-sfn', () => {
    let sfn: SFNClient;
    let stateMachineArn: string;
    let purchaseId: string;

    beforeAll(async () => {
      const { runtime } = local();
      sfn = new SFNClient({ endpoint: runtime.info.endpoints.stepfunctions, region: REGION, credentials: LOCAL_CREDENTIALS });
      stateMachineArn = runtime.info.outputs[STACK_OUTPUTS.stateMachineArn];
      const api = await local().apiAs('buyer-sdk');
      purchaseId = await placePurchase(api, { concertId: DEMO_CONCERT_ID, seatIds: ['G-1', 'G-2'], paymentToken: 'tok_approve' });
      await waitForTerminalPurchase(api, purchaseId, SAGA_DEADLINE_MS);
      // The purchase shows CONFIRMED once ConfirmPurchase published its event; the execution closes a transition later.
      await eventually(
        () => sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, purchaseId) })),
        (execution) => execution.status !== 'RUNNING',
        { what: `the execution of ${purchaseId} to close`, timeoutMs: SAGA_DEADLINE_MS, describe: (execution) => execution.status ?? 'no status' },
      );
    });

    afterAll(() => sfn.destroy());

    it('ran every function on the Node.js major of its deployed runtime', () => {
      // Act
      const starts = functionLogs.lines.filter((line) => line.stream === 'platform' && line.message.startsWith('INIT_START'));
      const runtimes = new Set(starts.map((line) => /Runtime Version: (\S+) \(local Node\.js (v\d+)\./.exec(line.message)?.slice(1).join(' on ')));

      // Assess
      expect(starts.length).toBeGreaterThan(0);
      expect([...runtimes]).toEqual(['nodejs24.x on v24']);
    });

    it("lists the purchase's execution under the purchaseId, succeeded", async () => {
      // Act
      const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));

      // Assess
      expect(executions?.filter((execution) => execution.name === purchaseId)).toEqual([
        expect.objectContaining({ name: purchaseId, status: 'SUCCEEDED', stateMachineArn, executionArn: executionArnOf(stateMachineArn, purchaseId) }),
      ]);
    });

    it('returns a history that enters the saga steps in order', async () => {
      // Prepare
      const executionArn = executionArnOf(stateMachineArn, purchaseId);

      // Act
      const events: HistoryEvent[] = [];
      for await (const page of paginateGetExecutionHistory({ client: sfn }, { executionArn })) events.push(...(page.events ?? []));

      // Assess
      const enteredTasks = events.filter((event) => event.type === 'TaskStateEntered').map((event) => event.stateEnteredEventDetails?.name);
      expect(enteredTasks).toEqual(['ReserveSeats', 'ChargePayment', 'CreateInvoice', 'ConfirmPurchase']);
      expect(events[0]?.type).toBe('ExecutionStarted');
      expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    });
  });

  describe('EventBridge through @aws-sdk/client-eventbridge', () => {
    let events: EventBridgeClient;
    const purchaseId = randomUUID();
    // Well before anything else on the bus, so a replay window around it holds this event alone;
    // whole seconds, as EventBridge keeps an event's time.
    const eventTime = new Date(Math.floor(Date.now() / 1_000 - 60 * 60) * 1_000);

    const projectedPurchase = async () => {
      const { runtime } = local();
      const { Item } = await runtime.documentClient.send(
        new GetCommand({ TableName: runtime.info.outputs.PurchasesTableName, Key: { purchaseId }, ConsistentRead: true }),
      );
      return Item;
    };

    const projectedFailure = () =>
      eventually(projectedPurchase, (item) => item?.status === 'FAILED', {
        what: `the purchase status projection to record ${purchaseId} as FAILED`,
        timeoutMs: DELIVERY_DEADLINE_MS,
      });

    beforeAll(async () => {
      const { runtime } = local();
      events = new EventBridgeClient({ endpoint: runtime.info.endpoints.eventbridge, region: REGION, credentials: LOCAL_CREDENTIALS });
      const detail = purchaseFailedSchema.parse({
        eventId: eventIdFor(purchaseId, PurchaseFailedEvent.detailType),
        purchaseId,
        concertId: DEMO_CONCERT_ID,
        occurredAt: eventTime.toISOString(),
        correlationId: `e2e-${purchaseId}`,
        reason: 'PAYMENT_DECLINED',
        failedStep: 'ChargePayment',
        message: 'The card was declined',
        paymentRefunded: false,
        seatsReleased: true,
      });
      const result = await events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: runtime.info.outputs[STACK_OUTPUTS.eventBusName],
              Source: PurchaseFailedEvent.source,
              DetailType: PurchaseFailedEvent.detailType,
              Detail: JSON.stringify(detail),
              Time: eventTime,
            },
          ],
        }),
      );
      if (result.FailedEntryCount !== 0) throw new Error(`PutEvents rejected the event: ${JSON.stringify(result.Entries)}`);
    });

    afterAll(() => events.destroy());

    it('delivers a PurchaseFailed.v1 put on the bus to the purchase status projection', async () => {
      // Act
      const item = await projectedFailure();

      // Assess
      expect(item).toMatchObject({ purchaseId, status: 'FAILED', failureReason: 'PAYMENT_DECLINED', failedStep: 'ChargePayment', seatsReleased: true });
    });

    it('lists the bus archive with the events it kept', async () => {
      // Prepare
      const { outputs } = local().runtime.info;
      await projectedFailure();

      // Act
      const { Archives } = await events.send(new ListArchivesCommand({ EventSourceArn: outputs[STACK_OUTPUTS.eventBusArn] }));

      // Assess
      expect(Archives).toEqual([expect.objectContaining({ ArchiveName: outputs[STACK_OUTPUTS.archiveName], State: 'ENABLED' })]);
      expect(Archives?.[0]?.EventCount).toBeGreaterThanOrEqual(1);
    });

    it('replays a window of the archive to COMPLETED and leaves the projection unchanged', async () => {
      // Prepare
      const { outputs } = local().runtime.info;
      const before = await projectedFailure();
      const replayName = `e2e-${purchaseId.slice(0, 8)}`;

      // Act
      await events.send(
        new StartReplayCommand({
          ReplayName: replayName,
          EventSourceArn: archiveArnOf(outputs),
          EventStartTime: new Date(eventTime.getTime() - 1_000),
          EventEndTime: new Date(eventTime.getTime() + 1_000),
          Destination: { Arn: outputs[STACK_OUTPUTS.eventBusArn] },
        }),
      );
      const replay = await eventually(
        (): Promise<DescribeReplayCommandOutput> => events.send(new DescribeReplayCommand({ ReplayName: replayName })),
        (described) => described.State === 'COMPLETED' || described.State === 'FAILED',
        { what: `replay ${replayName} to complete`, timeoutMs: DELIVERY_DEADLINE_MS, describe: (described) => `${described.State}: ${described.StateReason ?? ''}` },
      );

      // Assess
      expect(replay).toMatchObject({ State: 'COMPLETED', EventLastReplayedTime: eventTime });
      // Function output reaches the log sink after the invocation's answer: wait for the line, then count them all.
      const replayedDeliveries = await eventually(
        () => projectionLogEntries().filter((entry) => entry.replayName === replayName),
        (entries) => entries.length > 0,
        { what: `the projection to log its delivery of replay ${replayName}`, timeoutMs: DELIVERY_DEADLINE_MS },
      );
      expect(replayedDeliveries).toEqual([expect.objectContaining({ purchaseId, outcome: 'stale' })]);
      expect(await projectedPurchase()).toEqual(before);
    });
  });
});
