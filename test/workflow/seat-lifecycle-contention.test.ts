import { z } from 'zod';
import { LEDGER_STATUS } from '#domain/billing/adapters/simulated-payment-provider';
import { TEST_TOKENS } from '#domain/billing/simulated-outcome';
import { epochSeconds, SEAT_STATUS } from '#domain/inventory/seat';
import { mapWithConcurrency } from '#domain/orders/bounded-concurrency';
import { findEventDefinition } from '#events/catalog';
import { mulberry32, streamSeed } from '#local/index';
import { checkInvariants, type InvariantResult } from '#tools/onsale/invariants';
import { CHARGE_HOLD_MARGIN_SECONDS, ERRORS, OUTCOMES, STATES } from '#workflows/purchase-saga';
import { useSagaRig, type PublishedEvent, type SagaRun } from './support/saga-harness.ts';

/**
 * Contention across the whole life of a seat: about a hundred buyers compete
 * for ten seats in overlapping waves, through the synthesized saga on the
 * local engine with the real handlers and DynamoDB Local. Seats are held,
 * lost to conflicts, released by declined cards and by holds that ran out,
 * and sold again to later buyers. Afterwards the project's own invariant
 * checker reads what the sagas left behind (the four tables, every published
 * event, the executions), and the counts prove the scenario really went
 * through each of those paths.
 *
 * Time is not faked: a hold that ran out, or nearly did, is written through
 * the seat store, as a run that stalled (or was abandoned) leaves it: before
 * the on-sale for the late and the lapsed holds, and, through the invoker's
 * hook before ConfirmPurchase, for a few paid purchases that stall there
 * while another buyer takes their seats.
 *
 * The phases:
 * 1. opening: the late holders and one buyer per block of the other seats,
 *    blocks disjoint, so each of them holds its seats and reaches the
 *    payment: declines, insufficient funds and HoldExpired are certain, and
 *    so is a stall before ConfirmPurchase (the opening's one approving buyer);
 * 2. rush: waves of buyers for neighbouring seats, each wave starting when
 *    half of the one before has settled, so releases race new holds, and the
 *    next paid purchases stall before ConfirmPurchase, up to a few;
 * 3. last call: once all of that has settled, two approving buyers for every
 *    seat, so the concert sells out and every seat sees a conflict.
 */
const rig = useSagaRig();

const SEED = 20_261_207;
const SEAT_IDS = Array.from({ length: 10 }, (_, index) => `A-${index + 1}`);
const RUSH_WAVES = 4;
const RUSH_WAVE_SIZE = 20;
const RUSH_MAX_SEATS = 3;
/** A late hold has less than the charge margin left but has not run out: nobody else can take its seats until its saga lets them go. */
const LATE_HOLD_SECONDS_LEFT = Math.floor(CHARGE_HOLD_MARGIN_SECONDS / 3);
const LAPSED_HOLD_SECONDS_AGO = 60 * 60;
/** The opening's tokens, in turn: every failure kind is certain to reach the payment. */
const OPENING_TOKENS = [TEST_TOKENS.decline, TEST_TOKENS.insufficientFunds, TEST_TOKENS.approve] as const;
/** The rush's token mix: most buyers who hold seats give them back. */
const RUSH_TOKENS = [
  { token: TEST_TOKENS.approve, share: 0.4 },
  { token: TEST_TOKENS.decline, share: 0.35 },
  { token: TEST_TOKENS.insufficientFunds, share: 0.25 },
] as const;
const BUYERS_PER_SEAT_AT_LAST_CALL = 2;
/** At most this many paid purchases stall before ConfirmPurchase until their hold runs out. */
const STALLED_CONFIRMATIONS = 3;
/** Deliveries in flight at once, as EventBridge invokes a rule's target concurrently. */
const DELIVERY_CONCURRENCY = 8;

interface PlannedPurchase {
  readonly purchaseId: string;
  readonly seatIds: string[];
  readonly paymentToken: string;
}

interface LateHold extends PlannedPurchase {
  /** The rush wave it runs in; 0 for the opening. */
  readonly wave: number;
}

