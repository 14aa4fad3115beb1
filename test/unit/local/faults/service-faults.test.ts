import { FaultDraws } from '#local/faults/fault-draws';
import type { FaultKind } from '#local/faults/chaos-settings';
import { dynamoDbFaults, eventBridgeFaults, stepFunctionsFaults } from '#local/faults/service-faults';
import type { Forward, ProxiedResponse } from '#local/proxy/aws-json-proxy';

const drawsFor = (kind: FaultKind, rate = 1) => new FaultDraws({ seed: 11, rates: { [kind]: rate } });

/** A service that accepts everything, recording the bodies it got. */
const recordingService = (answer: (body: string) => unknown = () => ({})) => {
  const bodies: string[] = [];
  const forward: Forward = async (body) => {
    bodies.push(body ?? '');
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(JSON.stringify(answer(body ?? ''))) };
  };
  return { bodies, forward };
};

const jsonOf = (response: ProxiedResponse): Record<string, unknown> => JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;

const putEventsBody = (count: number) =>
  JSON.stringify({ Entries: Array.from({ length: count }, (_, index) => ({ Source: 'ticketing.test', DetailType: `Event${index}`, Detail: '{}' })) });

const acceptAll = (body: string) => {
  const { Entries } = JSON.parse(body) as { Entries: Array<{ DetailType: string }> };
  return { FailedEntryCount: 0, Entries: Entries.map((entry) => ({ EventId: `id-${entry.DetailType}` })) };
};

describe('the service faults of the chaos settings', () => {
  it('answers a throttled DynamoDB request with a throttling exception, without passing it on', async () => {
    // Prepare
    const service = recordingService();

    // Act
    const response = await dynamoDbFaults(drawsFor('dynamodb.throttled'))({ operation: 'PutItem', body: '{}' }, service.forward);

    // Assess
    expect(response.status).toBe(400);
    expect(jsonOf(response).__type).toMatch(/#(ThrottlingException|ProvisionedThroughputExceededException)$/);
    expect(service.bodies).toHaveLength(0);
  });

  it('cancels a transaction with one TransactionConflict reason among as many reasons as items', async () => {
    // Prepare
    const service = recordingService();
    const body = JSON.stringify({ TransactItems: [{ Put: {} }, { Update: {} }, { ConditionCheck: {} }] });

    // Act
    const response = await dynamoDbFaults(drawsFor('dynamodb.transactionConflict'))({ operation: 'TransactWriteItems', body }, service.forward);

    // Assess
    const answer = jsonOf(response);
    expect(answer.__type).toBe('com.amazonaws.dynamodb.v20120810#TransactionCanceledException');
    expect((answer.CancellationReasons as Array<{ Code: string }>).map((reason) => reason.Code).sort()).toEqual(['None', 'None', 'TransactionConflict']);
  });

  it('leaves requests other than TransactWriteItems alone for transaction conflicts', async () => {
    // Prepare
    const service = recordingService();

    // Act
    const response = await dynamoDbFaults(drawsFor('dynamodb.transactionConflict'))({ operation: 'PutItem', body: '{}' }, service.forward);

    // Assess
    expect(response.status).toBe(200);
  });

  it('answers InternalServerError, having carried the request out at some requests and not at others', async () => {
    // Prepare
    const service = recordingService();
    const faults = dynamoDbFaults(drawsFor('dynamodb.internalError'));

    // Act
    const responses = [];
    for (let request = 0; request < 16; request++) responses.push(await faults({ operation: 'PutItem', body: `{"n":${request}}` }, service.forward));

    // Assess
    expect(new Set(responses.map((response) => `${response.status} ${String(jsonOf(response).__type)}`))).toEqual(
      new Set(['500 com.amazonaws.dynamodb.v20120810#InternalServerError']),
    );
    expect(service.bodies.length).toBeGreaterThan(0);
    expect(service.bodies.length).toBeLessThan(16);
  });

  it('delays a DynamoDB request by at least 50 ms and then passes it on', async () => {
    // Prepare
    const service = recordingService();
    const startedAt = Date.now();

    // Act
    const response = await dynamoDbFaults(drawsFor('dynamodb.latency'))({ operation: 'GetItem', body: '{}' }, service.forward);

    // Assess
    expect(response.status).toBe(200);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(50);
  });

  it('throttles StartExecution with a 400 ThrottlingException and leaves other Step Functions calls alone', async () => {
    // Prepare
    const service = recordingService();
    const faults = stepFunctionsFaults(drawsFor('sfn.startExecutionThrottled'));

    // Act
    const start = await faults({ operation: 'StartExecution', body: '{}' }, service.forward);
    const describe = await faults({ operation: 'DescribeExecution', body: '{}' }, service.forward);

    // Assess
    expect([start.status, jsonOf(start).__type, describe.status]).toEqual([400, 'ThrottlingException', 200]);
  });

  it('fails a whole PutEvents call with InternalException or ThrottlingException', async () => {
    // Prepare
    const service = recordingService(acceptAll);

    // Act
    const response = await eventBridgeFaults(drawsFor('eventbridge.putEventsFailed'))({ operation: 'PutEvents', body: putEventsBody(2) }, service.forward);

    // Assess
    expect([`${response.status} ${String(jsonOf(response).__type)}`]).toEqual([expect.stringMatching(/^(500 InternalException|400 ThrottlingException)$/)]);
    expect(service.bodies).toHaveLength(0);
  });

  it('fails some entries of a PutEvents call with InternalFailure and passes the others on', async () => {
    // Prepare
    const service = recordingService(acceptAll);

    // Act
    const response = await eventBridgeFaults(drawsFor('eventbridge.putEventsPartiallyFailed'))({ operation: 'PutEvents', body: putEventsBody(4) }, service.forward);

    // Assess
    const answer = jsonOf(response) as { FailedEntryCount: number; Entries: Array<{ EventId?: string; ErrorCode?: string }> };
    const forwarded = (JSON.parse(service.bodies[0] ?? '{}') as { Entries: unknown[] }).Entries.length;
    expect(answer.Entries).toHaveLength(4);
    expect(answer.FailedEntryCount).toBe(answer.Entries.filter((entry) => entry.ErrorCode === 'InternalFailure').length);
    expect(answer.FailedEntryCount).toBeGreaterThan(0);
    expect(forwarded).toBe(4 - answer.FailedEntryCount);
    expect(answer.Entries.filter((entry) => entry.EventId).map((entry) => entry.EventId)).toEqual(
      answer.Entries.flatMap((entry, index) => (entry.EventId ? [`id-Event${index}`] : [])),
    );
  });

  it('fails a lone entry without forwarding an empty PutEvents, which EventBridge would refuse as invalid', async () => {
    // Prepare
    const service = recordingService(acceptAll);

    // Act
    const response = await eventBridgeFaults(drawsFor('eventbridge.putEventsPartiallyFailed'))({ operation: 'PutEvents', body: putEventsBody(1) }, service.forward);

    // Assess
    expect(service.bodies).toEqual([]);
    expect(response.status).toBe(200);
    expect(jsonOf(response)).toEqual({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: expect.any(String) }] });
  });
});
