import { errorResponse, HTTP_STATUS, type HttpResponse } from './http.ts';
import { checkAdmissionToken } from '#domain/waiting-room/admission-token';
import type { GatedConcert } from '#domain/waiting-room/on-sale';

/** The header a buyer sends their admission token in, on POST /purchases. */
export const ADMISSION_TOKEN_HEADER = 'X-Admission-Token';

const joinHint = (concertId: string) =>
  `join its waiting room (POST /concerts/${concertId}/queue), poll your ticket until ADMITTED, and send its admissionToken in the ${ADMISSION_TOKEN_HEADER} header`;

/**
 * The waiting room's gate on a purchase: nothing for a concert without an
 * on-sale, a 403 naming the waiting room for a gated concert without a valid
 * admission of this buyer. Undefined when the purchase may proceed.
 */
export const admissionRefusal = (concert: GatedConcert, buyerId: string, token: string | undefined, now: Date): HttpResponse | undefined => {
  if (concert.onSale === undefined) return undefined;
  const { concertId } = concert;
  if (concert.admissionKey === undefined) {
    // Gated with no key to check against: refusing is the only answer that does not open the gate.
    throw new Error(`Concert ${concertId} has an on-sale but no admission key`);
  }
  const check = checkAdmissionToken(token, { keyBase64: concert.admissionKey, concertId, buyerId, now });
  switch (check.kind) {
    case 'admitted':
      return undefined;
    case 'missing':
      return errorResponse(HTTP_STATUS.forbidden, 'AdmissionRequired', `Concert "${concertId}" sells through its waiting room: ${joinHint(concertId)}`);
    case 'invalid':
      return errorResponse(HTTP_STATUS.forbidden, 'AdmissionInvalid', `The ${ADMISSION_TOKEN_HEADER} is not a waiting room admission of yours for concert "${concertId}": ${joinHint(concertId)}`);
    case 'expired':
      return errorResponse(
        HTTP_STATUS.forbidden,
        'AdmissionExpired',
        `Your waiting room admission for concert "${concertId}" expired at ${check.expiredAt.toISOString()}: an expired admission cannot buy`,
      );
  }
};
