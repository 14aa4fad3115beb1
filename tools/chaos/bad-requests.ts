import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';
import { MAX_SEATS_PER_PURCHASE, purchaseIdFor } from '#domain/orders/purchase-request';
import { rowLabel, seatIdOf } from '#domain/catalog/seat-layout';
import { mulberry32 } from '#local/index';
import type { BuyerRequest, HallShape } from '#tools/onsale/buyer-plan';
import type { BadRequestRecord } from '#tools/onsale/invariants';
import { postPurchase, type RetryPolicy } from '#tools/onsale/submit';

/**
 * Bad input sent among the good requests of a chaos run: each must be
 * refused with a 4xx and a JSON error body, and leave nothing behind
 * (DESIGN.md invariant 7). Every bad request but the key reuse comes from a
 * buyer of its own, so what it might have created is easy to find.
 */

export const BAD_INPUT_KINDS = [
  'malformedJson',
  'unknownConcert',
  'unknownSeat',
  'malformedSeatId',
  'tooManySeats',
  'noSeats',
  'malformedPaymentToken',
  'missingToken',
  'keyReusedForAnotherRequest',
] as const;
type BadInputKind = (typeof BAD_INPUT_KINDS)[number];

export interface BadRequestPlan {
  readonly kind: BadInputKind;
  /** undefined: sent without a bearer token. */
  readonly buyerId?: string;
  readonly idempotencyKey: string;
  readonly body: string;
  readonly keyOwner?: { readonly purchaseId: string; readonly seatIds: readonly string[] };
}

interface PlanContext {
  readonly runId: string;
  readonly concertId: string;
  readonly hall: HallShape;
  /** Good buyers whose request was accepted: the key reuse borrows one of their keys. */
  readonly acceptedBuyers: readonly BuyerRequest[];
}

const body = (value: unknown) => JSON.stringify(value);

const planOne = (kind: BadInputKind, index: number, context: PlanContext): BadRequestPlan | undefined => {
  const { runId, concertId, hall } = context;
  const own = { buyerId: `bad-buyer-${index + 1}`, idempotencyKey: `${runId}-bad-${index + 1}` };
  const firstSeat = seatIdOf(rowLabel(0), 1);
  switch (kind) {
    case 'malformedJson':
      return { kind, ...own, body: `{"concertId":"${concertId}","seatIds":["${firstSeat}"` };
    case 'unknownConcert':
      return { kind, ...own, body: body({ concertId: `${runId}-nowhere`, seatIds: [firstSeat], paymentToken: 'tok_approve' }) };
    case 'unknownSeat':
      // Well formed, but the hall has no such row.
      return { kind, ...own, body: body({ concertId, seatIds: [seatIdOf(rowLabel(hall.rows + 1), 1)], paymentToken: 'tok_approve' }) };
    case 'malformedSeatId':
      return { kind, ...own, body: body({ concertId, seatIds: ['front row please'], paymentToken: 'tok_approve' }) };
    case 'tooManySeats': {
      const seatIds = Array.from({ length: MAX_SEATS_PER_PURCHASE + 1 }, (_, seat) => seatIdOf(rowLabel(seat % hall.rows), 1 + Math.floor(seat / hall.rows)));
      return { kind, ...own, body: body({ concertId, seatIds, paymentToken: 'tok_approve' }) };
    }
    case 'noSeats':
      return { kind, ...own, body: body({ concertId, seatIds: [], paymentToken: 'tok_approve' }) };
    case 'malformedPaymentToken':
      return { kind, ...own, body: body({ concertId, seatIds: [firstSeat], paymentToken: '4111 1111 1111 1111' }) };
    case 'missingToken':
      return { kind, idempotencyKey: own.idempotencyKey, body: body({ concertId, seatIds: [firstSeat], paymentToken: 'tok_approve' }) };
    case 'keyReusedForAnotherRequest': {
      const owner = context.acceptedBuyers[index % Math.max(1, context.acceptedBuyers.length)];
      if (!owner) return undefined;
      // Same buyer, same key, other seats: a different request under a key already spent.
      const otherSeat = seatIdOf(rowLabel(hall.rows - 1), hall.seatsPerRow);
      const seatIds = owner.seatIds.includes(otherSeat) ? [seatIdOf(rowLabel(0), 1), otherSeat].filter((seat) => !owner.seatIds.includes(seat)) : [otherSeat];
      return {
        kind,
        buyerId: owner.buyerId,
        idempotencyKey: owner.idempotencyKey,
        body: body({ concertId, seatIds, paymentToken: 'tok_approve' }),
        keyOwner: { purchaseId: purchaseIdFor(owner.buyerId, owner.idempotencyKey), seatIds: owner.seatIds },
      };
    }
  }
};

/** `count` bad requests, every kind in turn, in an order the seed decides. */
export const planBadRequests = (count: number, seed: number, context: PlanContext): BadRequestPlan[] => {
  const random = mulberry32(seed ^ 0x5eed_bad);
  const plans = Array.from({ length: count }, (_, index) => planOne(BAD_INPUT_KINDS[index % BAD_INPUT_KINDS.length]!, index, context)).filter(
    (plan): plan is BadRequestPlan => plan !== undefined,
  );
  // Fisher-Yates with the seeded generator: the kinds arrive mixed, the same way each run.
  for (let i = plans.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plans[i], plans[j]] = [plans[j]!, plans[i]!];
  }
  return plans;
};

/** Sends every bad request (retrying only what faults answered with 5xx or 429) and records what the API said. */
export const sendBadRequests = async (
  apiUrl: string,
  mintToken: (buyerId: string) => Promise<string>,
  plans: readonly BadRequestPlan[],
  options: { readonly concurrency: number; readonly retry: RetryPolicy },
): Promise<BadRequestRecord[]> => {
  const records: BadRequestRecord[] = new Array<BadRequestRecord>(plans.length);
  await mapWithConcurrency(plans, options.concurrency, async (plan, index) => {
    const token = plan.buyerId === undefined ? undefined : await mintToken(plan.buyerId);
    const answer = await postPurchase(apiUrl, { ...(token !== undefined && { token }), idempotencyKey: plan.idempotencyKey, body: plan.body }, options.retry);
    records[index] = {
      kind: plan.kind,
      status: answer.status,
      json: answer.json,
      idempotencyKey: plan.idempotencyKey,
      ...(plan.buyerId !== undefined && { buyerId: plan.buyerId }),
      ...(plan.buyerId !== undefined && !plan.keyOwner && { purchaseId: purchaseIdFor(plan.buyerId, plan.idempotencyKey) }),
      ...(plan.keyOwner && { keyOwner: plan.keyOwner }),
    };
  });
  return records;
};
