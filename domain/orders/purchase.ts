import * as z from 'zod';
import { askedForOneWay, bestAvailableSchema } from '#domain/saga-input';
import { failureReasonSchema } from '#events/purchase-failed';
import { concertIdSchema, moneySchema, purchaseIdSchema, seatIdSchema } from '#events/metadata';

/** What a buyer sees while polling a purchase. */
const PURCHASE_STATUSES = ['QUEUED', 'RESERVED', 'PAID', 'CONFIRMED', 'FAILED'] as const;
const purchaseStatusSchema = z.enum(PURCHASE_STATUSES);
export type PurchaseStatus = z.infer<typeof purchaseStatusSchema>;

/**
 * A status only ever moves to a higher rank, so events delivered late or
 * replayed never move a purchase backwards. Both terminal statuses share the
 * top rank: once one is recorded, nothing replaces it.
 */
export const STATUS_RANK: Readonly<Record<PurchaseStatus, number>> = {
  QUEUED: 0,
  RESERVED: 1,
  PAID: 2,
  CONFIRMED: 3,
  FAILED: 3,
};

/** CONFIRMED and FAILED end a purchase: no step charges it again. */
export const isTerminalStatus = (status: PurchaseStatus): boolean => status === 'CONFIRMED' || status === 'FAILED';

/**
 * The purchase item as create-purchase writes it: with the seats the buyer
 * named, or with what a buyer asking for the best available seats asked for
 * (the status projection adds the seats ReserveSeats chose, from SeatsReserved).
 */
export const purchaseRecordSchema = z.object({
  purchaseId: purchaseIdSchema,
  buyerId: z.string().min(1),
  concertId: concertIdSchema,
  seatIds: z.array(seatIdSchema).min(1).max(10).optional(),
  bestAvailable: bestAvailableSchema.optional(),
  /**
   * Only ever stored here: ChargePayment reads it, nothing returns, logs or
   * publishes it. Removed when the purchase ends (CONFIRMED or FAILED);
   * refunds find the charge in the ledger by purchaseId, without it.
   */
  paymentToken: z.string().min(1),
  paymentRef: z.string().min(1),
  idempotencyKey: z.string().min(1).optional(),
  requestHash: z.string().min(1),
  correlationId: z.string().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  status: purchaseStatusSchema,
  statusRank: z.number().int().nonnegative(),
  /** The waiting-to-start marker (see pending-start.ts): the sweeper's index reads it. */
  pendingShard: z.string().min(1).optional(),
  pendingSince: z.iso.datetime().optional(),
}).refine(askedForOneWay, { message: 'names its seats or asks for the best available, exactly one', path: ['seatIds'] });
export type PurchaseRecord = z.infer<typeof purchaseRecordSchema>;

/**
 * The item as the status projection leaves it. Lenient on purpose: an item
 * rebuilt from replayed events can lack what only the API request carried.
 */
export const storedPurchaseSchema = z.object({
  purchaseId: purchaseIdSchema,
  buyerId: z.string().min(1).optional(),
  concertId: concertIdSchema.optional(),
  /** The seats the buyer named, or those ReserveSeats chose for a purchase by quantity. */
  seatIds: z.array(seatIdSchema).optional(),
  bestAvailable: bestAvailableSchema.optional(),
  paymentRef: z.string().optional(),
  requestHash: z.string().optional(),
  correlationId: z.string().optional(),
  createdAt: z.iso.datetime().optional(),
  updatedAt: z.iso.datetime().optional(),
  status: purchaseStatusSchema,
  statusRank: z.number().int().nonnegative(),
  total: moneySchema.optional(),
  invoiceId: z.string().optional(),
  failureReason: failureReasonSchema.optional(),
  failureMessage: z.string().optional(),
  failedStep: z.string().optional(),
  paymentRefunded: z.boolean().optional(),
  seatsReleased: z.boolean().optional(),
  pendingShard: z.string().optional(),
  pendingSince: z.iso.datetime().optional(),
  /** When a starter last claimed the purchase to start its execution. */
  startClaimedAt: z.iso.datetime().optional(),
  /** When a starter failed the purchase's message on its last receive (the message went to the DLQ). */
  startDeadLetteredAt: z.iso.datetime().optional(),
  /** How often the sweeper queued the purchase again. */
  startRequeues: z.number().int().nonnegative().optional(),
  /** When the sweeper gave up starting the purchase and failed it for the buyer; no starter may start it after. */
  startRefusedAt: z.iso.datetime().optional(),
});
export type StoredPurchase = z.infer<typeof storedPurchaseSchema>;

/**
 * The attributes a reader of a stored purchase may ask for: every one it
 * parses, which leaves out the payment token (only the charge step reads it).
 * infra grants the readers exactly these.
 */
export const STORED_PURCHASE_ATTRIBUTES: readonly string[] = Object.keys(storedPurchaseSchema.shape);
