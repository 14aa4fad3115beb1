import { SagaStateError } from '#domain/errors';
import { createInvoice } from '#domain/invoicing/create-invoice';
import type { Invoice } from '#domain/invoicing/invoice';
import type { InvoiceStore } from '#domain/invoicing/ports';

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const NOW = new Date('2026-11-26T10:00:00.000Z');

/** Keeps the first invoice per purchase, as the conditional put does. */
const inMemoryInvoices = () => {
  const invoices = new Map<string, Invoice>();
  const store: InvoiceStore = {
    createOnce: async (invoice) => {
      if (!invoices.has(invoice.purchaseId)) invoices.set(invoice.purchaseId, invoice);
      return invoices.get(invoice.purchaseId) as Invoice;
    },
    voidOnce: async () => undefined,
  };
  return { store, invoices };
};

const request = {
  purchaseId: 'purchase-1',
  buyerId: 'buyer-1',
  concertId: 'rock-night',
  seats: [
    { seatId: 'A-1', price: eur(12000) },
    { seatId: 'A-2', price: eur(12000) },
  ],
  total: eur(24000),
};

test('issues an invoice for the charged total', async () => {
  const { store } = inMemoryInvoices();

  const invoice = await createInvoice(store, request, NOW);

  expect(invoice).toMatchObject({ invoiceId: 'INV-purchase-1', purchaseId: 'purchase-1', buyerId: 'buyer-1', total: eur(24000), issuedAt: NOW.toISOString() });
});

test('running it again returns the first invoice', async () => {
  const { store, invoices } = inMemoryInvoices();
  const first = await createInvoice(store, request, NOW);

  const second = await createInvoice(store, request, new Date('2026-11-26T11:00:00.000Z'));

  expect(second).toEqual(first);
  expect(invoices.size).toBe(1);
});

test('seat prices that do not add up to the charged total are a saga state error', async () => {
  const { store, invoices } = inMemoryInvoices();

  await expect(createInvoice(store, { ...request, total: eur(23999) }, NOW)).rejects.toThrow(SagaStateError);
  expect(invoices.size).toBe(0);
});

test('a seat priced in another currency than the charge is a saga state error', async () => {
  const { store } = inMemoryInvoices();
  const seats = [{ seatId: 'A-1', price: { amount: 24000, currency: 'USD' } }];

  await expect(createInvoice(store, { ...request, seats }, NOW)).rejects.toThrow(/A-1/);
});

test('prices that do not add up tell an operator both amounts', async () => {
  // Prepare
  const { store } = inMemoryInvoices();

  // Act
  const failure = createInvoice(store, { ...request, total: eur(23999) }, NOW);

  // Assess
  await expect(failure).rejects.toThrow('Seat prices add up to 24000, but 23999 was charged');
});

test('seats in a foreign currency are named with the currency of the charge', async () => {
  // Prepare
  const { store } = inMemoryInvoices();
  const usd = { amount: 8000, currency: 'USD' };
  const seats = [{ seatId: 'A-1', price: eur(8000) }, { seatId: 'A-2', price: usd }, { seatId: 'A-3', price: usd }];

  // Act
  const failure = createInvoice(store, { ...request, seats }, NOW);

  // Assess
  await expect(failure).rejects.toThrow('Seats priced in another currency than EUR: A-2, A-3');
});