interface Plan {
  readonly lateHolds: readonly LateHold[];
  /** Holds of sagas abandoned long ago: their time ran out and nobody released them. */
  readonly lapsedHolds: ReadonlyArray<{ readonly holderPurchaseId: string; readonly seatId: string }>;
  readonly opening: readonly PlannedPurchase[];
  readonly rush: ReadonlyArray<readonly PlannedPurchase[]>;
  readonly lastCall: readonly PlannedPurchase[];
}

/** A seeded Fisher-Yates shuffle: the same order on every run. */
const shuffled = <T>(items: readonly T[], random: () => number): T[] => {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
};

const planOnSale = (): Plan => {
  // A seeded generator, so every run plays the same buyers.
  const random = mulberry32(streamSeed(SEED, 'buyers'));
  const seatOrder = shuffled(SEAT_IDS, random);
  const at = (index: number) => seatOrder[index] as string;

  const lateHolds: LateHold[] = [
    { purchaseId: 'late-hold-1', seatIds: [at(0)], paymentToken: TEST_TOKENS.approve, wave: 0 },
    { purchaseId: 'late-hold-2', seatIds: [at(1), at(2)], paymentToken: TEST_TOKENS.approve, wave: 0 },
    { purchaseId: 'late-hold-3', seatIds: [at(3)], paymentToken: TEST_TOKENS.approve, wave: 2 },
  ];
  const lapsedHolds = [at(4), at(5)].map((seatId, index) => ({ holderPurchaseId: `abandoned-${index + 1}`, seatId }));

  const lateSeats = new Set(lateHolds.flatMap((hold) => hold.seatIds));
  const free = SEAT_IDS.filter((seatId) => !lateSeats.has(seatId));
  const opening: PlannedPurchase[] = [];
  for (let start = 0; start < free.length; ) {
    const size = Math.min(1 + Math.floor(random() * 2), free.length - start);
    const number = opening.length + 1;
    opening.push({
      purchaseId: `opening-${String(number).padStart(2, '0')}`,
      seatIds: free.slice(start, start + size),
      paymentToken: OPENING_TOKENS[(number - 1) % OPENING_TOKENS.length] as string,
    });
    start += size;
  }

  const rushToken = () => {
    let draw = random();
    for (const { token, share } of RUSH_TOKENS) {
      if (draw < share) return token;
      draw -= share;
    }
    return TEST_TOKENS.approve;
  };
  const rush = Array.from({ length: RUSH_WAVES }, (_, wave) =>
    Array.from({ length: RUSH_WAVE_SIZE }, (_, index): PlannedPurchase => {
      const size = 1 + Math.floor(random() * RUSH_MAX_SEATS);
      const start = Math.floor(random() * (SEAT_IDS.length - size + 1));
      return {
        purchaseId: `rush-${wave + 1}-${String(index + 1).padStart(2, '0')}`,
        // Neighbouring seats, as buyers pick them: heavy overlap between purchases.
        seatIds: SEAT_IDS.slice(start, start + size),
        paymentToken: rushToken(),
      };
    }),
  );

  const lastCall = SEAT_IDS.flatMap((seatId) =>
    Array.from({ length: BUYERS_PER_SEAT_AT_LAST_CALL }, (_, buyer) => ({
      purchaseId: `last-call-${seatId}-${buyer + 1}`,
      seatIds: [seatId],
      paymentToken: TEST_TOKENS.approve,
    })),
  );
  return { lateHolds, lapsedHolds, opening, rush, lastCall };
};

/**
 * What the bus's rule does for the purchase status read model (the purchases
 * table the checker reads): every published event goes to the real
 * projection handler, in shuffled order, several at once.
 */
