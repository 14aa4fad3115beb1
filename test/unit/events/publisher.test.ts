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
