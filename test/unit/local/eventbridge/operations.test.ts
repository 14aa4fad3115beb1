import { LocalEventBridge } from '#local/eventbridge/bus';
import { EventBridgeApiError } from '#local/eventbridge/errors';
import { OPERATIONS } from '#local/eventbridge/operations';
import { eventBusArn } from '#local/arns';
import { archive, recordingLogger, rule, ticketingModel } from './fakes.ts';

const createBridge = () =>
  LocalEventBridge.create({
    model: ticketingModel({
      rules: Array.from({ length: 3 }, (_, index) => rule(`Rule${index}`, { eventPattern: { source: ['x'] } })),
      archives: [archive('TicketingArchive')],
    }),
    logger: recordingLogger(),
  });

/** Calls an action the way the server does, by its X-Amz-Target name. */
const invokeOperation = async (bridge: LocalEventBridge, target: string, body: unknown): Promise<unknown> => {
  const operation = OPERATIONS[target.replace(/^AWSEvents\./, '')];
  if (!operation) throw new Error(`${target} is not served`);
  return operation(bridge, body);
};

describe('EventBridge JSON API operations', () => {
  test('an action AWS has and the local bus does not is not served', () => {
    // Assess: the server answers such a target with UnknownOperationException (test/unit/local/aws-json-server.test.ts)
    expect(Object.hasOwn(OPERATIONS, 'PutPermission')).toBe(false);
  });

  test('a malformed request is a ValidationException naming the field', async () => {
    // Prepare
    const bridge = await createBridge();

    // Act
    const call = invokeOperation(bridge, 'AWSEvents.DescribeArchive', { ArchiveName: 42 });

    // Assess
    await expect(call).rejects.toBeInstanceOf(EventBridgeApiError);
    await expect(call).rejects.toMatchObject({ type: 'ValidationException', message: expect.stringContaining('ArchiveName') });
  });

  test('list actions page with Limit and NextToken', async () => {
    // Prepare
    const bridge = await createBridge();

    // Act
    const first = await invokeOperation(bridge, 'AWSEvents.ListRules', { EventBusName: 'ticketing', Limit: 2 });
    const second = await invokeOperation(bridge, 'AWSEvents.ListRules', { EventBusName: 'ticketing', Limit: 2, NextToken: '2' });

    // Assess
    expect(first).toMatchObject({ Rules: [{ Name: 'Rule0' }, { Name: 'Rule1' }], NextToken: '2' });
    expect(second).toEqual({ Rules: [expect.objectContaining({ Name: 'Rule2' })], NextToken: undefined });
  });

  test('StartReplay takes timestamps as epoch seconds, as the SDK sends them', async () => {
    // Prepare
    const bridge = await createBridge();

    // Act
    await invokeOperation(bridge, 'AWSEvents.StartReplay', {
      ReplayName: 'seconds',
      EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/TicketingArchive',
      EventStartTime: 1_772_323_200,
      EventEndTime: 1_772_409_600.5,
      Destination: { Arn: eventBusArn('ticketing') },
    });
    await bridge.whenIdle();

    // Assess
    expect(bridge.describeReplay('seconds')).toMatchObject({
      EventStartTime: new Date('2026-03-01T00:00:00Z'),
      EventEndTime: new Date('2026-03-02T00:00:00.500Z'),
    });
  });
});
