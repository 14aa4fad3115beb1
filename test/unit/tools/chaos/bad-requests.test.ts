import { purchaseIdFor } from '#domain/orders/purchase-request';
import { BAD_INPUT_KINDS, planBadRequests } from '#tools/chaos/bad-requests';
import { planBuyers } from '#tools/onsale/buyer-plan';

const HALL = { rows: 4, seatsPerRow: 10 };
const RUN_ID = 'chaos-test';
const buyers = planBuyers(20, HALL, 1, RUN_ID);
const context = { runId: RUN_ID, concertId: RUN_ID, hall: HALL, acceptedBuyers: buyers };

test('a plan as long as the kinds holds every kind of bad input once', () => {
  // Act
  const plans = planBadRequests(BAD_INPUT_KINDS.length, 3, context);

  // Assess
  expect(plans.map((plan) => plan.kind).sort()).toEqual([...BAD_INPUT_KINDS].sort());
});

test('the same seed plans the same requests in the same order', () => {
  // Act
  const first = planBadRequests(30, 3, context);
  const second = planBadRequests(30, 3, context);

  // Assess
  expect(second).toEqual(first);
});

test('a key reuse sends an accepted buyer\'s key with other seats, naming the purchase that owns it', () => {
  // Act
  const reuse = planBadRequests(BAD_INPUT_KINDS.length, 3, context).find((plan) => plan.kind === 'keyReusedForAnotherRequest');

  // Assess
  const owner = buyers.find((buyer) => buyer.idempotencyKey === reuse?.idempotencyKey);
  expect(owner).toBeDefined();
  expect(reuse).toMatchObject({ buyerId: owner?.buyerId, keyOwner: { purchaseId: purchaseIdFor(owner!.buyerId, owner!.idempotencyKey), seatIds: owner?.seatIds } });
  expect((JSON.parse(reuse!.body) as { seatIds: string[] }).seatIds).not.toEqual(owner?.seatIds);
});

test('every other bad request comes from a buyer and a key no other request uses', () => {
  // Act
  const plans = planBadRequests(40, 3, context).filter((plan) => !plan.keyOwner);

  // Assess
  const keys = plans.map((plan) => plan.idempotencyKey);
  const buyerIds = plans.flatMap((plan) => (plan.buyerId ? [plan.buyerId] : []));
  expect(new Set(keys).size).toBe(keys.length);
  expect(new Set(buyerIds).size).toBe(buyerIds.length);
  expect(buyerIds.filter((buyerId) => buyers.some((buyer) => buyer.buyerId === buyerId))).toEqual([]);
});

test('without an accepted buyer there is no key to reuse, and no such request', () => {
  // Act
  const plans = planBadRequests(BAD_INPUT_KINDS.length, 3, { ...context, acceptedBuyers: [] });

  // Assess
  expect(plans.map((plan) => plan.kind)).not.toContain('keyReusedForAnotherRequest');
});
