import * as z from 'zod';
import { invoiceLineSchema } from '#events/invoice-created';
import { concertIdSchema, moneySchema, purchaseIdSchema, type Money } from '#events/metadata';

/**
 * Seat prices are what the buyer pays, VAT included, so the invoice total is
 * exactly the amount charged. The invoice breaks that total down into the
 * VAT it includes (`tax`) and the net amount (`subtotal` = total - tax).
 * One flat rate for the example; a real venue's rate depends on its country.
 */
export const VAT_RATE_BASIS_POINTS = 2_000;
const BASIS_POINTS = 10_000;

export const invoiceSchema = z.object({
  invoiceId: z.string().min(1),
  purchaseId: purchaseIdSchema,
  buyerId: z.string().min(1),
  concertId: concertIdSchema,
  lines: z.array(invoiceLineSchema).min(1),
  /** Net amount: total minus the VAT it includes. */
  subtotal: moneySchema,
  /** VAT included in the total. */
  tax: moneySchema,
  /** The amount charged: the sum of the lines. */
  total: moneySchema,
  vatRateBasisPoints: z.number().int().nonnegative(),
  issuedAt: z.iso.datetime(),
  /** Set when the purchase failed after its invoice was issued (VoidInvoice): the invoice no longer counts. */
  voidedAt: z.iso.datetime().optional(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

/** One invoice per purchase, so its id follows from the purchase. */
export const invoiceIdFor = (purchaseId: string) => `INV-${purchaseId}`;

/**
 * The VAT included in a gross amount, in whole minor units, rounded half up:
 * gross * rate / (1 + rate), computed in integers so every run agrees.
 */
export const includedVat = (grossAmount: number, rateBasisPoints: number = VAT_RATE_BASIS_POINTS): number => {
  const numerator = grossAmount * rateBasisPoints;
  const denominator = BASIS_POINTS + rateBasisPoints;
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
};

export interface InvoiceInput {
  readonly purchaseId: string;
  readonly buyerId: string;
  readonly concertId: string;
  readonly seats: ReadonlyArray<{ readonly seatId: string; readonly price: Money }>;
  readonly currency: string;
  readonly issuedAt: Date;
}

/** The invoice of a purchase: one line per seat, totals in the seats' currency. */
export const buildInvoice = (input: InvoiceInput): Invoice => {
  const total = input.seats.reduce((sum, seat) => sum + seat.price.amount, 0);
  const tax = includedVat(total);
  const money = (amount: number): Money => ({ amount, currency: input.currency });
  return {
    invoiceId: invoiceIdFor(input.purchaseId),
    purchaseId: input.purchaseId,
    buyerId: input.buyerId,
    concertId: input.concertId,
    lines: input.seats.map((seat) => ({ seatId: seat.seatId, description: `Seat ${seat.seatId}, concert ${input.concertId}`, price: seat.price })),
    subtotal: money(total - tax),
    tax: money(tax),
    total: money(total),
    vatRateBasisPoints: VAT_RATE_BASIS_POINTS,
    issuedAt: input.issuedAt.toISOString(),
  };
};
