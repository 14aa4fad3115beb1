import type { Invoice } from './invoice.ts';

/** The invoices table: at most one invoice per purchase. */
export interface InvoiceStore {
  /** Stores the invoice unless the purchase has one already; returns the purchase's invoice either way. */
  createOnce(invoice: Invoice): Promise<Invoice>;
}
