import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from './event-definition.ts';

/** EventBridge accepts at most 10 entries per PutEvents call. */
export const MAX_ENTRIES_PER_PUT = 10;
const DEFAULT_ATTEMPTS = 3;
const BASE_DELAY_MS = 50;

export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
  constructor(
    message: string,
    readonly failures: ReadonlyArray<{ detailType: string; errorCode?: string; errorMessage?: string }>,
  ) {
    super(message);
  }
}

export interface EventPublisherOptions {
  readonly client: EventBridgeClient;
  readonly eventBusName: string;
  /** Total tries for entries EventBridge reports as failed. */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type PublishEvents = (events: readonly DomainEvent[]) => Promise<void>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const toEntry = (event: DomainEvent, eventBusName: string): PutEventsRequestEntry => {
  // Validate before sending: a malformed event is a bug and must not reach consumers.
  const detail = event.definition.schema.parse(event.detail);
  return {
    EventBusName: eventBusName,
    Source: event.definition.source,
    DetailType: event.definition.detailType,
    Detail: JSON.stringify(detail),
  };
};

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

/**
 * Publishes validated domain events, 10 per call. When EventBridge rejects
 * some entries (FailedEntryCount > 0) only those are retried, with backoff;
 * whatever still fails raises EventPublishError.
 */
export const createEventPublisher = (options: EventPublisherOptions): PublishEvents => {
  const maxAttempts = options.maxAttempts ?? DEFAULT_ATTEMPTS;
  const sleep = options.sleep ?? defaultSleep;

  const putBatch = async (entries: PutEventsRequestEntry[]): Promise<void> => {
    let pending = entries;
    for (let attempt = 1; ; attempt++) {
      const response = await options.client.send(new PutEventsCommand({ Entries: pending }));
      if (!response.FailedEntryCount) return;
      const results = response.Entries ?? [];
      const failed = pending
        .map((entry, index) => ({ entry, result: results[index] }))
        .filter(({ result }) => result === undefined || result.ErrorCode !== undefined);
      if (attempt >= maxAttempts) {
        throw new EventPublishError(
          `EventBridge rejected ${failed.length} event(s) after ${attempt} attempts`,
          failed.map(({ entry, result }) => ({
            detailType: entry.DetailType ?? 'unknown',
            errorCode: result?.ErrorCode,
            errorMessage: result?.ErrorMessage,
          })),
        );
      }
      pending = failed.map(({ entry }) => entry);
      await sleep(BASE_DELAY_MS * 2 ** (attempt - 1));
    }
  };

  return async (events) => {
    const entries = events.map((event) => toEntry(event, options.eventBusName));
    for (const batch of chunk(entries, MAX_ENTRIES_PER_PUT)) await putBatch(batch);
  };
};
