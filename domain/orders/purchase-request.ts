import { createHash } from 'node:crypto';
import * as z from 'zod';
import { concertIdSchema, priceBandNameSchema, seatIdSchema } from '#events/metadata';

export const MAX_SEATS_PER_PURCHASE = 10;
const PAYMENT_TOKEN_PREFIX = 'tok_';
const MASKED_TAIL_LENGTH = 4;
/** Short tokens keep at least this many characters hidden. */
const MIN_HIDDEN_LENGTH = 3;

/** A missing field gets "is required", not zod's "expected string, received undefined". */
const requiredMessage = (otherwise: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : otherwise;

const duplicatesIn = (values: readonly string[]): string[] =>
  [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];

const paymentTokenSchema = z
  .string({ error: requiredMessage('must be a string') })
  .regex(/^tok_[a-z0-9_]{1,60}$/, 'must look like "tok_approve" (tok_ then 1-60 lowercase letters, digits or _)');

const seatIdsSchema = z
  .array(seatIdSchema, { error: 'must be an array of seat ids' })
  .min(1, 'must name at least one seat')
  .max(MAX_SEATS_PER_PURCHASE, `must name at most ${MAX_SEATS_PER_PURCHASE} seats`)
  .superRefine((seatIds, context) => {
    const duplicates = duplicatesIn(seatIds);
    if (duplicates.length > 0) context.addIssue({ code: 'custom', message: `must not repeat a seat: ${duplicates.join(', ')}` });
  });

const quantityMessage = `must be a whole number of seats from 1 to ${MAX_SEATS_PER_PURCHASE}`;
const quantitySchema = z
  .number({ error: quantityMessage })
  .int(quantityMessage)
  .min(1, quantityMessage)
  .max(MAX_SEATS_PER_PURCHASE, quantityMessage);

/**
 * The body of POST /purchases. A buyer either names the seats (`seatIds`) or
 * asks for the best available ones (`quantity`, optionally within one
 * `priceBand` of the concert, e.g. "A-E"): exactly one of the two.
 */
export const purchaseRequestSchema = z
  .object(
    {
      concertId: z.string({ error: requiredMessage('must be a string') }).pipe(concertIdSchema),
      seatIds: seatIdsSchema.optional(),
      quantity: quantitySchema.optional(),
      priceBand: priceBandNameSchema.optional(),
      paymentToken: paymentTokenSchema,
    },
    { error: 'must be a JSON object' },
  )
  .superRefine((request, context) => {
    const namesSeats = request.seatIds !== undefined;
    const asksForQuantity = request.quantity !== undefined;
    if (!namesSeats && !asksForQuantity) {
      context.addIssue({ code: 'custom', path: ['seatIds'], message: 'is required, unless quantity asks for the best available seats' });
    }
    if (namesSeats && asksForQuantity) {
      context.addIssue({ code: 'custom', path: ['quantity'], message: 'must not come with seatIds: name the seats or ask for a quantity, not both' });
    }
    if (namesSeats && request.priceBand !== undefined) {
      context.addIssue({ code: 'custom', path: ['priceBand'], message: 'only goes with quantity: seatIds already name the seats' });
    }
  });
export type PurchaseRequest = z.infer<typeof purchaseRequestSchema>;

/** Printable ASCII without spaces: safe to store, log and echo. */
const headerTokenSchema = z.string().regex(/^[\x21-\x7E]{1,128}$/, 'must be 1-128 printable characters without spaces');

/** The `Idempotency-Key` header, usually a UUID the client generated for this purchase attempt. */
export const idempotencyKeySchema = headerTokenSchema;

/** The `X-Correlation-Id` header a client may send to follow its request through logs and events. */
export const correlationIdSchema = headerTokenSchema;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** What a request for the best available seats asks for. */
export interface BestAvailableRequest {
  readonly quantity: number;
  /** The concert's band name ("A-E"); without one, the whole venue. */
  readonly priceBand?: string;
}

/** Undefined when the request names its seats. */
export const bestAvailableOf = (request: PurchaseRequest): BestAvailableRequest | undefined =>
  request.seatIds === undefined && request.quantity !== undefined
    ? { quantity: request.quantity, ...(request.priceBand === undefined ? {} : { priceBand: request.priceBand }) }
    : undefined;

/**
 * Two requests are the same request when they ask for the same seats of the
 * same concert with the same token, whatever the order of the seats; or for
 * the same quantity in the same band. A request naming seats hashes as it
 * always did, so keys stored before quantities existed still match.
 */
export const requestHashOf = (request: PurchaseRequest): string => {
  const { concertId, paymentToken } = request;
  const asked =
    request.seatIds === undefined
      ? { concertId, quantity: request.quantity, priceBand: request.priceBand ?? null, paymentToken }
      : { concertId, seatIds: [...request.seatIds].sort(), paymentToken };
  return sha256(JSON.stringify(asked)).toString('hex');
};

/**
 * The purchase id of a request that carries an idempotency key: the same
 * buyer and key always name the same purchase, so a retried POST finds the
 * purchase it created. Shaped as an RFC 9562 version 8 (custom) UUID.
 */
export const purchaseIdFor = (buyerId: string, idempotencyKey: string): string => {
  const bytes = sha256(JSON.stringify([buyerId, idempotencyKey])).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
};

/** "tok_approve" -> "tok_…rove": enough for support to recognise a test token, useless to anyone else. */
export const maskPaymentToken = (token: string): string => {
  const secret = token.startsWith(PAYMENT_TOKEN_PREFIX) ? token.slice(PAYMENT_TOKEN_PREFIX.length) : token;
  const tailLength = Math.min(MASKED_TAIL_LENGTH, secret.length - MIN_HIDDEN_LENGTH);
  return `${PAYMENT_TOKEN_PREFIX}…${tailLength > 0 ? secret.slice(-tailLength) : ''}`;
};
