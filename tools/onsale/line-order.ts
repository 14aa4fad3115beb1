/**
 * What the buyers of a gated on-sale saw of the line, checked against the
 * waiting room's promises: a position is fixed once known, the people
 * ahead only decrease, the pre-queue is drawn into positions 1..N at the
 * start, later joiners stand behind it, and buyers are admitted in the
 * order of their positions. Only client-side observations are used, so the
 * check judges the room by what its buyers could see, not by its own records.
 */

type TicketStatus = 'WAITING' | 'ADMITTED' | 'EXPIRED';

export interface TicketObservation {
  /** Client clock, epoch ms: when the request left and when its answer came back. */
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly status: TicketStatus;
  readonly position: number | null;
  readonly peopleAhead: number | null;
  /** Epoch ms, once admitted. */
  readonly admissionExpiresAt?: number;
}

export interface BuyerInLine {
  readonly buyerId: string;
  /** Joined while the on-sale had not started: the draw, not the arrival, places them. */
  readonly beforeStart: boolean;
  /** The join's answer first, then every poll, in the order they came back. */
  readonly observations: readonly TicketObservation[];
}

interface LineCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface LineOrderReport {
  readonly checks: readonly LineCheck[];
  readonly preQueue: number;
  readonly afterStart: number;
  /**
   * After-start joiners placed ahead of someone whose join had been answered
   * before theirs was sent, and by how many positions at most. Not a check:
   * the line's 8 counter shards fill unevenly, and the README says by how much.
   */
  readonly overtaking: { readonly buyers: number; readonly maxPositions: number };
}

const SHOWN_OFFENDERS = 5;

const checkOf = (name: string, offenders: readonly string[], okDetail: string): LineCheck => ({
  name,
  ok: offenders.length === 0,
  detail:
    offenders.length === 0
      ? okDetail
      : `${offenders.length} offending: ${offenders.slice(0, SHOWN_OFFENDERS).join('; ')}${offenders.length > SHOWN_OFFENDERS ? `; and ${offenders.length - SHOWN_OFFENDERS} more` : ''}`,
});

const lastOf = (buyer: BuyerInLine) => buyer.observations.at(-1);
const positionOf = (buyer: BuyerInLine) => lastOf(buyer)?.position ?? null;

const positionsFixed = (buyers: readonly BuyerInLine[]): LineCheck => {
  const offenders = buyers.flatMap((buyer) => {
    const seen = buyer.observations.map((observation) => observation.position);
    const firstKnown = seen.findIndex((position) => position !== null);
    if (firstKnown === -1) return [];
    const after = seen.slice(firstKnown);
    return after.every((position) => position === after[0]) ? [] : [`${buyer.buyerId} saw ${after.map(String).join(', ')}`];
  });
  return checkOf('positions are fixed once known', offenders, 'no buyer saw its position change or vanish');
};

/**
 * A rise is explained only by after-start joins answered between the two
 * polls' reads, one each at most: a join on a lagging counter shard takes a
 * position ahead of buyers already waiting (the line's documented price for
 * having no single counter). Any other rise, or a larger one, is a broken promise.
 */
const peopleAheadDecrease = (buyers: readonly BuyerInLine[], lateJoins: readonly TicketObservation[]): LineCheck => {
  let explainedRises = 0;
  const offenders = buyers.flatMap((buyer) => {
    const known = buyer.observations.filter((observation) => observation.peopleAhead !== null);
    const unexplained = known.flatMap((later, index) => {
      const earlier = known[index - 1];
      if (earlier === undefined || (later.peopleAhead ?? 0) <= (earlier.peopleAhead ?? 0)) return [];
      // The buyer's own join places nobody ahead of it.
      const inFlight = lateJoins.filter((join) => join !== buyer.observations[0] && join.sentAt < later.answeredAt && join.answeredAt > earlier.sentAt).length;
      const rise = (later.peopleAhead ?? 0) - (earlier.peopleAhead ?? 0);
      if (rise <= inFlight) {
        explainedRises += 1;
        return [];
      }
      return [`${earlier.peopleAhead} then ${later.peopleAhead} with ${inFlight} joins in flight`];
    });
    return unexplained.length === 0 ? [] : [`${buyer.buyerId} saw ${unexplained.join(', ')}`];
  });
  const polls = buyers.reduce((sum, buyer) => sum + buyer.observations.length, 0);
  return checkOf(
    'people ahead only decrease, but for later joins placed ahead',
    offenders,
    `over ${polls} answers of ${buyers.length} buyers; ${explainedRises} rises, each within the joins answered between the two polls`,
  );
};

const everyoneAdmitted = (buyers: readonly BuyerInLine[]): LineCheck => {
  const offenders = buyers.filter((buyer) => lastOf(buyer)?.status !== 'ADMITTED').map((buyer) => `${buyer.buyerId} ${lastOf(buyer)?.status ?? 'never answered'}`);
  return checkOf('every buyer in the line is admitted', offenders, `${buyers.length} of ${buyers.length} admitted`);
};

