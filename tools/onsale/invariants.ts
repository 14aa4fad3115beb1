import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { LEDGER_STATUS, ledgerEntrySchema } from '#domain/billing/adapters/simulated-payment-provider';
import { SEAT_STATUS } from '#domain/inventory/seat';
import { PurchaseConfirmedEvent } from '#events/purchase-confirmed';
import { PurchaseFailedEvent } from '#events/purchase-failed';

/**
 * The invariants of DESIGN.md, checked from the data the system left behind
 * (tables, the event archive, the executions as the Step Functions API lists
 * them), never from what the load generator believes happened. Each check
 * names the first offenders so a failure is actionable.
 */

export interface InvariantTables {
  readonly purchases: string;
  readonly seats: string;
  readonly invoices: string;
  readonly payments: string;
}

export interface ArchivedEvent {
  readonly 'detail-type': string;
  readonly detail: unknown;
}

/** One execution of the saga as ListExecutions shows it; its name is the purchaseId. */
export interface ExecutionRecord {
  readonly name: string;
  readonly status: string;
}

/** A request the load generator sent knowing it is bad input, and what the API answered. */
export interface BadRequestRecord {
  /** What is wrong with it, e.g. malformedJson. */
  readonly kind: string;
  readonly status: number;
  /** The answer's body, parsed; undefined when it was not JSON. */
  readonly json: unknown;
  /** The buyer it was sent as, used by no good request; absent when it carried no token. */
  readonly buyerId?: string;
  readonly idempotencyKey?: string;
  /** The purchase it would have created had it been accepted (buyer and key decide it). */
  readonly purchaseId?: string;
  /** For a key reused with a different request: the purchase that owns the key, and the seats it asked for. */
  readonly keyOwner?: { readonly purchaseId: string; readonly seatIds: readonly string[] };
}

/** Every item of the projections, by "table/key", as canonical JSON. */
export type ProjectionSnapshot = Readonly<Record<string, string>>;

export interface ReplaySnapshots {
  readonly before: ProjectionSnapshot;
  /** One snapshot after each replay of the archive. */
  readonly afterReplays: readonly ProjectionSnapshot[];
  /**
   * Items a replay may change: those named by an event that a projection's
   * rule dead-lettered during the run, which the projection never applied.
   */
  readonly repairable?: ReadonlySet<string>;
}

export interface InvariantInput {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tables: InvariantTables;
  /** Every event of the bus archive (replays included). */
  readonly archivedEvents: readonly ArchivedEvent[];
  /** The purchases the API accepted (202) in this run. */
  readonly purchaseIds: readonly string[];
  /** The saga's executions since the run began; without them the execution checks are left out. */
  readonly executions?: readonly ExecutionRecord[];
  /** The bad input sent in this run; without it invariant 7 is left out. */
  readonly badRequests?: readonly BadRequestRecord[];
  /** The projections before and after replaying the run's archive; without them that check is left out. */
  readonly replay?: ReplaySnapshots;
}

export interface InvariantResult {
  /** Its number in DESIGN.md. */
  readonly invariant: number;
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

const seatRowSchema = z.object({
  concertId: z.string(),
  seatId: z.string(),
  status: z.string(),
  holderPurchaseId: z.string().optional(),
});
const purchaseRowSchema = z.object({
  purchaseId: z.string(),
  concertId: z.string(),
  seatIds: z.array(z.string()),
  status: z.string(),
  buyerId: z.string().optional(),
  idempotencyKey: z.string().optional(),
});
/** An invoices item: an invoice (voided or not), or only the void mark VoidInvoice leaves when none was issued. */
const invoiceRowSchema = z.object({ purchaseId: z.string(), invoiceId: z.string().optional(), voidedAt: z.string().optional() });
const eventDetailSchema = z.object({ purchaseId: z.string(), eventId: z.string() }).loose();

const scanAll = async <T>(client: DynamoDBDocumentClient, tableName: string, schema: z.ZodType<T>): Promise<T[]> => {
  const items: T[] = [];
  for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
    for (const item of page.Items ?? []) items.push(schema.parse(item));
  }
  return items;
};

