import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { LEDGER_STATUS, ledgerEntrySchema } from '#domain/billing/simulated-payment-provider';
import { SEAT_STATUS } from '#domain/inventory/seat';
import { PaymentChargedEvent } from '#events/payment-charged';
import { PurchaseConfirmedEvent } from '#events/purchase-confirmed';
import { PurchaseFailedEvent } from '#events/purchase-failed';

/**
 * The invariants of DESIGN.md, checked from the data the system left behind
 * (tables and the event archive), never from what the load generator believes
 * happened. Each check names the first offenders so a failure is actionable.
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

export interface InvariantInput {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tables: InvariantTables;
  /** Every event of the bus archive (replays included). */
  readonly archivedEvents: readonly ArchivedEvent[];
  /** The purchases the API accepted (202) in this run. */
  readonly purchaseIds: readonly string[];
}

export interface InvariantResult {
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
});
const invoiceRowSchema = z.object({ purchaseId: z.string() });
const eventDetailSchema = z.object({ purchaseId: z.string(), eventId: z.string() }).loose();
const chargedDetailSchema = z.object({ purchaseId: z.string(), chargeId: z.string() }).loose();

const scanAll = async <T>(client: DynamoDBDocumentClient, tableName: string, schema: z.ZodType<T>): Promise<T[]> => {
  const items: T[] = [];
  for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
    for (const item of page.Items ?? []) items.push(schema.parse(item));
  }
  return items;
};

const SHOWN_OFFENDERS = 5;
const result = (name: string, offenders: readonly string[], okDetail: string): InvariantResult => ({
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
  const invoiced = new Set(invoices.map((invoice) => invoice.purchaseId));
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

  // 2. No double charge: one ledger entry per purchase by key, so look for two different charges in the events.
  const chargeIds = groupBy(
    events.filter((event) => event.type === PaymentChargedEvent.detailType).map((event) => chargedDetailSchema.parse(event.detail)),
    (detail) => detail.purchaseId,
  );
  const doubleCharged = [...chargeIds].filter(([, details]) => new Set(details.map((d) => d.chargeId)).size > 1).map(([id]) => `${id} has several charge ids`);
  const charged = ledger.filter((entry) => entry.chargeId !== undefined);

  // 3. Every charge settled: exactly one of an invoice (purchase confirmed) or a refund.
  const unsettled = charged
    .filter((entry) => {
      const refunded = entry.status === LEDGER_STATUS.refunded;
      const invoicedAndConfirmed = invoiced.has(entry.purchaseId) && purchaseById.get(entry.purchaseId)?.status === 'CONFIRMED';
      return refunded === invoicedAndConfirmed;
    })
    .map((entry) => `${entry.purchaseId}: ${entry.status ?? 'no status'}, invoice ${invoiced.has(entry.purchaseId) ? 'yes' : 'no'}, purchase ${purchaseById.get(entry.purchaseId)?.status ?? 'missing'}`);

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

  // 6. Every accepted purchase reached a terminal state.
  const notTerminal = [...accepted]
    .map((purchaseId) => ({ purchaseId, status: purchaseById.get(purchaseId)?.status ?? 'missing' }))
    .filter(({ status }) => status !== 'CONFIRMED' && status !== 'FAILED')
    .map(({ purchaseId, status }) => `${purchaseId} is ${status}`);

  return [
    result('no oversell', oversold, `${soldCount} seats sold of ${seats.length}, each to exactly one confirmed purchase`),
    result('no double charge', doubleCharged, `${charged.length} charges, at most one per purchase`),
    result('every charge settled', unsettled, `${charged.length} charges, each with exactly one invoice or one refund`),
    result('no leaked holds', leakedHolds, 'no seat is still HELD'),
    result('one terminal event per purchase', terminalProblems, `${accepted.size} purchases, one terminal event each`),
    result('every accepted purchase is terminal', notTerminal, `${accepted.size} purchases CONFIRMED or FAILED`),
  ];
};
