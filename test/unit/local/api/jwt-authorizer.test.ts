import { createLocalJWKSet, SignJWT, type JWTPayload } from 'jose';
import { createJwtAuthorizer, UnsupportedIdentitySourceError, type AuthorizerRequest } from '#local/api/jwt-authorizer';
import { LocalIssuer } from '#local/auth/local-issuer';
import { loadOrCreateSigningKey, type SigningKey } from '#local/auth/signing-key';

const ISSUER = 'http://127.0.0.1:4599';
const AUDIENCE = 'ticketing-api';
const NOW_MS = Date.parse('2026-03-01T10:00:00Z');
const NOW = NOW_MS / 1000;

const withAuthorization = (value: string): AuthorizerRequest => ({ headers: { authorization: value }, queryStringParameters: {} });

describe('the JWT authorizer', () => {
  let key: SigningKey;
  let otherKey: SigningKey;

  beforeAll(async () => {
    [key, otherKey] = await Promise.all([loadOrCreateSigningKey(), loadOrCreateSigningKey()]);
  });

  /** A token with the claims a good token has, overridden by `claims`, signed by `signer`. */
  const token = (claims: JWTPayload = {}, options: { signer?: SigningKey; header?: Record<string, unknown> } = {}) => {
    const signer = options.signer ?? key;
    return new SignJWT({ iss: ISSUER, sub: 'buyer-1', aud: AUDIENCE, iat: NOW - 60, nbf: NOW - 60, exp: NOW + 3_600, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: signer.kid, ...options.header })
      .sign(signer.privateKey);
  };

  const authorizer = (overrides: { audience?: string[]; identitySource?: string[] } = {}) =>
    createJwtAuthorizer(
      { issuer: ISSUER, audience: overrides.audience ?? [AUDIENCE], identitySource: overrides.identitySource },
      new LocalIssuer(ISSUER, key).keySet,
      () => NOW_MS,
    );

  it('allows a valid token and hands over its claims as strings, as API Gateway does', async () => {
    // Prepare
    const bearer = `Bearer ${await token({ groups: ['buyers', 'vip'], age: 42 })}`;

    // Act
    const result = await authorizer().authorize(withAuthorization(bearer));

    // Assess
    expect(result).toEqual({
      allowed: true,
      scopes: null,
      claims: expect.objectContaining({ sub: 'buyer-1', iss: ISSUER, aud: AUDIENCE, exp: String(NOW + 3_600), groups: '[buyers vip]', age: '42' }),
    });
  });

  it('accepts the token without the Bearer prefix', async () => {
    // Act
    const result = await authorizer().authorize(withAuthorization(await token()));

    // Assess
    expect(result.allowed).toBe(true);
  });

  it('reads the token from the query string when that is the identity source', async () => {
    // Prepare
    const request: AuthorizerRequest = { headers: {}, queryStringParameters: { access_token: await token() } };

    // Act
    const result = await authorizer({ identitySource: ['$request.querystring.access_token'] }).authorize(request);

    // Assess
    expect(result.allowed).toBe(true);
  });

  it('accepts client_id as the audience when the token has no aud', async () => {
    // Act
    const result = await authorizer().authorize(withAuthorization(await token({ aud: undefined, client_id: AUDIENCE })));

    // Assess
    expect(result.allowed).toBe(true);
  });

  it.each([
    ['no token', async () => ({ headers: {}, queryStringParameters: {} }), 'no token in the identity source'],
    ['a token that is not a JWT', async () => withAuthorization('Bearer not-a-jwt'), 'the token is not a JWT'],
    ['a token without kid', async () => withAuthorization(await token({}, { header: { kid: undefined } })), 'the token has no kid'],
    ['a token signed by another key', async () => withAuthorization(await token({}, { signer: otherKey, header: { kid: key.kid } })), 'the token signature is not valid'],
    ['a token from another issuer', async () => withAuthorization(await token({ iss: 'https://elsewhere.example' })), "the token's iss claim is not valid"],
    ['a token for another audience', async () => withAuthorization(await token({ aud: 'other-api' })), 'the token does not have a valid audience'],
    ['an aud that does not match, even with a matching client_id', async () => withAuthorization(await token({ aud: 'other-api', client_id: AUDIENCE })), 'the token does not have a valid audience'],
    ['an expired token', async () => withAuthorization(await token({ exp: NOW - 1 })), 'the token has expired'],
    ['a token without exp', async () => withAuthorization(await token({ exp: undefined })), "the token's exp claim is not valid"],
    ['a token not valid yet (nbf)', async () => withAuthorization(await token({ nbf: NOW + 60 })), "the token's nbf claim is not valid"],
    ['a token issued in the future (iat)', async () => withAuthorization(await token({ iat: NOW + 60, nbf: NOW - 60 })), 'the token is issued in the future'],
  ])('rejects %s with 401', async (_case, request, reason) => {
    // Act
    const result = await authorizer().authorize(await request());

    // Assess
    expect(result).toEqual({ allowed: false, statusCode: 401, reason });
  });

  it('rejects a token signed with a shared secret (API Gateway verifies RSA signatures only)', async () => {
    // Prepare
    const secret = new TextEncoder().encode('a-shared-secret-of-thirty-two-bytes!');
    const hs256 = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, exp: NOW + 60 }).setProtectedHeader({ alg: 'HS256', kid: 'shared' }).sign(secret);
    const keys = createLocalJWKSet({ keys: [{ kty: 'oct', k: Buffer.from(secret).toString('base64url'), kid: 'shared', alg: 'HS256' }] });

    // Act
    const result = await createJwtAuthorizer({ issuer: ISSUER, audience: [AUDIENCE] }, keys, () => NOW_MS).authorize(withAuthorization(hs256));

    // Assess
    expect(result).toMatchObject({ allowed: false, statusCode: 401 });
  });

  it('forbids (403) a valid token without one of the scopes the route requires', async () => {
    // Act
    const result = await authorizer().authorize(withAuthorization(await token({ scope: 'purchases/read' })), ['purchases/write']);

    // Assess
    expect(result).toEqual({ allowed: false, statusCode: 403, reason: 'the token does not have a scope the route requires' });
  });

  it('allows a token with one of the route scopes and reports its scopes', async () => {
    // Act
    const result = await authorizer().authorize(withAuthorization(await token({ scope: 'purchases/read purchases/write' })), ['purchases/write', 'admin']);

    // Assess
    expect(result).toMatchObject({ allowed: true, scopes: ['purchases/read', 'purchases/write'] });
  });

  it('refuses at startup an identity source it cannot read', () => {
    // Act
    const creating = () => authorizer({ identitySource: ['$context.identity.sourceIp'] });

    // Assess
    expect(creating).toThrow(UnsupportedIdentitySourceError);
  });
});
