import { z } from 'zod';
import type { EventDefinition } from '#events/event-definition';
import { InvoiceCreatedEvent } from '#events/invoice-created';
import { InvoiceVoidedEvent } from '#events/invoice-voided';
import { PaymentChargedEvent } from '#events/payment-charged';
import { PaymentRefundedEvent } from '#events/payment-refunded';
import { PurchaseConfirmedEvent } from '#events/purchase-confirmed';
import { PurchaseFailedEvent } from '#events/purchase-failed';
import { PurchaseRequestedEvent } from '#events/purchase-requested';
import { SeatsReleasedEvent } from '#events/seats-released';
import { SeatsReservedEvent } from '#events/seats-reserved';
import { STATES, type TaskStateName } from '#workflows/purchase-saga';
import type { CompensationReport } from './compensation.ts';
import type { ExecutionTimeline } from './execution-timeline.ts';
import type { ArchivedEvent, PurchaseRecord } from './ports.ts';

/** A domain event of one purchase, read from the archive or inferred from the execution. */
export interface PurchaseEventLine {
  readonly time: Date;
  readonly detailType: string;
  readonly source: string;
  /** The facts worth a glance: amounts, ids, the failure reason. */
  readonly summary: string;
  /** From the archive: the event itself, for --json. */
  readonly detail?: unknown;
}

/** The event each step publishes after its write (see the saga definition's header). */
const STEP_EVENTS: Readonly<Record<TaskStateName, EventDefinition>> = {
  [STATES.reserveSeats]: SeatsReservedEvent,
  [STATES.chargePayment]: PaymentChargedEvent,
  [STATES.createInvoice]: InvoiceCreatedEvent,
  [STATES.confirmPurchase]: PurchaseConfirmedEvent,
  [STATES.voidInvoice]: InvoiceVoidedEvent,
  [STATES.refundPayment]: PaymentRefundedEvent,
  [STATES.releaseSeats]: SeatsReleasedEvent,
  [STATES.recordPurchaseFailure]: PurchaseFailedEvent,
};

const moneySchema = z.object({ amount: z.number(), currency: z.string() });
const summarySchema = z.object({
  seats: z.array(z.unknown()).optional(),
  seatIds: z.array(z.unknown()).optional(),
  total: moneySchema.optional(),
  amount: moneySchema.optional(),
  invoiceId: z.string().optional(),
  chargeId: z.string().optional(),
  refundId: z.string().optional(),
  reason: z.string().optional(),
  failedStep: z.string().optional(),
});

export const formatMoney = (money: { amount: number; currency: string }) => `${(money.amount / 100).toFixed(2)} ${money.currency}`;

const summarizeDetail = (detail: unknown): string => {
  const parsed = summarySchema.safeParse(detail);
  if (!parsed.success) return '';
  const facts = parsed.data;
  const seatCount = (facts.seats ?? facts.seatIds)?.length;
  const money = facts.total ?? facts.amount;
  return [
    facts.reason && `${facts.reason}${facts.failedStep ? ` at ${facts.failedStep}` : ''}`,
    seatCount !== undefined && `${seatCount} seat${seatCount === 1 ? '' : 's'}`,
    money && formatMoney(money),
    facts.invoiceId && `invoice ${facts.invoiceId}`,
    facts.chargeId && `charge ${facts.chargeId}`,
    facts.refundId && `refund ${facts.refundId}`,
  ]
    .filter((fact): fact is string => typeof fact === 'string' && fact.length > 0)
    .join(', ');
};

export const fromArchive = (events: readonly ArchivedEvent[]): PurchaseEventLine[] =>
  events.map((event) => ({ time: event.time, detailType: event.detailType, source: event.source, summary: summarizeDetail(event.detail), detail: event.detail }));

const isTaskState = (name: string): name is TaskStateName => name in STEP_EVENTS;

/**
 * Where the archive cannot be read (AWS has no API for it), the events are
 * inferred: each step publishes its event once its write succeeded, and the
 * API published PurchaseRequested when it recorded the purchase. VoidInvoice
 * and RefundPayment publish only when there was something to undo.
 */
export const inferFromExecution = (
  purchase: PurchaseRecord | undefined,
  timeline: ExecutionTimeline | undefined,
  compensation: CompensationReport,
): PurchaseEventLine[] => {
  const requested: PurchaseEventLine[] =
    purchase?.createdAt && !Number.isNaN(Date.parse(purchase.createdAt))
      ? [{ time: new Date(purchase.createdAt), detailType: PurchaseRequestedEvent.detailType, source: PurchaseRequestedEvent.source, summary: summarizeDetail({ seatIds: purchase.seatIds }) }]
      : [];
  const nothingToUndo = new Set(compensation.steps.filter((step) => step.voided === false || step.refunded === false).map((step) => step.name));
  const published = (timeline?.steps ?? []).flatMap((step): PurchaseEventLine[] => {
    if (step.outcome !== 'succeeded' || !step.exitedAt || !isTaskState(step.name)) return [];
    if (nothingToUndo.has(step.name)) return [];
    const definition = STEP_EVENTS[step.name];
    return [{ time: step.exitedAt, detailType: definition.detailType, source: definition.source, summary: '' }];
  });
  return [...requested, ...published];
};
