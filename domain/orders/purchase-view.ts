import type { Money } from '#events/metadata';
import type { FailureReason } from '#events/purchase-failed';
import type { PurchaseStatus, StoredPurchase } from './purchase.ts';

/** What GET /purchases/{purchaseId} answers: the read model without anything secret or internal. */
export interface PurchaseView {
  readonly purchaseId: string;
  readonly status: PurchaseStatus;
  readonly concertId?: string;
  /** The seats named, or for a purchase by quantity those chosen once ReserveSeats held them. */
  readonly seatIds?: readonly string[];
  /** What a buyer asking by quantity asked for. */
  readonly bestAvailable?: { readonly quantity: number; readonly priceBand?: string };
  readonly total?: Money;
  readonly invoiceId?: string;
  readonly paymentRef?: string;
  readonly failure?: {
    readonly reason?: FailureReason;
    readonly message?: string;
    readonly failedStep?: string;
    /** Whether a charge was given back, the first thing a buyer whose purchase failed wants to know. */
    readonly paymentRefunded: boolean;
  };
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

const definedOnly = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

/**
 * The purchase as its buyer may see it, or undefined for anyone else: a
 * stranger learns nothing, not even that the purchase exists.
 */
export const purchaseViewFor = (purchase: StoredPurchase | undefined, buyerId: string): PurchaseView | undefined => {
  if (!purchase || purchase.buyerId === undefined || purchase.buyerId !== buyerId) return undefined;
  const failed = purchase.status === 'FAILED';
  return definedOnly({
    purchaseId: purchase.purchaseId,
    status: purchase.status,
    concertId: purchase.concertId,
    seatIds: purchase.seatIds,
    bestAvailable: purchase.bestAvailable,
    total: purchase.total,
    invoiceId: purchase.invoiceId,
    paymentRef: purchase.paymentRef,
    failure: failed
      ? definedOnly({
          reason: purchase.failureReason,
          message: purchase.failureMessage,
          failedStep: purchase.failedStep,
          paymentRefunded: purchase.paymentRefunded === true,
        })
      : undefined,
    createdAt: purchase.createdAt,
    updatedAt: purchase.updatedAt,
  });
};
