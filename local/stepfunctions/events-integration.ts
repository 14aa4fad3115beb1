import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventPutter } from '#local/ports';
import type { JsonValue } from './json.ts';
import { StatesRuntimeError, TaskFailedError } from './task-errors.ts';

/**
 * `arn:aws:states:::events:putEvents`: Parameters are the PutEvents request
 * (Detail given as JSON, which the integration serializes); a response with
 * FailedEntryCount > 0 fails the task with `EventBridge.FailedEntry`, as AWS
 * documents for this integration.
 */
export const PUT_EVENTS_RESOURCE = 'arn:aws:states:::events:putEvents';
const EVENTBRIDGE_FAILED_ENTRY = 'EventBridge.FailedEntry';

const putEventsParametersSchema = z.object({
  Entries: z
    .array(
      z.object({
        Source: z.string().min(1),
        DetailType: z.string().min(1),
        Detail: z.unknown(),
        EventBusName: z.string().optional(),
      }),
    )
    .min(1)
    .max(10),
});

export const putEvents = async (putter: EventPutter, parameters: JsonValue): Promise<JsonValue> => {
  const parsed = putEventsParametersSchema.safeParse(parameters);
  if (!parsed.success) throw new StatesRuntimeError(`Invalid events:putEvents parameters: ${z.prettifyError(parsed.error)}`);
  const entries = parsed.data.Entries.map(({ Source, DetailType, Detail, EventBusName }) => ({
    Source,
    DetailType,
    Detail: typeof Detail === 'string' ? Detail : JSON.stringify(Detail),
    ...(EventBusName ? { EventBusName } : {}),
  }));
  let failedEntryCount: number;
  try {
    ({ FailedEntryCount: failedEntryCount } = await putter.putEvents(entries));
  } catch (error) {
    throw new TaskFailedError('EventBridge.EventBridgeException', error instanceof Error ? error.message : String(error));
  }
  if (failedEntryCount > 0) {
    throw new TaskFailedError(EVENTBRIDGE_FAILED_ENTRY, `${failedEntryCount} of ${entries.length} entries were rejected by the bus`);
  }
  // The EventPutter port does not return event ids, so each accepted entry gets a fresh one here.
  return { Entries: entries.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 };
};