const SHOWN_OFFENDERS = 5;
const result = (invariant: number, name: string, offenders: readonly string[], okDetail: string): InvariantResult => ({
  invariant,
  name,
  ok: offenders.length === 0,
  detail:
    offenders.length === 0
      ? okDetail
      : `${offenders.length} violation(s): ${offenders.slice(0, SHOWN_OFFENDERS).join('; ')}${offenders.length > SHOWN_OFFENDERS ? '; ...' : ''}`,
});

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

export const checkInvariants = async (input: InvariantInput): Promise<InvariantResult[]> => {
  const { documentClient: client, tables } = input;
  const [seats, purchases, invoices, ledger] = await Promise.all([
    scanAll(client, tables.seats, seatRowSchema.loose()),
    scanAll(client, tables.purchases, purchaseRowSchema.loose()),
    scanAll(client, tables.invoices, invoiceRowSchema.loose()),
    scanAll(client, tables.payments, ledgerEntrySchema),
  ]);
  const accepted = new Set(input.purchaseIds);
  const purchaseById = new Map(purchases.map((purchase) => [purchase.purchaseId, purchase]));
  // Only an issued invoice that was not voided counts: a void mark or a voided invoice settles nothing.
  const invoiced = new Set(invoices.filter((invoice) => invoice.invoiceId !== undefined && invoice.voidedAt === undefined).map((invoice) => invoice.purchaseId));
  const events = input.archivedEvents.map((event) => ({ type: event['detail-type'], detail: event.detail }));

  // 1. No oversell: a SOLD seat belongs to one CONFIRMED purchase that asked for it, and each confirmed seat is SOLD to it.
  const oversold: string[] = [];
  const seatByKey = new Map(seats.map((seat) => [`${seat.concertId}/${seat.seatId}`, seat]));
  for (const seat of seats.filter((s) => s.status === SEAT_STATUS.sold)) {
    const holder = seat.holderPurchaseId ? purchaseById.get(seat.holderPurchaseId) : undefined;
    if (!holder || holder.status !== 'CONFIRMED' || !holder.seatIds.includes(seat.seatId)) {
      oversold.push(`${seat.seatId} is SOLD to ${seat.holderPurchaseId ?? 'nobody'} (${holder?.status ?? 'no purchase'})`);
    }
  }
  const confirmedSeatOwners = new Map<string, string>();
  for (const purchase of purchases.filter((p) => p.status === 'CONFIRMED')) {
    for (const seatId of purchase.seatIds) {
      const key = `${purchase.concertId}/${seatId}`;
      const owner = confirmedSeatOwners.get(key);
      if (owner) oversold.push(`${seatId} confirmed to both ${owner} and ${purchase.purchaseId}`);
      confirmedSeatOwners.set(key, purchase.purchaseId);
      const seat = seatByKey.get(key);
      if (seat?.status !== SEAT_STATUS.sold || seat.holderPurchaseId !== purchase.purchaseId) {
        oversold.push(`${purchase.purchaseId} is CONFIRMED but ${seatId} is ${seat?.status ?? 'missing'}`);
      }
    }
  }
  const soldCount = seats.filter((s) => s.status === SEAT_STATUS.sold).length;

  // 2. No double charge: the ledger counts every charge it records under a purchase's key, and the count is at most one.
  const charged = ledger.filter((entry) => entry.chargeId !== undefined);
  const doubleCharged = ledger.filter((entry) => entry.charges > 1).map((entry) => `${entry.purchaseId} was charged ${entry.charges} times`);

  // 3. Every charge settled: exactly one of an invoice (purchase confirmed) or a refund, never both;
  //    and no invoice stands without a charge of a confirmed purchase.
  const chargedIds = new Set(charged.map((entry) => entry.purchaseId));
  const unsettled = [
    ...charged
      .filter((entry) => {
        const refunded = entry.status === LEDGER_STATUS.refunded;
        const standingInvoice = invoiced.has(entry.purchaseId);
        const confirmed = purchaseById.get(entry.purchaseId)?.status === 'CONFIRMED';
        return !(refunded ? !standingInvoice : standingInvoice && confirmed);
      })
      .map((entry) => `${entry.purchaseId}: ${entry.status ?? 'no status'}, invoice ${invoiced.has(entry.purchaseId) ? 'yes' : 'no'}, purchase ${purchaseById.get(entry.purchaseId)?.status ?? 'missing'}`),
    ...[...invoiced].filter((purchaseId) => !chargedIds.has(purchaseId)).map((purchaseId) => `${purchaseId}: an invoice stands without a charge`),
  ];

  // 4. No leaked holds: once the queue drained, no seat is still HELD.
  const leakedHolds = seats.filter((seat) => seat.status === SEAT_STATUS.held).map((seat) => `${seat.seatId} still HELD by ${seat.holderPurchaseId ?? '?'}`);

  // 5. One terminal event per purchase (a step that ran twice publishes the same eventId twice: that is one event).
  const terminalTypes = new Set([PurchaseConfirmedEvent.detailType, PurchaseFailedEvent.detailType]);
  const terminalEvents = groupBy(
    events.filter((event) => terminalTypes.has(event.type)).map((event) => eventDetailSchema.parse(event.detail)),
    (detail) => detail.purchaseId,
  );
  const terminalProblems = [...accepted]
    .map((purchaseId) => ({ purchaseId, eventIds: new Set((terminalEvents.get(purchaseId) ?? []).map((d) => d.eventId)) }))
    .filter(({ eventIds }) => eventIds.size !== 1)
    .map(({ purchaseId, eventIds }) => `${purchaseId} has ${eventIds.size} terminal events`);

  // 6. Every accepted purchase reached a terminal state, and so did its execution.
  const executionByName = new Map((input.executions ?? []).map((execution) => [execution.name, execution]));
  const notTerminal = [...accepted].flatMap((purchaseId) => {
    const status = purchaseById.get(purchaseId)?.status ?? 'missing';
    if (status !== 'CONFIRMED' && status !== 'FAILED') return [`${purchaseId} is ${status}`];
    if (!input.executions) return [];
    const execution = executionByName.get(purchaseId);
    if (!execution) return [`${purchaseId} is ${status} but has no execution`];
    return execution.status === 'RUNNING' ? [`${purchaseId} is ${status} but its execution is still RUNNING`] : [];
  });

  return [
    result(1, 'no oversell', oversold, `${soldCount} seats sold of ${seats.length}, each to exactly one confirmed purchase`),
    result(2, 'no double charge', doubleCharged, `${charged.length} charges, at most one per purchase`),
    result(3, 'every charge settled', unsettled, `${charged.length} charges, each with exactly one invoice or one refund`),
    result(4, 'no leaked holds', leakedHolds, 'no seat is still HELD'),
    result(5, 'one terminal event per purchase', terminalProblems, `${accepted.size} purchases, one terminal event each`),
    ...(input.replay ? [checkReplayLeavesProjections(input.replay)] : []),
    result(6, 'every accepted purchase is terminal', notTerminal, `${accepted.size} purchases CONFIRMED or FAILED${input.executions ? ', each execution ended' : ''}`),
    ...(input.badRequests ? [checkBadInputRefused(input.badRequests, purchases, input.executions)] : []),
    ...(input.executions ? [checkNoExecutionNeedsAPerson(accepted, input.executions)] : []),
  ];
};