const preQueueDrawn = (early: readonly BuyerInLine[]): LineCheck => {
  const positions = early.map(positionOf);
  const expected = new Set(early.map((_, index) => index + 1));
  const offenders: string[] = [];
  for (const [index, position] of positions.entries()) {
    if (position === null || !expected.delete(position)) offenders.push(`${early[index]?.buyerId} at ${String(position)}`);
  }
  return checkOf('the pre-queue is drawn into positions 1..N, each once', offenders, `${early.length} buyers who joined before the start hold 1..${early.length}`);
};

const afterStartBehind = (late: readonly BuyerInLine[], preQueue: number): LineCheck => {
  const seen = new Set<number>();
  const offenders = late.flatMap((buyer) => {
    const position = positionOf(buyer);
    if (position === null || position <= preQueue || seen.has(position)) return [`${buyer.buyerId} at ${String(position)}`];
    seen.add(position);
    return [];
  });
  return checkOf('after the start, joiners stand behind the pre-queue', offenders, `${late.length} buyers who joined after the start hold distinct positions after ${preQueue}`);
};

/**
 * Two views of the same promise. The admission instants handed out (an
 * admission's expiry minus its fixed lifetime) never go back in position
 * order; and no buyer was told WAITING by a poll sent after another buyer,
 * further back in the line, had already been told ADMITTED. Answers that
 * overlapped in time prove nothing either way and are left alone.
 */
const admittedInOrder = (buyers: readonly BuyerInLine[]): LineCheck => {
  const offenders: string[] = [];
  const byPosition = buyers
    .map((buyer) => ({ buyer, position: positionOf(buyer), expiresAt: lastOf(buyer)?.admissionExpiresAt }))
    .filter((entry): entry is { buyer: BuyerInLine; position: number; expiresAt: number } => entry.position !== null && entry.expiresAt !== undefined)
    .sort((a, b) => a.position - b.position);
  for (let index = 1; index < byPosition.length; index += 1) {
    const ahead = byPosition[index - 1];
    const behind = byPosition[index];
    if (ahead && behind && behind.expiresAt < ahead.expiresAt) offenders.push(`${behind.buyer.buyerId} (${behind.position}) admitted before ${ahead.buyer.buyerId} (${ahead.position})`);
  }

  const admittedAnswers = buyers
    .flatMap((buyer) => buyer.observations.filter((o) => o.status === 'ADMITTED' && o.position !== null).map((o) => ({ at: o.answeredAt, position: o.position ?? 0, buyerId: buyer.buyerId })))
    .sort((a, b) => a.at - b.at);
  const waitingAnswers = buyers
    .flatMap((buyer) => buyer.observations.filter((o) => o.status === 'WAITING' && o.position !== null).map((o) => ({ at: o.sentAt, position: o.position ?? 0, buyerId: buyer.buyerId })))
    .sort((a, b) => a.at - b.at);
  let next = 0;
  let furthest: { position: number; buyerId: string } | undefined;
  for (const waiting of waitingAnswers) {
    for (; next < admittedAnswers.length && (admittedAnswers[next]?.at ?? Infinity) < waiting.at; next += 1) {
      const admitted = admittedAnswers[next];
      if (admitted && (furthest === undefined || admitted.position > furthest.position)) furthest = admitted;
    }
    if (furthest && furthest.position > waiting.position) offenders.push(`${waiting.buyerId} (${waiting.position}) still waiting after ${furthest.buyerId} (${furthest.position}) was admitted`);
  }
  return checkOf('buyers are admitted in the order of their positions', offenders, `${byPosition.length} admissions in position order; ${waitingAnswers.length} waiting answers, none behind an admission further back`);
};

/** After-start joiners who passed someone who had surely joined before them, by the answers' times. */
const overtakingOf = (late: readonly BuyerInLine[]): LineOrderReport['overtaking'] => {
  const joins = late.flatMap((buyer) => {
    const join = buyer.observations[0];
    const position = positionOf(buyer);
    return join && position !== null ? [{ sentAt: join.sentAt, answeredAt: join.answeredAt, position }] : [];
  });
  const byAnswer = [...joins].sort((a, b) => a.answeredAt - b.answeredAt);
  const bySending = [...joins].sort((a, b) => a.sentAt - b.sentAt);
  let next = 0;
  let furthestEarlier = 0;
  let buyers = 0;
  let maxPositions = 0;
  for (const join of bySending) {
    for (; next < byAnswer.length && (byAnswer[next]?.answeredAt ?? Infinity) < join.sentAt; next += 1) furthestEarlier = Math.max(furthestEarlier, byAnswer[next]?.position ?? 0);
    if (furthestEarlier > join.position) {
      buyers += 1;
      maxPositions = Math.max(maxPositions, furthestEarlier - join.position);
    }
  }
  return { buyers, maxPositions };
};

export const checkLineOrder = (buyers: readonly BuyerInLine[]): LineOrderReport => {
  const early = buyers.filter((buyer) => buyer.beforeStart);
  const late = buyers.filter((buyer) => !buyer.beforeStart);
  const lateJoins = late.flatMap((buyer) => buyer.observations.slice(0, 1));
  return {
    checks: [everyoneAdmitted(buyers), positionsFixed(buyers), peopleAheadDecrease(buyers, lateJoins), preQueueDrawn(early), afterStartBehind(late, early.length), admittedInOrder(buyers)],
    preQueue: early.length,
    afterStart: late.length,
    overtaking: overtakingOf(late),
  };
};
