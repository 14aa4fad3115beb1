import { z } from 'zod';
import { concertIdSchema, purchaseIdSchema, seatIdSchema } from '#events/metadata';

/**
 * The execution input the starter sends, and what every step of the saga
 * parses its payload from. The orders context owns it: the workflow runs
 * what orders starts, so the dependency points from workflows/ and handlers/
 * to here. It carries no payment data: the token stays in the purchases
 * table and ChargePayment reads it from there, so execution history and logs
 * never see it.
 */
export const sagaInputSchema = z.object({
  purchaseId: purchaseIdSchema,
  buyerId: z.string().min(1),
  concertId: concertIdSchema,
  seatIds: z.array(seatIdSchema).min(1).max(10),
  correlationId: z.string().min(1),
});
export type SagaInput = z.infer<typeof sagaInputSchema>;