const deliverToPurchaseStatus = async (published: readonly PublishedEvent[]) => {
  const { handler } = await import('#handlers/project-purchase-status');
  // EventBridge delivers in no particular order.
  const random = mulberry32(streamSeed(SEED, 'deliveries'));
  await mapWithConcurrency(shuffled(published, random), DELIVERY_CONCURRENCY, async (event, index) => {
    const definition = findEventDefinition(event.detailType);
    if (!definition) throw new Error(`The saga published ${event.detailType}, which the event catalog does not know`);
    await handler({ version: '0', id: `delivery-${index}`, 'detail-type': event.detailType, source: definition.source, time: new Date().toISOString(), detail: event.detail });
  });
};

const confirmPayloadSchema = z.object({ purchaseId: z.string(), seatIds: z.array(z.string()) });

/**
 * The next paid purchase to reach ConfirmPurchase stalls there: its hold
 * runs out (time passing writes nothing, so only the hold's end moves, not
 * the seat's version) and another buyer takes the seats before it goes on.
 * Then the next one, `remaining` times, while armed.
 */
const stallConfirmations = (remaining: number, stalled: string[], startTakeover: (purchase: PlannedPurchase) => Promise<SagaRun>): void => {
  if (remaining === 0) return;
  rig().invoker.beforeNextInvocation('confirm-purchase', async (event) => {
    const { purchaseId, seatIds } = confirmPayloadSchema.parse(event);
    stalled.push(purchaseId);
    const ranOutAt = epochSeconds(new Date()) - LAPSED_HOLD_SECONDS_AGO;
    for (const seatId of seatIds) {
      const seat = await rig().seat(seatId);
      if (seat.status === SEAT_STATUS.held && seat.holderPurchaseId === purchaseId) await rig().putSeat({ ...seat, holdExpiresAt: ranOutAt });
    }
    await startTakeover({ purchaseId: `takeover-${stalled.length}`, seatIds, paymentToken: TEST_TOKENS.approve });
    stallConfirmations(remaining - 1, stalled, startTakeover);
  });
};

/** Resolves once `count` of the promises have settled, either way. */
const whenSettled = (promises: readonly Promise<unknown>[], count: number): Promise<void> =>
  new Promise((resolve) => {
    let settled = 0;
    const tick = () => {
      settled += 1;
      if (settled === count) resolve();
    };
    for (const promise of promises) promise.then(tick, tick);
  });

const plan = planOnSale();
const allPlanned = [...plan.lateHolds, ...plan.opening, ...plan.rush.flat(), ...plan.lastCall];

let runs = new Map<string, SagaRun>();
const stalled: string[] = [];
const takeovers: PlannedPurchase[] = [];
let events: PublishedEvent[] = [];
let invariants: InvariantResult[] = [];

beforeAll(async () => {
  // Prepare: the holds of runs that stalled or were abandoned, written as the saga writes a hold.
  const now = new Date();
  for (const { purchaseId, seatIds } of plan.lateHolds) {
    for (const seatId of seatIds) {
      const seat = await rig().seat(seatId);
      await rig().putSeat({ ...seat, status: SEAT_STATUS.held, holderPurchaseId: purchaseId, holdExpiresAt: epochSeconds(now) + LATE_HOLD_SECONDS_LEFT, version: seat.version + 1 });
    }
  }
  for (const { holderPurchaseId, seatId } of plan.lapsedHolds) {
    const seat = await rig().seat(seatId);
    await rig().putSeat({ ...seat, status: SEAT_STATUS.held, holderPurchaseId, holdExpiresAt: epochSeconds(now) - LAPSED_HOLD_SECONDS_AGO, version: seat.version + 1 });
  }

  // Act
  const started: Array<Promise<SagaRun>> = [];
  const start = (purchases: readonly PlannedPurchase[]) => {
    const promises = purchases.map((purchase) => rig().runPurchase(purchase));
    started.push(...promises);
    return promises;
  };
  const lateIn = (wave: number) => plan.lateHolds.filter((hold) => hold.wave === wave);
  stallConfirmations(STALLED_CONFIRMATIONS, stalled, (takeover) => {
    takeovers.push(takeover);
    const [run] = start([takeover]);
    return run as Promise<SagaRun>;
  });

  await Promise.all(start([...lateIn(0), ...plan.opening]));
  for (const [index, wave] of plan.rush.entries()) {
    const promises = start([...lateIn(index + 1), ...wave]);
    await whenSettled(promises, Math.ceil(promises.length / 2));
  }
  await Promise.all(started);
  // Disarmed, so that the last call sells out.
  rig().invoker.injectFaults({});
  await Promise.all(start(plan.lastCall));
  const settled = await Promise.all(started);

  runs = new Map(settled.map((run) => [run.execution.name, run]));
  // Captured now: the rig forgets published events before each test.
  events = rig().publishedEvents();
  await deliverToPurchaseStatus(events);
  const { documentClient, tables } = rig().db;
  invariants = await checkInvariants({
    documentClient,
    tables,
    archivedEvents: events.map((event) => ({ 'detail-type': event.detailType, detail: event.detail })),
    purchaseIds: [...allPlanned, ...takeovers].map((purchase) => purchase.purchaseId),
    executions: settled.map((run) => ({ name: run.execution.name, status: run.execution.status })),
  });
});

