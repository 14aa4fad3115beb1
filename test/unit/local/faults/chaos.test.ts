import { join } from 'node:path';
import type { DeliveryTarget } from '#local/eventbridge/delivery';
import type { EventEnvelope } from '#local/eventbridge/envelope';
import { createChaos, type Chaos } from '#local/faults/chaos';
import { FAULT_KINDS, type FaultKind } from '#local/faults/chaos-settings';
import type { ProxiedResponse } from '#local/proxy/aws-json-proxy';
import { lambdaFunctionArn } from '#local/arns';
import type { LocalFunction } from '#local/template/local-app';

const FUNCTION: LocalFunction = {
  logicalId: 'ReserveSeatsFunction',
  name: 'Ticketing-ReserveSeats',
  arn: lambdaFunctionArn('Ticketing-ReserveSeats'),
  handler: 'index.handler',
  codeDir: join(__dirname, 'unused'),
  runtime: 'nodejs24.x',
  environment: {},
  timeoutSeconds: 10,
  memoryMb: 256,
};

const OK: ProxiedResponse = { status: 200, headers: {}, body: Buffer.from('{}') };
const acceptEntries = async (body?: string): Promise<ProxiedResponse> => {
  const entries = (JSON.parse(body ?? '{"Entries":[]}') as { Entries: unknown[] }).Entries;
  return { ...OK, body: Buffer.from(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map((_, index) => ({ EventId: `e-${index}` })) })) };
};
const TARGET = { arn: 'arn:aws:lambda:us-east-1:000000000000:function:Projection' } as DeliveryTarget;
const EVENT = { id: 'event-1' } as EventEnvelope;
const TWO_ENTRIES = JSON.stringify({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }, { Source: 's', DetailType: 'd', Detail: '{}' }] });

/** One opportunity of each kind, made the way the runtime's boundary makes it. */
const OPPORTUNITY: Record<FaultKind, (chaos: Chaos) => Promise<unknown>> = {
  'lambda.errorBeforeHandler': async (chaos) => chaos.invocations(FUNCTION, {}),
  'lambda.answerLost': async (chaos) => chaos.invocations(FUNCTION, {}),
  'lambda.sandboxTimedout': async (chaos) => chaos.invocations(FUNCTION, {}),
  'lambda.runtimeExitError': async (chaos) => chaos.invocations(FUNCTION, {}),
  'lambda.throttled': async (chaos) => chaos.invocations(FUNCTION, {}),
  'lambda.slowerThanTaskTimeout': async (chaos) => chaos.invocations(FUNCTION, { callerDeadline: Date.now() + 30_000 }),
  'lambda.concurrentDuplicate': async (chaos) => chaos.invocations(FUNCTION, {}),
  'sfn.startExecutionThrottled': async (chaos) => chaos.stepFunctions({ operation: 'StartExecution', body: '{}' }, async () => OK),
  'dynamodb.throttled': async (chaos) => chaos.dynamodb({ operation: 'GetItem', body: '{}' }, async () => OK),
  'dynamodb.transactionConflict': async (chaos) => chaos.dynamodb({ operation: 'TransactWriteItems', body: '{"TransactItems":[{},{}]}' }, async () => OK),
  'dynamodb.internalError': async (chaos) => chaos.dynamodb({ operation: 'PutItem', body: '{}' }, async () => OK),
  'dynamodb.latency': async (chaos) => chaos.dynamodb({ operation: 'GetItem', body: '{}' }, async () => OK),
  'eventbridge.putEventsFailed': async (chaos) => chaos.eventBridge({ operation: 'PutEvents', body: TWO_ENTRIES }, acceptEntries),
  'eventbridge.putEventsPartiallyFailed': async (chaos) => chaos.eventBridge({ operation: 'PutEvents', body: TWO_ENTRIES }, acceptEntries),
  'eventbridge.duplicateDelivery': async (chaos) => chaos.eventDeliveries(TARGET, EVENT),
  'eventbridge.lateDelivery': async (chaos) => chaos.eventDeliveries(TARGET, EVENT),
  'sqs.duplicateDelivery': async (chaos) => chaos.redeliverBatch(),
};

/** Whether each of `count` opportunities injected the kind, in order. */
const decisions = async (kind: FaultKind, rate: number, seed: number, count: number): Promise<boolean[]> => {
  const chaos = createChaos({ seed, rates: { [kind]: rate } }, [FUNCTION]);
  const injected: boolean[] = [];
  for (let opportunity = 0; opportunity < count; opportunity++) {
    const before = chaos.counts()[kind];
    await OPPORTUNITY[kind](chaos);
    injected.push(chaos.counts()[kind] > before);
  }
  return injected;
};

// dynamodb.latency really waits (50-500 ms) each time it fires, so the runs stay short.
const OPPORTUNITIES = 6;

describe.each(FAULT_KINDS)('the chaos settings for %s', (kind) => {
  it('inject it at every opportunity with rate 1', async () => {
    // Prepare, Act
    const injected = await decisions(kind, 1, 7, OPPORTUNITIES);

    // Assess
    expect(injected).toEqual(Array.from({ length: OPPORTUNITIES }, () => true));
  });

  it('never inject it with rate 0', async () => {
    // Prepare, Act
    const injected = await decisions(kind, 0, 7, OPPORTUNITIES);

    // Assess
    expect(injected).toEqual(Array.from({ length: OPPORTUNITIES }, () => false));
  });

  it('make the same decisions for the same seed', async () => {
    // Prepare
    const seed = 20261207;

    // Act
    const first = await decisions(kind, 0.5, seed, OPPORTUNITIES * 2);
    const second = await decisions(kind, 0.5, seed, OPPORTUNITIES * 2);

    // Assess
    expect(second).toEqual(first);
  });
});
