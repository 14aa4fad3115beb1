import { LocalEventBridge, type LocalEventBridgeOptions } from '#local/eventbridge/bus';
import { EventBridgeApiError, EventBridgeConfigError } from '#local/eventbridge/errors';
import type { EventBridgeRule } from '#local/eventbridge/model';
import { lambdaFunctionArn, sqsQueueArn, stateMachineArn } from '#local/arns';
import { entry, FakeExecutions, FakeFunctions, FakeQueues, gate, recordingLogger, retryPolicy, rule, target, ticketingModel } from './fakes.ts';

const PROJECTION = lambdaFunctionArn('ProjectPurchaseStatus');
const DLQ = sqsQueueArn('ProjectionDlq');

const purchaseRule = (overrides: Partial<EventBridgeRule> = {}): EventBridgeRule =>
  rule('PurchaseEvents', {
    eventPattern: { source: [{ prefix: 'ticketing.' }], 'detail-type': [{ suffix: '.v1' }] },
    targets: [target('projection', PROJECTION)],
    ...overrides,
  });

const createBridge = (rules: EventBridgeRule[], options: Partial<LocalEventBridgeOptions> = {}) =>
  LocalEventBridge.create({
    model: ticketingModel({ rules }),
    retryDelayMs: () => 1,
    logger: recordingLogger(),
    ...options,
  });

