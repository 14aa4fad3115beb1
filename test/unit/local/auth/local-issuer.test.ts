import { decodeProtectedHeader, jwtVerify } from 'jose';
import { LocalIssuer } from '#local/auth/local-issuer';
import { loadOrCreateSigningKey } from '#local/auth/signing-key';

const ISSUER = 'http://127.0.0.1:4599';

describe('LocalIssuer', () => {
  let issuer: LocalIssuer;

  beforeEach(async () => {
    issuer = new LocalIssuer(ISSUER, await loadOrCreateSigningKey());
  });

  it('mints a token its published keys verify, with the subject, audience and lifetime asked for', async () => {
    // Prepare
    const before = Math.floor(Date.now() / 1000);

    // Act
    const token = await issuer.mintToken({ sub: 'buyer-1', audience: 'ticketing-api', expiresIn: 3_600 });

    // Assess
    const { payload } = await jwtVerify(token, issuer.keySet, { issuer: ISSUER, audience: 'ticketing-api' });
    expect(payload.sub).toBe('buyer-1');
    expect(payload.exp! - payload.iat!).toBe(3_600);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
  });

  it('names its key in the token header, as API Gateway requires', async () => {
    // Act
    const token = await issuer.mintToken({ sub: 'buyer-1', audience: 'ticketing-api', expiresIn: '1h' });

    // Assess
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: issuer.jwks().keys[0]?.kid });
  });

  it('writes scopes as the space-separated scope claim', async () => {
    // Act
    const token = await issuer.mintToken({ sub: 'buyer-1', audience: 'ticketing-api', expiresIn: 60, scopes: ['purchases/write', 'purchases/read'] });

    // Assess
    const { payload } = await jwtVerify(token, issuer.keySet);
    expect(payload.scope).toBe('purchases/write purchases/read');
  });

  it('points its OpenID configuration at its JWKS', () => {
    // Act
    const configuration = issuer.openIdConfiguration();

    // Assess
    expect(configuration).toMatchObject({ issuer: ISSUER, jwks_uri: `${ISSUER}/.well-known/jwks.json` });
  });
});
