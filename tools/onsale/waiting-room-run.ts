import pLimit from 'p-limit';
import { acceptedPurchaseSchema, queueTicketSchema } from '#tools/openapi/contract';
import { DRAW_GRACE_SECONDS } from '#domain/waiting-room/admit-buyers';
import { configureOnSale } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { createDynamoDbRoomAdmissionStore, registerRoom } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import type { OnSale } from '#domain/waiting-room/on-sale';
import { admittedAt } from '#domain/waiting-room/room-state';
import type { BuyerRequest } from './buyer-plan.ts';
import { checkLineOrder, type BuyerInLine, type LineOrderReport, type TicketObservation } from './line-order.ts';
import { postPurchase, sendWithRetry, type ApiAnswer } from './submit.ts';
import type { Target } from './target.ts';
import { waitDistributionOf, type WaitDistribution } from './wait-distribution.ts';

/**
 * The on-sale through the waiting room: part of the crowd joins the line of
 * a gated concert before the start, the rest after; every buyer polls its
 * ticket until admitted, then buys with its admission token. What the
 * buyers saw is kept for the line's checks, and the room's own record of
 * its admission runs gives each buyer's wait.
 */

export interface WaitingRoomSettings {
  /** The on-sale's admissionsPerMinute: the buyers one run of the admitter lets in. */
  readonly admissionsPerRun: number;
  readonly maxActiveBuyers: number;
  readonly admissionTtlSeconds: number;
  /** Share of the buyers, in percent, who join before the start. */
  readonly earlyPercent: number;
}

export interface WaitingRoomRunInput {
  readonly target: Target;
  readonly concertId: string;
  readonly buyers: readonly BuyerRequest[];
  readonly settings: WaitingRoomSettings;
  /** Calls in flight at once, joins, polls and purchases together. */
  readonly concurrency: number;
  /** Give up when a buyer is still waiting this long after the start. */
  readonly timeoutSeconds: number;
  readonly log: (line: string) => void;
}

export interface WaitingRoomReport {
  readonly settings: WaitingRoomSettings;
  readonly line: LineOrderReport;
  /** From each admitted buyer's join to the admitter's run that let it in. */
  readonly waits?: WaitDistribution;
  readonly admissionRuns: number;
}

export interface WaitingRoomResult {
  readonly accepted: string[];
  readonly rejected: Map<number, number>;
  readonly report: WaitingRoomReport;
}

/** Polling faster than the admitter runs learns nothing; slower than this, a buyer notices its turn late. */
const MIN_POLL_MS = 500;
const MAX_POLL_MS = 5_000;
/** Until the line has measured a rate, the ticket has no estimate to wait by. */
const UNKNOWN_WAIT_POLL_MS = 1_000;
const IDLE_MS = 100;
const LOG_EVERY_MS = 5_000;
/** A start long after the early joins: none of them may land after it. */
const START_LATER_MS = 60 * 60 * 1_000;

const pause = (ms: number) => new Promise<void>((resolvePause) => setTimeout(resolvePause, ms));

/** Half the estimate: the estimate uses the rate measured so far, which a pause or a burst changes. */
const nextPollDelayMs = (estimatedWaitSeconds: number | null): number =>
  estimatedWaitSeconds === null ? UNKNOWN_WAIT_POLL_MS : Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, (estimatedWaitSeconds * 1_000) / 2));

interface BuyerState {
  readonly request: BuyerRequest;
  readonly token: string;
  readonly beforeStart: boolean;
  ticketId?: string;
  joinedAt?: number;
  nextPollAt: number;
  readonly observations: TicketObservation[];
}

const describeAnswer = (answer: ApiAnswer) => `HTTP ${answer.status} ${JSON.stringify(answer.json)}`;

