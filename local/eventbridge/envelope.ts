import { z } from 'zod';

/**
 * The event as EventBridge delivers it to targets and keeps it in archives.
 * `replay-name` is present only on events re-delivered by a replay.
 */
export const eventEnvelopeSchema = z.object({
  version: z.literal('0'),
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()),
  'replay-name': z.string().optional(),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** AWS stamps events with second precision: `2017-12-22T18:43:48Z`. */
export const formatEventTime = (epochMs: number) => new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
