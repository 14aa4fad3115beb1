import { outcomeMixOf, type PurchaseStatus } from '#tools/onsale/drain';

const status = (purchaseId: string, value: string, failureReason?: string): [string, PurchaseStatus] => [
  purchaseId,
  { purchaseId, status: value, ...(failureReason && { failureReason }) },
];

test('the outcome mix counts confirmed, failed by reason, and what has not ended or is missing', () => {
  // Prepare
  const statuses = new Map([
    status('p-1', 'CONFIRMED'),
    status('p-2', 'FAILED', 'SEATS_UNAVAILABLE'),
    status('p-3', 'FAILED', 'SEATS_UNAVAILABLE'),
    status('p-4', 'FAILED'),
    status('p-5', 'PAID'),
  ]);

  // Act
  const mix = outcomeMixOf(['p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-missing'], statuses);

  // Assess
  expect(mix).toEqual({ confirmed: 1, failedByReason: { SEATS_UNAVAILABLE: 2, UNKNOWN: 1 }, notTerminal: 2 });
});