export const runWaitingRoom = async (input: WaitingRoomRunInput): Promise<WaitingRoomResult> => {
  const { target, concertId, settings, log } = input;
  const concerts = { client: target.documentClient, tableName: target.tables.concerts };
  const waitingRoom = { client: target.documentClient, tableName: target.tables.waitingRoom };
  const configure = async (startsAt: Date) => {
    const onSale: OnSale = {
      startsAt: startsAt.toISOString(),
      admissionsPerMinute: settings.admissionsPerRun,
      maxActiveBuyers: settings.maxActiveBuyers,
      admissionTtlSeconds: settings.admissionTtlSeconds,
    };
    if ((await configureOnSale(concerts, concertId, onSale)) !== 'configured') throw new Error(`concert ${concertId} vanished before its on-sale was configured`);
  };
  log(
    `waiting room: ${settings.admissionsPerRun} admissions a run of the admitter, at most ${settings.maxActiveBuyers} live, each for ${settings.admissionTtlSeconds / 60} min; ${settings.earlyPercent}% of the buyers join before the start`,
  );
  await configure(new Date(Date.now() + START_LATER_MS));
  await registerRoom(waitingRoom, concertId);

  const earlyCount = Math.round((input.buyers.length * settings.earlyPercent) / 100);
  const states: BuyerState[] = [];
  for (const [index, request] of input.buyers.entries()) {
    states.push({ request, token: await target.mintToken(request.buyerId), beforeStart: index < earlyCount, nextPollAt: 0, observations: [] });
  }
  const limit = pLimit(input.concurrency);
  const auth = (state: BuyerState) => ({ authorization: `Bearer ${state.token}` });

  const observe = (state: BuyerState, sentAt: number, answer: ApiAnswer) => {
    const ticket = queueTicketSchema.parse(answer.json);
    const answeredAt = Date.now();
    state.observations.push({
      sentAt,
      answeredAt,
      status: ticket.status,
      position: ticket.position,
      peopleAhead: ticket.peopleAhead,
      ...(ticket.admissionExpiresAt !== undefined && { admissionExpiresAt: Date.parse(ticket.admissionExpiresAt) }),
    });
    state.nextPollAt = answeredAt + nextPollDelayMs(ticket.estimatedWaitSeconds);
    return ticket;
  };
  const join = (state: BuyerState) =>
    limit(async () => {
      const sentAt = Date.now();
      const answer = await sendWithRetry(target.apiUrl, { method: 'POST', path: `/concerts/${concertId}/queue`, headers: auth(state) });
      if (answer.status !== 201) throw new Error(`${state.request.buyerId} could not join the line: ${describeAnswer(answer)}`);
      const ticket = observe(state, sentAt, answer);
      state.ticketId = ticket.ticketId;
      state.joinedAt = Date.now();
    });

  const accepted = new Map<number, string>();
  const rejected = new Map<number, number>();
  const buy = (state: BuyerState, index: number, admissionToken: string) =>
    limit(async () => {
      const { request } = state;
      const answer = await postPurchase(target.apiUrl, {
        token: state.token,
        idempotencyKey: request.idempotencyKey,
        admissionToken,
        body: JSON.stringify({ concertId, seatIds: request.seatIds, paymentToken: request.paymentToken }),
      });
      if (answer.status === 202) accepted.set(index, acceptedPurchaseSchema.parse(answer.json).purchaseId);
      else rejected.set(answer.status, (rejected.get(answer.status) ?? 0) + 1);
    });

  const early = states.filter((state) => state.beforeStart);
  const late = states.filter((state) => !state.beforeStart);
  await Promise.all(early.map(join));
  // The start is set once every early buyer is in the pre-queue, rather than guessed ahead: how long joins take depends on the machine.
  const startedAt = Date.now();
  await configure(new Date(startedAt));
  log(`the line opens: ${early.length} buyers in the pre-queue, drawn in ${DRAW_GRACE_SECONDS} s; ${late.length} join now`);
  const waiting = new Set(early.map((state) => states.indexOf(state)));
  let joining = late.length;
  // Each late buyer polls from its own join on, as a buyer's app would.
  const lateJoins = Promise.all(
    late.map((state) =>
      join(state).then(() => {
        joining -= 1;
        waiting.add(states.indexOf(state));
      }),
    ),
  );
  // A failed join ends the run: the loop below sees it at its next turn instead of waiting for buyers who never joined.
  let joinFailure: unknown;
  lateJoins.catch((error: unknown) => {
    joinFailure = error;
  });

  const purchases: Promise<void>[] = [];
  const deadline = startedAt + input.timeoutSeconds * 1_000;
  const rooms = createDynamoDbRoomAdmissionStore(waitingRoom);
  /** What an operator needs to see why the line stopped: the admitter's record beside what the buyers last saw. */
  const stuckLine = async (stuck: number, lastSeen: ReadonlyArray<TicketObservation | undefined>) => {
    const { room, shardCounts } = await rooms.readLineConsistently(concertId);
    const live = room.admissions.filter((entry) => entry.at + settings.admissionTtlSeconds * 1_000 > Date.now()).reduce((sum, entry) => sum + entry.count, 0);
    const seen = lastSeen.slice(0, 3).map((o) => (o ? `position ${String(o.position)}, ${String(o.peopleAhead)} ahead` : 'no ticket yet'));
    return (
      `${stuck} buyers still waiting ${input.timeoutSeconds} s after the start (${seen.join('; ')}); the admitter has admitted through ${room.admittedThrough}, ` +
      `${live} admissions live of at most ${settings.maxActiveBuyers}, line numbers taken ${shardCounts.join('+')}${room.pausedReason ? `, paused: ${room.pausedReason}` : ''}`
    );
  };
  let lastLog = 0;
  while (joining > 0 || waiting.size > 0) {
    if (joinFailure !== undefined) throw joinFailure;
    if (Date.now() > deadline) throw new Error(await stuckLine(waiting.size + joining, [...waiting].map((index) => states[index]?.observations.at(-1))));
    if (Date.now() - lastLog > LOG_EVERY_MS) {
      lastLog = Date.now();
      log(`${states.filter((state) => state.observations.at(-1)?.status === 'ADMITTED').length} of ${states.length} admitted`);
    }
    const now = Date.now();
    const due = [...waiting].filter((index) => (states[index]?.nextPollAt ?? 0) <= now);
    if (due.length === 0) {
      await pause(IDLE_MS);
      continue;
    }
    await Promise.all(
      due.map((index) =>
        limit(async () => {
          const state = states[index];
          if (state?.ticketId === undefined) return;
          const sentAt = Date.now();
          const answer = await sendWithRetry(target.apiUrl, { method: 'GET', path: `/concerts/${concertId}/queue/${state.ticketId}`, headers: auth(state) });
          if (answer.status !== 200) throw new Error(`${state.request.buyerId} could not poll its ticket: ${describeAnswer(answer)}`);
          const ticket = observe(state, sentAt, answer);
          if (ticket.status === 'WAITING') return;
          waiting.delete(index);
          if (ticket.status === 'ADMITTED' && ticket.admissionToken !== undefined) purchases.push(buy(state, index, ticket.admissionToken));
        }),
      ),
    );
  }
  await lateJoins;
  await Promise.all(purchases);

  const { room } = await rooms.readLineConsistently(concertId);
  const waitsMs = states.flatMap((state) => {
    const position = state.observations.at(-1)?.position ?? null;
    const admitted = position === null ? undefined : admittedAt(room, position);
    return admitted === undefined || state.joinedAt === undefined ? [] : [admitted.getTime() - state.joinedAt];
  });
  const waits = waitDistributionOf(waitsMs);
  const line: BuyerInLine[] = states.map((state) => ({ buyerId: state.request.buyerId, beforeStart: state.beforeStart, observations: state.observations }));
  return {
    accepted: [...accepted].sort(([a], [b]) => a - b).map(([, purchaseId]) => purchaseId),
    rejected,
    report: { settings, line: checkLineOrder(line), ...(waits && { waits }), admissionRuns: room.admissions.length },
  };
};
