import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/ports';
import { formatEventTime, type EventEnvelope } from './envelope.ts';
import { validationError } from './errors.ts';
import { isJsonObject } from './pattern/json.ts';

/** PutEvents limits (API reference: at most 10 entries, 256 KB in total). */
const MAX_ENTRIES_PER_REQUEST = 10;
const MAX_REQUEST_SIZE_BYTES = 256 * 1024;
/** A Time parameter counts as 14 bytes however it is written. */
const TIME_SIZE_BYTES = 14;
/** Sources starting with `aws.` belong to AWS services, which PutEvents callers cannot impersonate. */
const RESERVED_SOURCE_PREFIX = 'aws.';

export const putEventsEntrySchema = z.object({
  Source: z.string().optional(),
  DetailType: z.string().optional(),
  Detail: z.string().optional(),
  EventBusName: z.string().optional(),
  Resources: z.array(z.string()).optional(),
  /** The SDK and the CLI send epoch seconds; ISO text is accepted too. */
  Time: z.union([z.number(), z.string()]).optional(),
  TraceHeader: z.string().optional(),
});
export type PutEventsEntry = z.infer<typeof putEventsEntrySchema>;

export interface EntryError {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

const utf8Bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

const entrySize = (entry: PutEventsEntry) =>
  (entry.Time === undefined ? 0 : TIME_SIZE_BYTES) +
  utf8Bytes(entry.Source) +
  utf8Bytes(entry.DetailType) +
  utf8Bytes(entry.Detail) +
  (entry.Resources ?? []).reduce((total, resource) => total + utf8Bytes(resource), 0);

/** Request-level checks: AWS rejects the whole call (ValidationException). */
export const assertRequestWithinLimits = (entries: readonly PutEventsEntry[]) => {
  if (entries.length < 1 || entries.length > MAX_ENTRIES_PER_REQUEST) {
    throw validationError(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES_PER_REQUEST}, got ${entries.length}`,
    );
  }
  if (entries.reduce((total, entry) => total + entrySize(entry), 0) > MAX_REQUEST_SIZE_BYTES) {
    throw validationError('Total size of the entries in the request is over the limit.');
  }
};

const missing = (parameter: string): EntryError => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${parameter} is a required argument.`,
});

const parseDetail = (detail: string): Record<string, unknown> | undefined => {
  try {
    const parsed: unknown = JSON.parse(detail);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

const eventTimeMs = (time: PutEventsEntry['Time'], now: number): number | undefined => {
  if (time === undefined) return now;
  const ms = typeof time === 'number' ? time * 1000 : Date.parse(time);
  return Number.isFinite(ms) ? ms : undefined;
};

/**
 * Validates one entry the way PutEvents does (a failed entry does not fail
 * the others) and builds the envelope AWS would deliver.
 */
export const envelopeForEntry = (entry: PutEventsEntry, now: number): EventEnvelope | EntryError => {
  if (!entry.Source) return missing('Source');
  if (!entry.DetailType) return missing('DetailType');
  if (!entry.Detail) return missing('Detail');
  const detail = parseDetail(entry.Detail);
  if (!detail) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  if (entry.Source.startsWith(RESERVED_SOURCE_PREFIX)) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }
  const time = eventTimeMs(entry.Time, now);
  if (time === undefined) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: LOCAL_ACCOUNT,
    time: formatEventTime(time),
    region: LOCAL_REGION,
    resources: entry.Resources ?? [],
    detail,
  };
};

export const isEntryError = (result: EventEnvelope | EntryError): result is EntryError => 'ErrorCode' in result;
