import type { BestAvailable, SagaInput } from '#domain/saga-input';
import { domainEvent } from '#events/event-definition';
import { eventIdFor } from '#events/metadata';
import type { PublishEvents } from '#events/publisher';
import { PurchaseRequestedEvent } from '#events/purchase-requested';
import { PurchaseRequestedV2Event } from '#events/purchase-requested-v2';
import { STATUS_RANK, type PurchaseRecord, type StoredPurchase } from './purchase.ts';
import { bestAvailableOf, maskPaymentToken, purchaseIdFor, requestHashOf, type PurchaseRequest } from './purchase-request.ts';
import { pendingStartMarker } from './pending-start.ts';
import type { EnqueuePurchase, FindUnknownSeats, PurchaseStore } from './ports.ts';

export interface PlacePurchaseCommand {
  readonly buyerId: string;
  readonly request: PurchaseRequest;
  readonly idempotencyKey?: string;
  readonly correlationId: string;
}

/** The price bands of a concert (none for a concert created before bands were kept), or undefined when the concert does not exist. */
type ConcertPriceBands = (concertId: string) => Promise<readonly string[] | undefined>;

export interface PlacePurchaseDependencies {
  readonly purchases: PurchaseStore;
  /** The concert's price band names ("A-E"), or undefined when there is no such concert. */
  readonly concertPriceBands: ConcertPriceBands;
  readonly unknownSeats: FindUnknownSeats;
  readonly enqueue: EnqueuePurchase;
  readonly publish: PublishEvents;
  readonly now: () => Date;
  readonly newPurchaseId: () => string;
}

export type PlacePurchaseOutcome =
  | {
      readonly kind: 'accepted';
      readonly purchaseId: string;
      /** True when an earlier request with the same idempotency key created the purchase. */
      readonly replayed: boolean;
      /** Set when PurchaseRequested could not be published after the purchase was queued. */
      readonly publishError?: unknown;
      /** Set when the message could not be sent: the recorded purchase waits for the sweeper instead. */
      readonly enqueueError?: unknown;
    }
  | { readonly kind: 'concertNotFound'; readonly concertId: string }
  | { readonly kind: 'unknownSeats'; readonly concertId: string; readonly seatIds: readonly string[] }
  | { readonly kind: 'unknownPriceBand'; readonly concertId: string; readonly priceBand: string; readonly priceBands: readonly string[] }
  | { readonly kind: 'idempotencyKeyReused'; readonly purchaseId: string };

/** How the buyer asked for seats: exactly one of the two fields. */
const asked = (seatIds: readonly string[] | undefined, bestAvailable: BestAvailable | undefined) =>
  bestAvailable === undefined ? { seatIds: [...(seatIds ?? [])] } : { bestAvailable: { ...bestAvailable } };

const newRecord = (command: PlacePurchaseCommand, purchaseId: string, now: Date): PurchaseRecord => {
  const createdAt = now.toISOString();
  return {
    purchaseId,
    buyerId: command.buyerId,
    concertId: command.request.concertId,
    ...asked(command.request.seatIds, bestAvailableOf(command.request)),
    paymentToken: command.request.paymentToken,
    paymentRef: maskPaymentToken(command.request.paymentToken),
    ...(command.idempotencyKey === undefined ? {} : { idempotencyKey: command.idempotencyKey }),
    requestHash: requestHashOf(command.request),
    correlationId: command.correlationId,
    createdAt,
    updatedAt: createdAt,
    status: 'QUEUED',
    statusRank: STATUS_RANK.QUEUED,
    ...pendingStartMarker(purchaseId, createdAt),
  };
};

/** What the queue and the event need; taken from the stored purchase when a retry finds one. */
interface QueuedPurchase extends SagaInput {
  readonly paymentRef: string;
  readonly createdAt: string;
}

const queuedFromRecord = (record: PurchaseRecord): QueuedPurchase => ({
  purchaseId: record.purchaseId,
  buyerId: record.buyerId,
  concertId: record.concertId,
  ...asked(record.seatIds, record.bestAvailable),
  correlationId: record.correlationId,
  paymentRef: record.paymentRef,
  createdAt: record.createdAt,
});

/** The same request arrived again: rebuild what the first one sent, from what it stored. */
const queuedFromStored = (stored: StoredPurchase, fresh: PurchaseRecord): QueuedPurchase => ({
  ...queuedFromRecord(fresh),
  // The same request hash means the same seats or the same quantity; only a request naming seats may differ in their order.
  ...(fresh.bestAvailable === undefined ? { seatIds: stored.seatIds ?? fresh.seatIds } : {}),
  correlationId: stored.correlationId ?? fresh.correlationId,
  paymentRef: stored.paymentRef ?? fresh.paymentRef,
  createdAt: stored.createdAt ?? fresh.createdAt,
});