const runOf = (purchaseId: string): SagaRun => {
  const run = runs.get(purchaseId);
  if (!run) throw new Error(`No saga ran for ${purchaseId}`);
  return run;
};
/** What a settled execution's output says (both Succeed states name the outcome). */
const sagaOutputSchema = z.object({ outcome: z.string(), reason: z.string().optional(), failedStep: z.string().optional() });
type SagaOutput = z.infer<typeof sagaOutputSchema>;
const outputOf = (run: SagaRun): SagaOutput => sagaOutputSchema.parse(JSON.parse(run.execution.output ?? 'null'));
const withOutcome = (predicate: (output: SagaOutput) => boolean) => [...runs.values()].filter((run) => predicate(outputOf(run)));
const refusedFor = (errorName: string) =>
  [...runs.values()].filter((run) =>
    run.history.some((event) => event.type === 'TaskFailed' && event.taskFailedEventDetails?.['error'] === errorName),
  );
const seatsDetailSchema = z.object({ seats: z.array(z.object({ seatId: z.string() })) });
const seatIdsIn = (event: PublishedEvent) => seatsDetailSchema.parse(event.detail).seats.map((seat) => seat.seatId);
const planned = (purchaseId: string): PlannedPurchase => {
  const purchase = [...allPlanned, ...takeovers].find((candidate) => candidate.purchaseId === purchaseId);
  if (!purchase) throw new Error(`${purchaseId} is not in the plan`);
  return purchase;
};
const finalSeats = () => Promise.all(SEAT_IDS.map((seatId) => rig().seat(seatId)));

describe('every invariant holds after the on-sale', () => {
  test.each([
    [1, 'no oversell'],
    [2, 'no double charge'],
    [3, 'every charge settled'],
    [4, 'no leaked holds'],
    [5, 'one terminal event per purchase'],
    [6, 'every accepted purchase is terminal'],
    [8, 'no execution needs a person'],
  ])('invariant %i: %s', (number, name) => {
    const result = invariants.find((candidate) => candidate.invariant === number && candidate.name === name);

    expect(result ? `${result.ok ? 'ok' : 'VIOLATED'}: ${result.detail}` : `not checked (got ${invariants.map((r) => r.invariant).join(', ')})`).toMatch(/^ok: /);
  });
});