/** What a FAILED, TIMED_OUT or ABORTED execution means: the machine could not settle the purchase and a person must act. */
const NEEDS_A_PERSON = new Set(['FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

/** 8. No transient fault needs a person: every execution of an accepted purchase ended other than FAILED, TIMED_OUT or ABORTED. */
const checkNoExecutionNeedsAPerson = (accepted: ReadonlySet<string>, executions: readonly ExecutionRecord[]): InvariantResult => {
  const ours = executions.filter((execution) => accepted.has(execution.name));
  const offenders = ours.filter((execution) => NEEDS_A_PERSON.has(execution.status)).map((execution) => `${execution.name} ended ${execution.status}`);
  const byStatus = groupBy(ours, (execution) => execution.status);
  const mix = [...byStatus].map(([status, group]) => `${group.length} ${status}`).join(', ');
  return result(8, 'no execution needs a person', offenders, `${ours.length} executions: ${mix || 'none'}`);
};

const HTTP_CLIENT_ERROR = { from: 400, to: 499 } as const;
const errorBodySchema = z.union([z.object({ error: z.string().min(1) }).loose(), z.object({ message: z.string().min(1) }).loose()]);
const sameSeats = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** 7. Bad input gets a clear 4xx with a JSON error body and changes nothing: no purchase, no execution, the key's owner untouched. */
const checkBadInputRefused = (
  badRequests: readonly BadRequestRecord[],
  purchases: readonly z.infer<typeof purchaseRowSchema>[],
  executions: readonly ExecutionRecord[] | undefined,
): InvariantResult => {
  const offenders: string[] = [];
  const executionNames = new Set((executions ?? []).map((execution) => execution.name));
  const purchaseById = new Map(purchases.map((purchase) => [purchase.purchaseId, purchase]));
  for (const request of badRequests) {
    const label = `${request.kind}${request.idempotencyKey ? ` (${request.idempotencyKey})` : ''}`;
    if (request.status < HTTP_CLIENT_ERROR.from || request.status > HTTP_CLIENT_ERROR.to) offenders.push(`${label} got ${request.status}, not a 4xx`);
    else if (!errorBodySchema.safeParse(request.json).success) offenders.push(`${label} got ${request.status} without a JSON error body`);
    if (request.keyOwner) {
      const owner = purchaseById.get(request.keyOwner.purchaseId);
      if (owner && !sameSeats(owner.seatIds, request.keyOwner.seatIds)) offenders.push(`${label} changed purchase ${owner.purchaseId}'s seats to ${owner.seatIds.join(',')}`);
      continue;
    }
    const created = purchases.filter(
      (purchase) =>
        purchase.purchaseId === request.purchaseId ||
        (request.buyerId !== undefined && purchase.buyerId === request.buyerId) ||
        (request.idempotencyKey !== undefined && purchase.idempotencyKey === request.idempotencyKey),
    );
    for (const purchase of created) offenders.push(`${label} created purchase ${purchase.purchaseId} (${purchase.status})`);
    if (request.purchaseId !== undefined && executionNames.has(request.purchaseId)) offenders.push(`${label} started execution ${request.purchaseId}`);
  }
  const kinds = [...groupBy(badRequests, (request) => request.kind)].map(([kind, group]) => `${group.length} ${kind}`).join(', ');
  return result(7, 'bad input refused and changes nothing', offenders, `${badRequests.length} bad requests (${kinds || 'none'}), each a 4xx with a JSON error, nothing created`);
};

const SHOWN_VALUE_CHARS = 40;

const parsedItem = (json: string | undefined): Record<string, unknown> => {
  if (json === undefined) return {};
  const value: unknown = JSON.parse(json);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
};

/** "status QUEUED -> FAILED, updatedAt": which fields of an item changed, with short values shown. */
const describeChange = (was: string | undefined, is: string | undefined): string => {
  if (was === undefined) return 'appeared';
  if (is === undefined) return 'disappeared';
  const before = parsedItem(was);
  const after = parsedItem(is);
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return fields
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => {
      const from = JSON.stringify(before[field]) ?? 'absent';
      const to = JSON.stringify(after[field]) ?? 'absent';
      return from.length + to.length <= SHOWN_VALUE_CHARS ? `${field} ${from} -> ${to}` : field;
    })
    .join(', ');
};

/** 5. Replaying the archive twice leaves every projection unchanged: each snapshot after a replay equals the one before, but for the items a dead-lettered event names. */
export const checkReplayLeavesProjections = (replay: ReplaySnapshots): InvariantResult => {
  const offenders: string[] = [];
  const repaired = new Set<string>();
  replay.afterReplays.forEach((after, index) => {
    const keys = new Set([...Object.keys(replay.before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) {
      const was = replay.before[key];
      const is = after[key];
      if (was === is) continue;
      if (replay.repairable?.has(key)) repaired.add(key);
      else offenders.push(`after replay ${index + 1}, ${key} changed: ${describeChange(was, is)}`);
    }
  });
  const unchanged = Object.keys(replay.before).length - repaired.size;
  const repairs = repaired.size === 0 ? '' : `; ${repaired.size} repaired by the replay, each named by an event its rule had dead-lettered (${[...repaired].sort().join(', ')})`;
  return result(5, 'replaying the archive twice leaves every projection unchanged', offenders, `${unchanged} projection items unchanged by ${replay.afterReplays.length} replays${repairs}`);
};
