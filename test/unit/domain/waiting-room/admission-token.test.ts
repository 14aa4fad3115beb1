import { randomBytes } from 'node:crypto';
import { checkAdmissionToken, signAdmissionToken } from '#domain/waiting-room/admission-token';

const KEY = randomBytes(32).toString('base64');
const NOW = new Date('2027-06-28T18:00:00Z');
const CLAIMS = { concertId: 'rock-night', buyerId: 'buyer-1', expiresAt: NOW.getTime() / 1_000 + 600 };
const expected = { keyBase64: KEY, concertId: 'rock-night', buyerId: 'buyer-1', now: NOW };

describe('admission tokens', () => {
  it('admit the buyer they were signed for, until they expire', () => {
    // Act
    const check = checkAdmissionToken(signAdmissionToken(KEY, CLAIMS), expected);

    // Assess
    expect(check).toEqual({ kind: 'admitted', expiresAt: new Date((CLAIMS.expiresAt) * 1_000) });
  });

  it('are refused as expired from their expiry on', () => {
    // Act
    const check = checkAdmissionToken(signAdmissionToken(KEY, CLAIMS), { ...expected, now: new Date(CLAIMS.expiresAt * 1_000) });

    // Assess
    expect(check.kind).toBe('expired');
  });

  it.each([
    ['another buyer', { ...expected, buyerId: 'buyer-2' }],
    ['another concert', { ...expected, concertId: 'jazz-night' }],
    ['another key', { ...expected, keyBase64: randomBytes(32).toString('base64') }],
  ])('are invalid for %s', (_, other) => {
    // Act
    const check = checkAdmissionToken(signAdmissionToken(KEY, CLAIMS), other);

    // Assess
    expect(check.kind).toBe('invalid');
  });

  it('are invalid once their claims are changed', () => {
    // Arrange: a longer admission, with the signature of the real one.
    const [version, , signature] = signAdmissionToken(KEY, CLAIMS).split('.');
    const forged = Buffer.from(JSON.stringify({ ...CLAIMS, expiresAt: CLAIMS.expiresAt + 3_600 })).toString('base64url');

    // Act
    const check = checkAdmissionToken(`${version}.${forged}.${signature}`, expected);

    // Assess
    expect(check.kind).toBe('invalid');
  });

  it.each([[undefined], ['']])('are missing when none is sent (%p)', (token) => {
    // Act and assess
    expect(checkAdmissionToken(token, expected).kind).toBe('missing');
  });

  it('are invalid when they are not tokens at all', () => {
    // Act and assess
    expect(checkAdmissionToken('not-a-token', expected).kind).toBe('invalid');
  });
});
