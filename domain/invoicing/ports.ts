import type { Invoice } from './invoice.ts';

/** The invoices table: at most one invoice per purchase. */
export interface InvoiceStore {
  /**
   * Stores the invoice unless the purchase has one already; returns the
   * purchase's invoice either way. Throws InvoiceVoidedError when the
   * purchase's invoicing was voided first.
   */
  createOnce(invoice: Invoice): Promise<Invoice>;
  /**
   * Marks the purchase's invoice void (once; the first time is kept) and
   * returns it; with no invoice yet, leaves a void mark so none can be
   * created later, and returns undefined.
   */
  voidOnce(purchaseId: string, at: Date): Promise<Invoice | undefined>;
}
