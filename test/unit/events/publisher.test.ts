import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { domainEvent } from '#events/event-definition';
import { eventIdFor } from '#events/metadata';
import { EventPublishError, createEventPublisher } from '#events/publisher';
import { SeatsReleasedEvent } from '#events/seats-released';

const eventBridge = mockClient(EventBridgeClient);
const noSleep = () => Promise.resolve();

const releasedEvent = (n: number) =>
  domainEvent(SeatsReleasedEvent, {
    eventId: eventIdFor(`purchase-${String(n).padStart(4, '0')}`, SeatsReleasedEvent.detailType),
    purchaseId: `purchase-${String(n).padStart(4, '0')}`,
    concertId: 'rock-night',
    occurredAt: '2026-11-26T10:00:00.000Z',
    correlationId: 'corr-1',
    seats: [{ seatId: 'A-1', version: 3 }],
  });

const publisher = () =>
  createEventPublisher({ client: new EventBridgeClient({}), eventBusName: 'ticketing-bus', sleep: noSleep });

beforeEach(() => eventBridge.reset());

test('sends entries with source, detail-type, bus and the validated detail', async () => {
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });

  await publisher()([releasedEvent(1)]);

  const [call] = eventBridge.commandCalls(PutEventsCommand);
  const entry = call?.args[0].input.Entries?.[0];
  expect(entry).toMatchObject({ EventBusName: 'ticketing-bus', Source: 'ticketing.inventory', DetailType: 'SeatsReleased.v1' });
  expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({ purchaseId: 'purchase-0001', seats: [{ seatId: 'A-1', version: 3 }] });
});

test('sends at most 10 entries per PutEvents call', async () => {
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });

  await publisher()(Array.from({ length: 23 }, (_, n) => releasedEvent(n)));

  const sizes = eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.length);
  expect(sizes).toEqual([10, 10, 3]);
});

test('retries only the entries EventBridge rejected', async () => {
  eventBridge
    .on(PutEventsCommand)
    .resolvesOnce({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }, { EventId: 'c' }],
    })
    .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });

  await publisher()([releasedEvent(1), releasedEvent(2), releasedEvent(3)]);

  const calls = eventBridge.commandCalls(PutEventsCommand);
  expect(calls).toHaveLength(2);
  const retried = calls[1]?.args[0].input.Entries ?? [];
  expect(retried.map((entry) => JSON.parse(entry.Detail ?? '{}').purchaseId)).toEqual(['purchase-0002']);
});

test('fails loudly, naming the error codes, when entries are still rejected after the last attempt', async () => {
  eventBridge.on(PutEventsCommand).resolves({
    FailedEntryCount: 1,
    Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }],
  });

  const publishing = publisher()([releasedEvent(1)]);

  await expect(publishing).rejects.toBeInstanceOf(EventPublishError);
  await expect(publishing).rejects.toMatchObject({ failures: [{ detailType: 'SeatsReleased.v1', errorCode: 'InternalFailure' }] });
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
});

test('rejects an invalid event before calling EventBridge', async () => {
  const invalid = domainEvent(SeatsReleasedEvent, { ...releasedEvent(1).detail, seats: [{ seatId: 'not a seat', version: 0 }] });

  await expect(publisher()([invalid])).rejects.toThrow(/seatId|version/);
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
});

test('sends exactly ten events in one call, and nothing at all for no events', async () => {
  // Prepare
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });

  // Act
  await publisher()(Array.from({ length: 10 }, (_, n) => releasedEvent(n)));
  await publisher()([]);

  // Assess
  expect(eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.length)).toEqual([10]);
});

test('says how many events were rejected and after how many attempts, under the name the step handlers treat as transient', async () => {
  // Prepare
  eventBridge
    .on(PutEventsCommand)
    .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] })
    .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });

  // Act
  const publishing = publisher()([releasedEvent(1), releasedEvent(2)]);

  // Assess
  await expect(publishing).rejects.toMatchObject({
    name: 'EventPublishError',
    message: 'EventBridge rejected 1 event(s) after 3 attempts',
    failures: [{ detailType: 'SeatsReleased.v1', errorCode: 'InternalFailure', errorMessage: 'boom' }],
  });
});

test('waits 50 ms and then 100 ms between its three attempts', async () => {
  // Prepare
  const waits: number[] = [];
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] });
  const publish = createEventPublisher({
    client: new EventBridgeClient({}),
    eventBusName: 'ticketing-bus',
    sleep: async (ms) => {
      waits.push(ms);
    },
  });

  // Act
  await publish([releasedEvent(1)]).catch(() => undefined);

  // Assess
  expect(waits).toEqual([50, 100]);
});

test('tries only as often as it is told to', async () => {
  // Prepare
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] });
  const publish = createEventPublisher({ client: new EventBridgeClient({}), eventBusName: 'ticketing-bus', maxAttempts: 1, sleep: noSleep });

  // Act
  const publishing = publish([releasedEvent(1)]);

  // Assess
  await expect(publishing).rejects.toMatchObject({ message: 'EventBridge rejected 1 event(s) after 1 attempts' });
  expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
});

test('sends again an entry EventBridge gave no result for', async () => {
  // Prepare: a failure count, but fewer results than entries
  eventBridge.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }] }).resolves({ FailedEntryCount: 0 });

  // Act
  await publisher()([releasedEvent(1), releasedEvent(2)]);

  // Assess
  const retried = eventBridge.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries ?? [];
  expect(retried.map((entry) => JSON.parse(entry.Detail ?? '{}').purchaseId)).toEqual(['purchase-0002']);
});

test('waits on a real timer between attempts when no sleep is given', async () => {
  // Prepare
  jest.useFakeTimers();
  eventBridge.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] }).resolves({ FailedEntryCount: 0 });
  const publish = createEventPublisher({ client: new EventBridgeClient({}), eventBusName: 'ticketing-bus' });

  try {
    // Act
    const publishing = publish([releasedEvent(1)]);
    await jest.advanceTimersByTimeAsync(49);
    const callsBeforeTheWait = eventBridge.commandCalls(PutEventsCommand).length;
    await jest.advanceTimersByTimeAsync(1);
    await publishing;

    // Assess
    expect(callsBeforeTheWait).toBe(1);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  } finally {
    jest.useRealTimers();
  }
});
