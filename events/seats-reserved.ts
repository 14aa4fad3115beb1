import * as z from 'zod';
import { defineEvent, EVENT_SOURCES } from './event-definition.ts';
import { eventMetadataSchema, moneySchema, seatVersionSchema } from './metadata.ts';

export const seatsReservedSchema = eventMetadataSchema.extend({
  seats: z.array(seatVersionSchema.extend({ price: moneySchema })).min(1).max(10),
  total: moneySchema,
  holdExpiresAt: z.iso.datetime(),
});
export type SeatsReserved = z.infer<typeof seatsReservedSchema>;

export const SeatsReservedEvent = defineEvent({
  detailType: 'SeatsReserved.v1',
  source: EVENT_SOURCES.inventory,
  description: 'Every requested seat is held for the purchase until holdExpiresAt.',
  schema: seatsReservedSchema,
});
