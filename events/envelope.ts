import * as z from 'zod';
import { findEventDefinition } from './catalog.ts';

/** The envelope EventBridge delivers to a target; `detail` is parsed separately. */
export const eventBridgeEnvelopeSchema = z.object({
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  time: z.string(),
  detail: z.unknown(),
  'replay-name': z.string().optional(),
});
export type EventBridgeEnvelope = z.infer<typeof eventBridgeEnvelopeSchema>;

export class UnknownEventError extends Error {
  override readonly name = 'UnknownEventError';
  constructor(readonly detailType: string) {
    super(`No schema in the event catalog for detail-type "${detailType}"`);
  }
}

/**
 * Parses an EventBridge delivery with the same schemas the publisher uses:
 * the envelope first, then the detail by its detail-type.
 */
export const parseDomainEvent = (raw: unknown) => {
  const envelope = eventBridgeEnvelopeSchema.parse(raw);
  const definition = findEventDefinition(envelope['detail-type']);
  if (!definition) throw new UnknownEventError(envelope['detail-type']);
  return { envelope, detailType: definition.detailType, detail: definition.schema.parse(envelope.detail) };
};
