import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/**
 * An admission token: proof, signed by the waiting room, that a buyer may
 * buy tickets for a concert until a time.
 *
 * HMAC-SHA256 with a key per concert, generated when its on-sale is
 * configured and kept in the concert's item: create-purchase already reads
 * that item, so checking a token costs no call, and the local runtime needs
 * no key service it does not have (Secrets Manager, KMS). Rotating the key
 * (configuring the on-sale with a new one) voids every token of the concert.
 *
 * Shape: `v1.<payload>.<signature>`, both base64url, the payload JSON.
 */
const TOKEN_VERSION = 'v1';

const claimsSchema = z.object({
  concertId: z.string().min(1),
  buyerId: z.string().min(1),
  /** Epoch seconds after which the admission no longer counts. */
  expiresAt: z.number().int().positive(),
});
export type AdmissionClaims = z.infer<typeof claimsSchema>;

const signatureOf = (keyBase64: string, payload: string): Buffer =>
  createHmac('sha256', Buffer.from(keyBase64, 'base64')).update(`${TOKEN_VERSION}.${payload}`).digest();

export const signAdmissionToken = (keyBase64: string, claims: AdmissionClaims): string => {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${TOKEN_VERSION}.${payload}.${signatureOf(keyBase64, payload).toString('base64url')}`;
};

export type AdmissionCheck =
  | { readonly kind: 'admitted'; readonly expiresAt: Date }
  | { readonly kind: 'missing' }
  /** Not ours, tampered with, or another buyer's or concert's. */
  | { readonly kind: 'invalid' }
  | { readonly kind: 'expired'; readonly expiredAt: Date };

const TOKEN_SHAPE = /^v1\.([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{43})$/;

const parseClaims = (payload: string): AdmissionClaims | undefined => {
  try {
    const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

/** Whether `token` admits this buyer to this concert at `now`. The signature is checked before anything it signs is believed. */
export const checkAdmissionToken = (
  token: string | undefined,
  expected: { readonly keyBase64: string; readonly concertId: string; readonly buyerId: string; readonly now: Date },
): AdmissionCheck => {
  if (token === undefined || token === '') return { kind: 'missing' };
  const match = TOKEN_SHAPE.exec(token);
  if (!match?.[1] || !match[2]) return { kind: 'invalid' };
  const [, payload, signature] = match;
  const given = Buffer.from(signature, 'base64url');
  const wanted = signatureOf(expected.keyBase64, payload);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { kind: 'invalid' };
  const claims = parseClaims(payload);
  if (!claims || claims.concertId !== expected.concertId || claims.buyerId !== expected.buyerId) return { kind: 'invalid' };
  const expiresAt = new Date(claims.expiresAt * 1_000);
  return expected.now.getTime() >= expiresAt.getTime() ? { kind: 'expired', expiredAt: expiresAt } : { kind: 'admitted', expiresAt };
};
