import { chargePayment, refundPayment } from '#domain/billing/charge-payment';
import type { ChargeRequest, PaymentProvider, RefundReceipt } from '#domain/billing/payment-provider';
import { HoldExpiredError, SagaStateError } from '#domain/errors';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

/** A provider that records what it was asked and approves. */
const recordingProvider = (refund?: RefundReceipt) => {
  const charges: ChargeRequest[] = [];
  const provider: PaymentProvider = {
    charge: async (request) => {
      charges.push(request);
      return { chargeId: `ch_${request.idempotencyKey}`, amount: request.amount };
    },
    refund: async () => refund,
  };
  return { provider, charges };
};

const details = { token: 'tok_approve', paymentRef: 'tok_…rove' };
const NOW = new Date('2027-01-01T20:00:00Z');
const secondsFromNow = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const MARGIN_SECONDS = 600;
const timing = { now: NOW, holdMarginSeconds: MARGIN_SECONDS };
/** A hold with ample time left. */
const holdExpiresAt = secondsFromNow(3_600);

test('charges the amount with the purchaseId as idempotency key and the token from the purchase record', async () => {
  const { provider, charges } = recordingProvider();

  await chargePayment({ provider, findPaymentDetails: async () => details }, { purchaseId: 'purchase-1', amount: eur(24000), holdExpiresAt }, timing);

  expect(charges).toEqual([{ idempotencyKey: 'purchase-1', amount: eur(24000), token: 'tok_approve' }]);
});

test('returns the charge with the masked payment reference, never the token', async () => {
  const { provider } = recordingProvider();

  const charge = await chargePayment({ provider, findPaymentDetails: async () => details }, { purchaseId: 'purchase-1', amount: eur(24000), holdExpiresAt }, timing);

  expect(charge).toEqual({ chargeId: 'ch_purchase-1', amount: eur(24000), paymentRef: 'tok_…rove' });
});

test('a purchase without a recorded payment method is a saga state error and charges nothing', async () => {
  const { provider, charges } = recordingProvider();

  await expect(chargePayment({ provider, findPaymentDetails: async () => undefined }, { purchaseId: 'purchase-1', amount: eur(1), holdExpiresAt }, timing)).rejects.toThrow(SagaStateError);
  expect(charges).toHaveLength(0);
});

test('a hold with less time left than the margin is HoldExpired and charges nothing', async () => {
  const { provider, charges } = recordingProvider();
  const request = { purchaseId: 'purchase-1', amount: eur(24000), holdExpiresAt: secondsFromNow(MARGIN_SECONDS - 1) };

  await expect(chargePayment({ provider, findPaymentDetails: async () => details }, request, timing)).rejects.toThrow(HoldExpiredError);
  expect(charges).toHaveLength(0);
});

test('a hold with exactly the margin left is charged', async () => {
  const { provider, charges } = recordingProvider();
  const request = { purchaseId: 'purchase-1', amount: eur(24000), holdExpiresAt: secondsFromNow(MARGIN_SECONDS) };

  await chargePayment({ provider, findPaymentDetails: async () => details }, request, timing);

  expect(charges).toHaveLength(1);
});

test('a refund of a charge reports refunded with the refund', async () => {
  const refund = { refundId: 're_purchase-1', chargeId: 'ch_purchase-1', amount: eur(24000) };

  await expect(refundPayment(recordingProvider(refund).provider, 'purchase-1')).resolves.toEqual({ refunded: true, refund });
});

test('nothing charged reports not refunded', async () => {
  await expect(refundPayment(recordingProvider().provider, 'purchase-1')).resolves.toEqual({ refunded: false });
});

test('a refused hold tells an operator the purchase, the seconds left and the margin', async () => {
  // Prepare
  const { provider } = recordingProvider();
  const request = { purchaseId: 'purchase-1', amount: eur(24000), holdExpiresAt: secondsFromNow(42) };

  // Act
  const failure = chargePayment({ provider, findPaymentDetails: async () => details }, request, timing);

  // Assess
  await expect(failure).rejects.toThrow('The hold of purchase purchase-1 has 42 s left, less than the 600 s a purchase needs to be confirmed');
});

test('a missing payment method names the purchase', async () => {
  // Prepare
  const { provider } = recordingProvider();

  // Act
  const failure = chargePayment({ provider, findPaymentDetails: async () => undefined }, { purchaseId: 'purchase-1', amount: eur(1), holdExpiresAt }, timing);

  // Assess
  await expect(failure).rejects.toThrow('No payment method recorded for purchase purchase-1');
});
