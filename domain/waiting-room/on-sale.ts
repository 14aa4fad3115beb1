import * as z from 'zod';
import { priceBandNameSchema } from '#events/metadata';

/**
 * A concert's on-sale configuration: the `onSale` attribute of its concerts
 * item. A concert without one is not gated: anyone may buy at any time.
 */
export const onSaleSchema = z.object({
  /** When the line opens: arrivals before it wait in the pre-queue and are shuffled at this time. */
  startsAt: z.iso.datetime({ offset: true }),
  /** Buyers the admitter lets in per run of its schedule (every minute on AWS). */
  admissionsPerMinute: z.number().int().min(1).max(100_000),
  /** Admissions that may be live at once; the admitter waits while this many have not expired. */
  maxActiveBuyers: z.number().int().min(1).max(1_000_000),
  /** How long an admission (and its token) lasts. */
  admissionTtlSeconds: z.number().int().min(30).max(24 * 60 * 60),
});
export type OnSale = z.infer<typeof onSaleSchema>;

/**
 * The concerts item's attributes the waiting room adds. The key is a
 * top-level attribute of its own, apart from `onSale`, because IAM narrows
 * reads by top-level attribute: only the token's signer and its verifier
 * (create-purchase) may read it (infra/constructs/table-access.ts).
 */
export const ON_SALE_ATTRIBUTE = 'onSale';
export const ADMISSION_KEY_ATTRIBUTE = 'admissionKey';
/** The catalog's price bands: create-purchase checks a requested band in the same read as the gate. */
export const PRICE_BANDS_ATTRIBUTE = 'priceBands';

/** A base64 HMAC key of 32 random bytes. */
const admissionKeySchema = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64');

/** What the waiting room reads of a concert item; the rest of the item is the catalog's. */
export const gatedConcertSchema = z.object({
  concertId: z.string(),
  [ON_SALE_ATTRIBUTE]: onSaleSchema.optional(),
  [ADMISSION_KEY_ATTRIBUTE]: admissionKeySchema.optional(),
  [PRICE_BANDS_ATTRIBUTE]: z.array(priceBandNameSchema).optional(),
});
export type GatedConcert = z.infer<typeof gatedConcertSchema>;
