import { VAT_RATE_BASIS_POINTS, buildInvoice, includedVat, invoiceIdFor, invoiceSchema } from '#domain/invoicing/invoice';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

test.each([
  // 20% VAT included: gross * 0.2 / 1.2, rounded half up to a cent.
  [12000, 2000],
  [100, 17], // 16.67
  [3, 1], // 0.5 rounds up
  [1, 0], // 0.17
  [0, 0],
  [999_999, 166_667], // 166666.5 rounds up
])('the VAT included in %i cents is %i cents', (gross, vat) => {
  expect(includedVat(gross)).toBe(vat);
});

test('the rate is 20% (2000 basis points)', () => {
  expect(VAT_RATE_BASIS_POINTS).toBe(2_000);
});

test('a rate of zero includes no VAT', () => {
  expect(includedVat(12000, 0)).toBe(0);
});

const invoice = () =>
  buildInvoice({
    purchaseId: 'purchase-1',
    buyerId: 'buyer-1',
    concertId: 'rock-night',
    seats: [
      { seatId: 'A-1', price: eur(12000) },
      { seatId: 'A-2', price: eur(9050) },
    ],
    currency: 'EUR',
    issuedAt: new Date('2026-11-26T10:00:00.000Z'),
  });

test('one line per seat at its price', () => {
  expect(invoice().lines).toEqual([
    { seatId: 'A-1', description: 'Seat A-1, concert rock-night', price: eur(12000) },
    { seatId: 'A-2', description: 'Seat A-2, concert rock-night', price: eur(9050) },
  ]);
});

test('the total is the sum of the lines; subtotal and tax split it into net and VAT', () => {
  const { subtotal, tax, total } = invoice();

  expect(total).toEqual(eur(21050));
  expect(tax).toEqual(eur(3508)); // 21050 / 6 = 3508.33
  expect(subtotal.amount + tax.amount).toBe(total.amount);
});

test('the invoice id follows from the purchase', () => {
  expect(invoice().invoiceId).toBe(invoiceIdFor('purchase-1'));
  expect(invoiceIdFor('purchase-1')).toBe('INV-purchase-1');
});

test('an invoice of several seats is a valid invoice, one line per seat', () => {
  // Act: the stores parse what they read back with this schema
  const parsed = invoiceSchema.safeParse(invoice());

  // Assess
  expect(parsed.success).toBe(true);
});
