import * as z from 'zod';
import { concertIdSchema, priceBandNameSchema, purchaseIdSchema, seatIdSchema } from '#events/metadata';

const MAX_SEATS = 10;

/** A request for the best available seats: how many, and optionally in which of the concert's price bands. */
export const bestAvailableSchema = z.object({
  quantity: z.number().int().min(1).max(MAX_SEATS),
  priceBand: priceBandNameSchema.optional(),
});
export type BestAvailable = z.infer<typeof bestAvailableSchema>;

/**
 * The fields of the saga's execution input, for steps to pick from. A
 * purchase names its seats (`seatIds`) or asks for the best available ones
 * (`bestAvailable`); sagaInputSchema holds it to exactly one.
 */
export const sagaInputFieldsSchema = z.object({
  purchaseId: purchaseIdSchema,
  buyerId: z.string().min(1),
  concertId: concertIdSchema,
  seatIds: z.array(seatIdSchema).min(1).max(MAX_SEATS).optional(),
  bestAvailable: bestAvailableSchema.optional(),
  correlationId: z.string().min(1),
});

/** Exactly one way of asking for seats. */
export const askedForOneWay = (input: { readonly seatIds?: unknown; readonly bestAvailable?: unknown }): boolean =>
  (input.seatIds === undefined) !== (input.bestAvailable === undefined);

/**
 * The saga's execution input: Orders starts the saga with it, and every step
 * of every context parses its payload from it. It is the domain's contract
 * with the workflow, so it lives here, beside the step errors, and workflows/
 * and handlers/ depend on it, not the other way round. It carries no payment
 * data: the token stays in the purchases table and ChargePayment reads it
 * from there, so execution history and logs never see it.
 */
export const sagaInputSchema = sagaInputFieldsSchema.refine(askedForOneWay, {
  message: 'must name its seats (seatIds) or ask for the best available (bestAvailable), exactly one',
  path: ['seatIds'],
});
export type SagaInput = z.infer<typeof sagaInputSchema>;

/**
 * Executions started on the definition before purchases by quantity passed
 * ReserveSeats and ReleaseSeats the named seats as a top-level `seatIds`,
 * with no `saga`. A Standard execution keeps the definition it started with,
 * so after a deploy those still call the new functions: this moves their
 * seats to where the current payload has them, rather than failing a step
 * (a failed ReleaseSeats would leave seats held for a person to settle).
 */
export const withSagaOfEarlierDefinition = (event: unknown): unknown => {
  if (typeof event !== 'object' || event === null || 'saga' in event || !('seatIds' in event)) return event;
  return { ...event, saga: { seatIds: event.seatIds } };
};
