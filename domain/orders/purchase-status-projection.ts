import type * as z from 'zod';
import type { EventDefinition } from '#events/event-definition';
import { InvoiceCreatedEvent } from '#events/invoice-created';
import type { Money } from '#events/metadata';
import { PaymentChargedEvent } from '#events/payment-charged';
import { PaymentRefundedEvent } from '#events/payment-refunded';
import { PurchaseConfirmedEvent } from '#events/purchase-confirmed';
import { PurchaseFailedEvent, type FailureReason } from '#events/purchase-failed';
import { PurchaseRequestedEvent } from '#events/purchase-requested';
import { PurchaseRequestedV2Event } from '#events/purchase-requested-v2';
import { SeatsReleasedEvent } from '#events/seats-released';
import { SeatsReservedEvent } from '#events/seats-reserved';
import type { BestAvailable } from '#domain/saga-input';
import { STATUS_RANK, type PurchaseStatus } from './purchase.ts';

/**
 * The effect of one domain event on the purchase status read model, split by
 * how it may be applied so that any delivery order and any number of replays
 * converge on the same item:
 * - `baseline` only fills attributes that are missing;
 * - `statusChange` applies only when its rank is above the stored rank;
 * - `facts` are the same whichever event carries them, so they are set always.
 */
export interface PurchaseStatusUpdate {
  readonly purchaseId: string;
  readonly baseline?: PurchaseBaseline;
  readonly statusChange?: StatusChange;
  readonly facts: PurchaseFacts;
}

interface PurchaseBaseline {
  readonly buyerId: string;
  readonly concertId: string;
  /** Absent for a purchase by quantity: its seats come with SeatsReserved. */
  readonly seatIds?: readonly string[];
  readonly bestAvailable?: BestAvailable;
  readonly paymentRef: string;
  readonly correlationId: string;
  readonly createdAt: string;
}

interface StatusChange {
  readonly status: PurchaseStatus;
  readonly rank: number;
  /** When the event happened: the status's `updatedAt`. */
  readonly at: string;
  readonly failure?: { readonly reason: FailureReason; readonly message: string; readonly failedStep: string };
}

/** Flags are only ever set to true: a `false` from one event must not undo a `true` from another. */
interface PurchaseFacts {
  /** The seats held for the purchase: those it named, or those ReserveSeats chose for it. */
  readonly seatIds?: readonly string[];
  readonly total?: Money;
  readonly invoiceId?: string;
  readonly paymentRefunded?: true;
  readonly seatsReleased?: true;
}

const statusChange = (status: PurchaseStatus, at: string, failure?: StatusChange['failure']): StatusChange => ({
  status,
  rank: STATUS_RANK[status],
  at,
  ...(failure ? { failure } : {}),
});

type Projector = (detail: unknown) => PurchaseStatusUpdate;

const on = <TSchema extends z.ZodType>(
  definition: EventDefinition<TSchema>,
  project: (detail: z.output<TSchema>) => PurchaseStatusUpdate,
): [string, Projector] => [definition.detailType, (detail) => project(definition.schema.parse(detail))];

const PROJECTORS = new Map<string, Projector>([
  on(PurchaseRequestedEvent, (d) => ({
    purchaseId: d.purchaseId,
    baseline: {
      buyerId: d.buyerId,
      concertId: d.concertId,
      seatIds: d.seatIds,
      paymentRef: d.paymentRef,
      correlationId: d.correlationId,
      createdAt: d.occurredAt,
    },
    facts: {},
  })),
  on(PurchaseRequestedV2Event, (d) => ({
    purchaseId: d.purchaseId,
    baseline: {
      buyerId: d.buyerId,
      concertId: d.concertId,
      ...(d.seatIds === undefined ? {} : { seatIds: d.seatIds }),
      ...(d.bestAvailable === undefined ? {} : { bestAvailable: d.bestAvailable }),
      paymentRef: d.paymentRef,
      correlationId: d.correlationId,
      createdAt: d.occurredAt,
    },
    facts: {},
  })),
  on(SeatsReservedEvent, (d) => ({
    purchaseId: d.purchaseId,
    statusChange: statusChange('RESERVED', d.occurredAt),
    facts: { total: d.total, seatIds: d.seats.map((seat) => seat.seatId) },
  })),
  on(PaymentChargedEvent, (d) => ({
    purchaseId: d.purchaseId,
    statusChange: statusChange('PAID', d.occurredAt),
    facts: {},
  })),
  on(InvoiceCreatedEvent, (d) => ({ purchaseId: d.purchaseId, facts: { invoiceId: d.invoiceId } })),
  on(PurchaseConfirmedEvent, (d) => ({
    purchaseId: d.purchaseId,
    statusChange: statusChange('CONFIRMED', d.occurredAt),
    // The bus does not keep order: the seats come with the confirmation too, so a CONFIRMED purchase always shows them.
    facts: { invoiceId: d.invoiceId, total: d.total, seatIds: d.seats.map((seat) => seat.seatId) },
  })),
  on(PurchaseFailedEvent, (d) => ({
    purchaseId: d.purchaseId,
    statusChange: statusChange('FAILED', d.occurredAt, { reason: d.reason, message: d.message, failedStep: d.failedStep }),
    facts: {
      ...(d.paymentRefunded ? { paymentRefunded: true as const } : {}),
      ...(d.seatsReleased ? { seatsReleased: true as const } : {}),
    },
  })),
  on(PaymentRefundedEvent, (d) => ({ purchaseId: d.purchaseId, facts: { paymentRefunded: true } })),
  on(SeatsReleasedEvent, (d) => ({ purchaseId: d.purchaseId, facts: { seatsReleased: true } })),
]);

/** The update one event makes to the purchase status read model; undefined for an event it does not follow. */
export const purchaseStatusUpdateFor = (detailType: string, detail: unknown): PurchaseStatusUpdate | undefined =>
  PROJECTORS.get(detailType)?.(detail);

export const PROJECTED_PURCHASE_EVENTS: readonly string[] = [...PROJECTORS.keys()];
