import { SagaStateError } from '#domain/errors';
import type { Money } from '#events/metadata';
import { buildInvoice, type Invoice } from './invoice.ts';
import type { InvoiceStore } from './ports.ts';

export interface CreateInvoiceRequest {
  readonly purchaseId: string;
  readonly buyerId: string;
  readonly concertId: string;
  readonly seats: ReadonlyArray<{ readonly seatId: string; readonly price: Money }>;
  /** The amount that was charged. */
  readonly total: Money;
}

/**
 * Issues the purchase's invoice, or returns the one issued before. The seat
 * prices must add up to the amount charged, in its currency: anything else
 * means the saga's state is inconsistent.
 */
export const createInvoice = async (store: InvoiceStore, request: CreateInvoiceRequest, now: Date): Promise<Invoice> => {
  const foreign = request.seats.filter((seat) => seat.price.currency !== request.total.currency).map((seat) => seat.seatId);
  if (foreign.length > 0) throw new SagaStateError(`Seats priced in another currency than ${request.total.currency}: ${foreign.join(', ')}`);
  const sum = request.seats.reduce((amount, seat) => amount + seat.price.amount, 0);
  if (sum !== request.total.amount) throw new SagaStateError(`Seat prices add up to ${sum}, but ${request.total.amount} was charged`);

  const invoice = buildInvoice({
    purchaseId: request.purchaseId,
    buyerId: request.buyerId,
    concertId: request.concertId,
    seats: request.seats,
    currency: request.total.currency,
    issuedAt: now,
  });
  return store.createOnce(invoice);
};