describe('LocalEventBridge delivery', () => {
  test('PutEvents returns without waiting for targets to finish', async () => {
    // Prepare
    const release = gate();
    const functions = new FakeFunctions(() => release.opened);
    const bridge = await createBridge([purchaseRule()], { ports: { functions } });

    // Act
    const result = await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(functions.invocations).toHaveLength(1);
    release.open();
    await bridge.whenIdle();
  });

  test('a Lambda target receives the event envelope as AWS delivers it', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge([purchaseRule()], { ports: { functions }, now: () => Date.parse('2026-03-01T10:20:30.456Z') });

    // Act
    const result = await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' }, { Resources: ['arn:x'] })]);
    await bridge.whenIdle();

    // Assess
    expect(functions.eventsFor(PROJECTION)).toEqual([
      {
        version: '0',
        id: result.Entries[0] && 'EventId' in result.Entries[0] ? result.Entries[0].EventId : 'missing',
        'detail-type': 'PurchaseRequested.v1',
        source: 'ticketing.orders',
        account: '000000000000',
        time: '2026-03-01T10:20:30Z',
        region: 'us-east-1',
        resources: ['arn:x'],
        detail: { purchaseId: 'p-1' },
      },
    ]);
    expect(functions.invocations[0]?.event).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  test('only targets of enabled rules whose pattern matches receive the event', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge(
      [
        purchaseRule({ name: 'Seats', eventPattern: { 'detail-type': ['SeatsReserved.v1'] }, targets: [target('t', lambdaFunctionArn('Seats'))] }),
        purchaseRule({ name: 'Failures', eventPattern: { 'detail-type': ['PurchaseFailed.v1'] }, targets: [target('t', lambdaFunctionArn('Failures'))] }),
        purchaseRule({ name: 'Disabled', enabled: false, targets: [target('t', lambdaFunctionArn('Disabled'))] }),
      ],
      { ports: { functions } },
    );

    // Act
    await bridge.putEventEntries([entry('SeatsReserved.v1', { purchaseId: 'p-1' })]);
    await bridge.whenIdle();

    // Assess
    expect(functions.invocations.map((invocation) => invocation.functionNameOrArn)).toEqual([lambdaFunctionArn('Seats')]);
  });

  test('SQS and Step Functions targets receive the event as JSON text', async () => {
    // Prepare
    const queues = new FakeQueues();
    const executions = new FakeExecutions();
    const bridge = await createBridge(
      [
        purchaseRule({
          targets: [target('queue', sqsQueueArn('Audit')), target('machine', stateMachineArn('Saga'), { inputPath: '$.detail' })],
        }),
      ],
      { ports: { queues, executions } },
    );

    // Act
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);
    await bridge.whenIdle();

    // Assess
    expect(JSON.parse(queues.messages[0]?.body ?? '{}')).toMatchObject({ 'detail-type': 'PurchaseRequested.v1' });
    expect(executions.started).toEqual([{ stateMachineArn: stateMachineArn('Saga'), input: '{"purchaseId":"p-1"}' }]);
  });

  test('an input transformer shapes what the target receives', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge(
      [
        purchaseRule({
          targets: [
            target('projection', PROJECTION, {
              inputTransformer: {
                inputPathsMap: { purchase: '$.detail.purchaseId', type: '$.detail-type' },
                inputTemplate: '{"purchase": <purchase>, "summary": "<type> for <purchase>", "rule": "<aws.events.rule-name>"}',
              },
            }),
          ],
        }),
      ],
      { ports: { functions } },
    );

    // Act
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);
    await bridge.whenIdle();

    // Assess
    expect(functions.eventsFor(PROJECTION)).toEqual([{ purchase: 'p-1', summary: 'PurchaseRequested.v1 for p-1', rule: 'PurchaseEvents' }]);
  });

  test('a failed delivery is retried until it succeeds within the retry policy', async () => {
    // Prepare
    const functions = FakeFunctions.failing(2);
    const queues = new FakeQueues();
    const bridge = await createBridge(
      [purchaseRule({ targets: [target('projection', PROJECTION, { retryPolicy: retryPolicy({ maximumRetryAttempts: 2 }), deadLetterQueueArn: DLQ })] })],
      { ports: { functions, queues } },
    );

    // Act
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);
    await bridge.whenIdle();

    // Assess
    expect(functions.invocations).toHaveLength(3);
    expect(queues.messages).toEqual([]);
  });

  test('when retries run out the event goes to the target DLQ with the attributes AWS adds', async () => {
    // Prepare
    const functions = FakeFunctions.failing(Infinity, 'SeatStoreUnavailable');
    const queues = new FakeQueues();
    const bridge = await createBridge(
      [purchaseRule({ targets: [target('projection', PROJECTION, { retryPolicy: retryPolicy({ maximumRetryAttempts: 2 }), deadLetterQueueArn: DLQ })] })],
      { ports: { functions, queues } },
    );

    // Act
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);
    await bridge.whenIdle();

    // Assess
    expect(functions.invocations).toHaveLength(3);
    expect(queues.messages).toHaveLength(1);
    const [deadLetter] = queues.messages;
    expect(deadLetter?.queue).toBe(DLQ);
    expect(JSON.parse(deadLetter?.body ?? '{}')).toMatchObject({ 'detail-type': 'PurchaseRequested.v1', detail: { purchaseId: 'p-1' } });
    expect(deadLetter?.attributes).toEqual({
      RULE_ARN: 'arn:aws:events:us-east-1:000000000000:rule/ticketing/PurchaseEvents',
      TARGET_ARN: PROJECTION,
      ERROR_CODE: 'SeatStoreUnavailable',
      ERROR_MESSAGE: 'attempt 3 failed',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
      RETRY_ATTEMPTS: '2',
    });
  });

  test('an event older than MaximumEventAgeInSeconds is not retried again but dead-lettered', async () => {
    // Prepare
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const functions = new FakeFunctions(async () => {
      clock += 45_000;
      throw new Error('still down');
    });
    const queues = new FakeQueues();
    const bridge = await createBridge(
      [
        purchaseRule({
          targets: [target('projection', PROJECTION, { retryPolicy: retryPolicy({ maximumEventAgeSeconds: 60 }), deadLetterQueueArn: DLQ })],
        }),
      ],
      { ports: { functions, queues }, now: () => clock },
    );

    // Act
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);
    await bridge.whenIdle();

    // Assess
    expect(functions.invocations).toHaveLength(2);
    expect(queues.messages[0]?.attributes).toMatchObject({ EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds', RETRY_ATTEMPTS: '1' });
  });

  test('without a DLQ an undeliverable event is dropped with a warning', async () => {
    // Prepare
    const logger = recordingLogger();
    const functions = FakeFunctions.failing(Infinity);
    const bridge = await createBridge([purchaseRule({ targets: [target('projection', PROJECTION, { retryPolicy: retryPolicy({ maximumRetryAttempts: 0 }) })] })], {
      ports: { functions },
      logger,
    });

    // Act
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);
    await bridge.whenIdle();

    // Assess
    expect(logger.warnings).toEqual([expect.stringContaining(`dropped event`)]);
    expect(logger.warnings[0]).toContain('TransientError: attempt 1 failed');
  });

  test('deliveries to one target never exceed its concurrency bound', async () => {
    // Prepare
    const release = gate();
    const functions = new FakeFunctions(() => release.opened);
    const bridge = await createBridge([purchaseRule()], { ports: { functions }, maxConcurrencyPerTarget: 2 });
    await bridge.putEventEntries(Array.from({ length: 6 }, (_, index) => entry('PurchaseRequested.v1', { purchaseId: `p-${index}` })));

    // Act
    release.open();
    await bridge.whenIdle();

    // Assess
    expect(functions.invocations).toHaveLength(6);
    expect(functions.maxInFlight).toBe(2);
  });
});

