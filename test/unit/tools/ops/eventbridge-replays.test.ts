import { DescribeReplayCommand, EventBridgeClient, ListRulesCommand, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { createEventBridgeReplays } from '#tools/ops/eventbridge-replays';

const eventBridge = mockClient(EventBridgeClient);
const port = () => createEventBridgeReplays(new EventBridgeClient({ region: 'us-east-1' }));

beforeEach(() => eventBridge.reset());

test('listRules reads every page of the bus rules', async () => {
  eventBridge
    .on(ListRulesCommand)
    .resolvesOnce({ Rules: [{ Name: 'status', Arn: 'arn:rule/status', EventPattern: '{}', State: 'ENABLED' }], NextToken: 'next' })
    .resolves({ Rules: [{ Name: 'Events-Archive-a', Arn: 'arn:rule/archive', ManagedBy: 'events.amazonaws.com' }] });

  const rules = await port().listRules('ticketing-bus');

  expect(rules).toEqual([
    { name: 'status', arn: 'arn:rule/status', eventPattern: '{}', state: 'ENABLED' },
    { name: 'Events-Archive-a', arn: 'arn:rule/archive', managedBy: 'events.amazonaws.com' },
  ]);
  expect(eventBridge.commandCalls(ListRulesCommand).map((call) => call.args[0].input)).toEqual([
    { EventBusName: 'ticketing-bus', Limit: 100, NextToken: undefined },
    { EventBusName: 'ticketing-bus', Limit: 100, NextToken: 'next' },
  ]);
});

test('startReplay replays the archive window into the bus, filtered to the chosen rules', async () => {
  eventBridge.on(StartReplayCommand).resolves({ State: 'STARTING' });
  const from = new Date('2026-11-26T12:00:00Z');
  const to = new Date('2026-11-26T13:00:00Z');

  await port().startReplay({ name: 'r1', description: 'd', archiveArn: 'arn:archive', busArn: 'arn:bus', from, to, ruleArns: ['arn:rule/status'] });

  expect(eventBridge.commandCalls(StartReplayCommand)[0]?.args[0].input).toEqual({
    ReplayName: 'r1',
    Description: 'd',
    EventSourceArn: 'arn:archive',
    EventStartTime: from,
    EventEndTime: to,
    Destination: { Arn: 'arn:bus', FilterArns: ['arn:rule/status'] },
  });
});

test('describeReplay reports the state and the last replayed event time', async () => {
  eventBridge.on(DescribeReplayCommand).resolves({ State: 'RUNNING', EventLastReplayedTime: new Date('2026-11-26T12:30:00Z') });

  await expect(port().describeReplay('r1')).resolves.toEqual({ state: 'RUNNING', lastReplayedAt: new Date('2026-11-26T12:30:00Z') });
});
