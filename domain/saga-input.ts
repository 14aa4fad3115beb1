import * as z from 'zod';
import { concertIdSchema, purchaseIdSchema, seatIdSchema } from '#events/metadata';

/**
 * The saga's execution input: Orders starts the saga with it, and every step
 * of every context parses its payload from it. It is the domain's contract
 * with the workflow, so it lives here, beside the step errors, and workflows/
 * and handlers/ depend on it, not the other way round. It carries no payment
 * data: the token stays in the purchases table and ChargePayment reads it
 * from there, so execution history and logs never see it.
 */
export const sagaInputSchema = z.object({
  purchaseId: purchaseIdSchema,
  buyerId: z.string().min(1),
  concertId: concertIdSchema,
  seatIds: z.array(seatIdSchema).min(1).max(10),
  correlationId: z.string().min(1),
});
export type SagaInput = z.infer<typeof sagaInputSchema>;
