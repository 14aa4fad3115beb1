import type { Invoice } from './invoice.ts';
import type { InvoiceStore } from './ports.ts';

export type VoidOutcome = { readonly voided: true; readonly invoice: Invoice } | { readonly voided: false };

/**
 * The compensation of CreateInvoice: the purchase's invoice no longer
 * counts. Safe to repeat (the first void is kept) and safe before any
 * invoice exists (none can be issued afterwards).
 */
export const voidInvoice = async (store: InvoiceStore, purchaseId: string, now: Date): Promise<VoidOutcome> => {
  const invoice = await store.voidOnce(purchaseId, now);
  return invoice ? { voided: true, invoice } : { voided: false };
};