const isSameRequest = (stored: StoredPurchase, fresh: PurchaseRecord) =>
  stored.buyerId === fresh.buyerId && stored.requestHash === fresh.requestHash;

const requestMetadata = (queued: QueuedPurchase, detailType: string) => ({
  eventId: eventIdFor(queued.purchaseId, detailType),
  purchaseId: queued.purchaseId,
  concertId: queued.concertId,
  // The request time, so a re-published event is the same event.
  occurredAt: queued.createdAt,
  correlationId: queued.correlationId,
  buyerId: queued.buyerId,
  paymentRef: queued.paymentRef,
});

/** v1 for seats named, as always; v2 only for what v1 cannot say, a request for the best available seats. */
const purchaseRequested = (queued: QueuedPurchase) =>
  queued.bestAvailable === undefined
    ? domainEvent(PurchaseRequestedEvent, { ...requestMetadata(queued, PurchaseRequestedEvent.detailType), seatIds: [...(queued.seatIds ?? [])] })
    : domainEvent(PurchaseRequestedV2Event, {
        ...requestMetadata(queued, PurchaseRequestedV2Event.detailType),
        bestAvailable: { ...queued.bestAvailable },
      });

const sagaInputOf = ({ purchaseId, buyerId, concertId, seatIds, bestAvailable, correlationId }: QueuedPurchase): SagaInput => ({
  purchaseId,
  buyerId,
  concertId,
  ...asked(seatIds, bestAvailable),
  correlationId,
});

/** The band the buyer asked for, when the concert has no band of that name. */
const unknownBand = (request: PurchaseRequest, priceBands: readonly string[]): string | undefined =>
  request.priceBand !== undefined && !priceBands.includes(request.priceBand) ? request.priceBand : undefined;

/**
 * Records a buyer's purchase request (QUEUED) and hands it to the saga.
 *
 * Order matters: the conditional put comes first so nothing reaches the queue
 * for a request that was refused (an unknown concert, band or seat is refused
 * before anything is written), and a retried request (same idempotency
 * key, same body) re-sends the message and the event, which heals a crash
 * between the steps; the starter and every consumer are idempotent.
 */
export const placePurchase = async (
  deps: PlacePurchaseDependencies,
  command: PlacePurchaseCommand,
): Promise<PlacePurchaseOutcome> => {
  const { concertId } = command.request;
  const priceBands = await deps.concertPriceBands(concertId);
  if (priceBands === undefined) return { kind: 'concertNotFound', concertId };
  const priceBand = unknownBand(command.request, priceBands);
  if (priceBand !== undefined) return { kind: 'unknownPriceBand', concertId, priceBand, priceBands };
  const unknownSeats = command.request.seatIds === undefined ? [] : await deps.unknownSeats(concertId, command.request.seatIds);
  if (unknownSeats.length > 0) return { kind: 'unknownSeats', concertId, seatIds: unknownSeats };

  const purchaseId =
    command.idempotencyKey === undefined ? deps.newPurchaseId() : purchaseIdFor(command.buyerId, command.idempotencyKey);
  const record = newRecord(command, purchaseId, deps.now());

  let queued = queuedFromRecord(record);
  let replayed = false;
  if ((await deps.purchases.create(record)) === 'exists') {
    const stored = await deps.purchases.find(purchaseId);
    if (!stored || !isSameRequest(stored, record)) return { kind: 'idempotencyKeyReused', purchaseId };
    queued = queuedFromStored(stored, record);
    replayed = true;
  }

  let enqueueError: unknown;
  try {
    await deps.enqueue(sagaInputOf(queued));
  } catch (error) {
    // The record carries the waiting-to-start marker: the sweeper queues it again after its window, so it still runs.
    enqueueError = error;
  }
  const sendFailure = enqueueError === undefined ? {} : { enqueueError };
  try {
    await deps.publish([purchaseRequested(queued)]);
  } catch (publishError) {
    // The purchase is queued and will run: a 5xx now would invite the buyer to buy twice.
    return { kind: 'accepted', purchaseId, replayed, publishError, ...sendFailure };
  }
  return { kind: 'accepted', purchaseId, replayed, ...sendFailure };
};