describe('LocalEventBridge PutEvents validation', () => {
  test('each invalid entry fails on its own with AWS error codes', async () => {
    // Prepare
    const bridge = await createBridge([]);

    // Act
    const result = await bridge.putEventEntries([
      entry('Ok.v1', { ok: true }),
      { Source: 'ticketing.orders', Detail: '{}' },
      { ...entry('Bad.v1', {}), Detail: '[1, 2]' },
      entry('Ok.v1', {}, { EventBusName: 'missing' }),
      entry('Ok.v1', {}, { Source: 'aws.ec2' }),
    ]);

    // Assess
    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries).toEqual([
      { EventId: expect.any(String) },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus missing does not exist.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
    ]);
  });

  test('more than 10 entries fail the whole request', async () => {
    // Prepare
    const bridge = await createBridge([]);
    const entries = Array.from({ length: 11 }, () => entry('Ok.v1', {}));

    // Act
    const put = bridge.putEventEntries(entries);

    // Assess
    await expect(put).rejects.toMatchObject({ type: 'ValidationException' });
    await expect(put).rejects.toBeInstanceOf(EventBridgeApiError);
  });

  test('entries over 256 KB in total fail the whole request', async () => {
    // Prepare
    const bridge = await createBridge([]);
    const big = { blob: 'x'.repeat(130 * 1024) };

    // Act
    const put = bridge.putEventEntries([entry('Big.v1', big), entry('Big.v1', big)]);

    // Assess
    await expect(put).rejects.toThrow('Total size of the entries in the request is over the limit.');
  });

  test('the EventPutter port reports how many entries failed', async () => {
    // Prepare
    const bridge = await createBridge([]);

    // Act
    const result = await bridge.putEvents([
      { Source: 'ticketing.orders', DetailType: 'Ok.v1', Detail: '{}' },
      { Source: 'ticketing.orders', DetailType: 'Ok.v1', Detail: 'not json' },
    ]);

    // Assess
    expect(result).toEqual({ FailedEntryCount: 1 });
  });
});

describe('LocalEventBridge startup validation', () => {
  test('an unsupported operator in a rule is a startup error naming the rule and the operator', async () => {
    // Act
    const create = createBridge([purchaseRule({ eventPattern: { detail: { state: [{ contains: 'x' }] } } })]);

    // Assess
    await expect(create).rejects.toBeInstanceOf(EventBridgeConfigError);
    await expect(create).rejects.toThrow(/Rule PurchaseEvents: .*"detail\.state".*unrecognized match type "contains"/);
  });

  test('every problem of the template is listed at once', async () => {
    // Act
    const create = createBridge(
      [
        purchaseRule({ name: 'NoBus', eventBusName: 'nowhere' }),
        purchaseRule({ name: 'Twice', targets: [target('t', PROJECTION), target('t', PROJECTION)] }),
        purchaseRule({ name: 'Http', targets: [target('api', 'arn:aws:execute-api:us-east-1:000000000000:abc/prod/POST/')] }),
        purchaseRule({ name: 'BadPath', targets: [target('t', PROJECTION, { inputPath: 'detail' })] }),
      ],
      { ports: { functions: new FakeFunctions() } },
    );

    // Assess
    await expect(create).rejects.toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/NoBus: event bus nowhere is not declared[\s\S]*Twice: target ids must be unique[\s\S]*Http, target api: .*not supported locally[\s\S]*BadPath, target t: InputPath/),
      }),
    );
  });

  test('a scheduled rule is left to the scheduler: the bus neither lists it nor delivers events to it', async () => {
    // Prepare
    const functions = new FakeFunctions();
    const bridge = await createBridge([purchaseRule({ name: 'Sweep', scheduleExpression: 'rate(1 minute)' })], { ports: { functions } });

    // Act
    await bridge.putEventEntries([entry('PurchaseRequested.v1', { purchaseId: 'p-1' })]);
    await bridge.whenIdle();

    // Assess
    expect(bridge.listRules({ EventBusName: 'ticketing' })).toEqual([]);
    expect(functions.invocations).toEqual([]);
  });

  test('a target whose port is missing is a startup error', async () => {
    // Act
    const create = createBridge([purchaseRule()], { ports: {} });

    // Assess
    await expect(create).rejects.toThrow(`Rule PurchaseEvents, target projection: target ${PROJECTION} needs a FunctionInvoker`);
  });
});
