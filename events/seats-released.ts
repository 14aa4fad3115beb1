import * as z from 'zod';
import { defineEvent, EVENT_SOURCES } from './event-definition.ts';
import { eventMetadataSchema, seatVersionSchema } from './metadata.ts';

export const seatsReleasedSchema = eventMetadataSchema.extend({
  /** Only the seats this purchase actually held; may be empty when nothing was held. */
  seats: z.array(seatVersionSchema).max(10),
});
export type SeatsReleased = z.infer<typeof seatsReleasedSchema>;

export const SeatsReleasedEvent = defineEvent({
  detailType: 'SeatsReleased.v1',
  source: EVENT_SOURCES.inventory,
  description: 'Compensation: the seats held by the purchase are available again.',
  schema: seatsReleasedSchema,
});
