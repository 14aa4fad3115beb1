import { EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { countDeadLetteredEvents, projectionItemsNamedBy, readDeadLetteredEvents } from '#tools/chaos/dead-lettered-events';

const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);

beforeEach(() => {
  eventBridge.reset();
  sqs.reset();
});

const event = (detail: Record<string, unknown>) => JSON.stringify({ 'detail-type': 'PurchaseConfirmed.v1', source: 'ticketing.orders', detail });

describe('projectionItemsNamedBy', () => {
  test('names the purchase and each seat of the concert\'s dead-lettered events', () => {
    const items = projectionItemsNamedBy(
      [event({ concertId: 'c-1', purchaseId: 'p-1', seats: [{ seatId: 'BE-16', version: 3 }, { seatId: 'BE-17', version: 3 }] }), event({ concertId: 'c-1', purchaseId: 'p-2' })],
      'c-1',
    );

    expect([...items].sort()).toEqual(['purchases/p-1', 'purchases/p-2', 'seatAvailability/BE-16', 'seatAvailability/BE-17']);
  });

  test('names nothing for another concert\'s events or a body that is not an event', () => {
    const items = projectionItemsNamedBy([event({ concertId: 'c-2', purchaseId: 'p-9', seats: [{ seatId: 'A-1' }] }), 'not json', '{"detail":"text"}'], 'c-1');

    expect(items.size).toBe(0);
  });
});

describe('readDeadLetteredEvents', () => {
  test('reads the dead-letter queue of each rule target, leaving the messages in place', async () => {
    // Prepare
    eventBridge.on(ListTargetsByRuleCommand).resolves({
      Targets: [{ Id: 'Target0', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:Projection', DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:ProjectionDlq' } }],
    });
    sqs.on(GetQueueUrlCommand, { QueueName: 'ProjectionDlq', QueueOwnerAWSAccountId: '000000000000' }).resolves({ QueueUrl: 'http://sqs/000000000000/ProjectionDlq' });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ MessageId: 'm-1', ReceiptHandle: 'h-1', Body: event({ concertId: 'c-1', purchaseId: 'p-1' }) }] })
      .resolves({ Messages: [] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [{ Id: '0' }], Failed: [] });

    // Act
    const bodies = await readDeadLetteredEvents({ eventBridge: new EventBridgeClient({}), sqs: new SQSClient({}) }, 'bus', ['PurchaseStatusRule']);

    // Assess
    expect(bodies).toEqual([event({ concertId: 'c-1', purchaseId: 'p-1' })]);
    expect(eventBridge.commandCalls(ListTargetsByRuleCommand)[0]?.args[0].input).toMatchObject({ Rule: 'PurchaseStatusRule', EventBusName: 'bus' });
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries).toEqual([{ Id: '0', ReceiptHandle: 'h-1', VisibilityTimeout: 0 }]);
  });
});

describe('countDeadLetteredEvents', () => {
  test('adds up the approximate counts of the rule targets\' dead-letter queues', async () => {
    // Prepare
    eventBridge
      .on(ListTargetsByRuleCommand, { Rule: 'PurchaseStatusRule' })
      .resolves({ Targets: [{ Id: 'Target0', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:Status', DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:StatusDlq' } }] })
      .on(ListTargetsByRuleCommand, { Rule: 'SeatAvailabilityRule' })
      .resolves({ Targets: [{ Id: 'Target0', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:Seats', DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:SeatsDlq' } }] });
    sqs.on(GetQueueUrlCommand).callsFake((input: { QueueName: string }) => ({ QueueUrl: `http://sqs/000000000000/${input.QueueName}` }));
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: 'http://sqs/000000000000/StatusDlq' })
      .resolves({ Attributes: { ApproximateNumberOfMessages: '90' } })
      .on(GetQueueAttributesCommand, { QueueUrl: 'http://sqs/000000000000/SeatsDlq' })
      .resolves({ Attributes: { ApproximateNumberOfMessages: '136' } });

    // Act
    const count = await countDeadLetteredEvents({ eventBridge: new EventBridgeClient({}), sqs: new SQSClient({}) }, 'bus', ['PurchaseStatusRule', 'SeatAvailabilityRule']);

    // Assess
    expect(count).toBe(226);
  });
});