describe('the on-sale went through every path of a seat', () => {
  test('demand exceeded supply and every seat was sold, each to one confirmed purchase', async () => {
    const confirmed = withOutcome((output) => output.outcome === OUTCOMES.confirmed);
    const approvingBuyers = allPlanned.filter((purchase) => purchase.paymentToken === TEST_TOKENS.approve).length;

    expect(allPlanned.length).toBeGreaterThanOrEqual(60);
    expect(approvingBuyers).toBeGreaterThan(SEAT_IDS.length);
    expect(runs.size).toBe(allPlanned.length + takeovers.length);
    expect((await finalSeats()).filter((seat) => seat.status === SEAT_STATUS.sold)).toHaveLength(SEAT_IDS.length);
    expect(confirmed.flatMap((run) => planned(run.execution.name).seatIds).sort()).toEqual([...SEAT_IDS].sort());
  });

  test('purchases lost seats to conflicts at ReserveSeats, at least one for every seat at the last call', () => {
    const conflicts = withOutcome((output) => output.failedStep === STATES.reserveSeats && output.reason === 'SEATS_UNAVAILABLE');

    expect(conflicts.length).toBeGreaterThanOrEqual(SEAT_IDS.length * (BUYERS_PER_SEAT_AT_LAST_CALL - 1));
  });

  test('cards were declined and funds were short at the payment, at least as often as the opening made certain', () => {
    const openingTokens = plan.opening.map((purchase) => purchase.paymentToken);

    expect(withOutcome((output) => output.reason === 'PAYMENT_DECLINED').length).toBeGreaterThanOrEqual(openingTokens.filter((t) => t === TEST_TOKENS.decline).length);
    expect(withOutcome((output) => output.reason === 'INSUFFICIENT_FUNDS').length).toBeGreaterThanOrEqual(openingTokens.filter((t) => t === TEST_TOKENS.insufficientFunds).length);
  });

  test('exactly the holds with less than the margin left were refused with HoldExpired, and none of them was charged', async () => {
    const refused = refusedFor(ERRORS.holdExpired).map((run) => run.execution.name).sort();

    expect(refused).toEqual(plan.lateHolds.map((hold) => hold.purchaseId).sort());
    for (const { purchaseId } of plan.lateHolds) {
      expect(outputOf(runOf(purchaseId))).toEqual({ outcome: OUTCOMES.failed, reason: 'SEATS_UNAVAILABLE', failedStep: STATES.chargePayment });
      expect((await rig().ledger(purchaseId))?.chargeId).toBeUndefined();
    }
  });

  test('seats released by failed purchases were sold again to later buyers, the late holds and the opening failures among them', async () => {
    const soldTo = new Map((await finalSeats()).map((seat) => [seat.seatId, seat.holderPurchaseId]));
    const resold = new Set(
      events
        .filter((event) => event.detailType === 'SeatsReleased.v1')
        .flatMap((event) => seatIdsIn(event).filter((seatId) => soldTo.get(seatId) !== undefined && soldTo.get(seatId) !== event.detail.purchaseId)),
    );
    const certain = [...plan.lateHolds, ...plan.opening.filter((purchase) => purchase.paymentToken !== TEST_TOKENS.approve)].flatMap((purchase) => purchase.seatIds);

    expect([...resold].sort()).toEqual(expect.arrayContaining(certain.sort()));
  });

  test('holds whose time ran out, never released by their abandoned sagas, were taken over by buyers of this on-sale', async () => {
    const seats = await finalSeats();

    for (const { holderPurchaseId, seatId } of plan.lapsedHolds) {
      const seat = seats.find((candidate) => candidate.seatId === seatId);
      expect(seat?.status).toBe(SEAT_STATUS.sold);
      expect(seat?.holderPurchaseId).not.toBe(holderPurchaseId);
      expect(runs.has(seat?.holderPurchaseId ?? '')).toBe(true);
    }
  });

  test('paid purchases whose hold ran out while they stalled lost their seats at ConfirmPurchase: invoice voided, charge refunded', async () => {
    const seats = await finalSeats();

    expect(stalled.length).toBeGreaterThanOrEqual(1);
    expect(refusedFor(ERRORS.seatsNoLongerHeld).map((run) => run.execution.name).sort()).toEqual([...stalled].sort());
    for (const purchaseId of stalled) {
      expect(outputOf(runOf(purchaseId))).toEqual({ outcome: OUTCOMES.failed, reason: 'SEATS_UNAVAILABLE', failedStep: STATES.confirmPurchase });
      expect((await rig().ledger(purchaseId))?.status).toBe(LEDGER_STATUS.refunded);
      expect(await rig().invoiceItem(purchaseId)).toHaveProperty('voidedAt');
      expect(seats.filter((seat) => seat.holderPurchaseId === purchaseId)).toEqual([]);
    }
  });
});
