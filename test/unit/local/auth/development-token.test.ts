import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { mintDevelopmentToken } from '#local/auth/development-token';
import { writeIssuerSettings } from '#local/auth/issuer-settings';
import { LocalIssuer } from '#local/auth/local-issuer';
import { loadOrCreateSigningKey, LocalIssuerNotInitializedError } from '#local/auth/signing-key';

const ISSUER = 'http://127.0.0.1:4599';
const AUDIENCE = 'ticketing-api';

describe('mintDevelopmentToken', () => {
  let authDir: string;

  beforeEach(() => {
    authDir = mkdtempSync(join(tmpdir(), 'auth-'));
  });

  afterEach(() => {
    rmSync(authDir, { recursive: true, force: true });
  });

  it("mints a token for the buyer that the runtime's issuer accepts", async () => {
    // Prepare: what a runtime leaves in its auth folder.
    const runtimeIssuer = new LocalIssuer(ISSUER, await loadOrCreateSigningKey(authDir));
    writeIssuerSettings(authDir, { issuer: ISSUER, audience: [AUDIENCE] });

    // Act
    const token = await mintDevelopmentToken({ authDir, buyerId: 'buyer-42', hours: 2 });

    // Assess
    const { payload } = await jwtVerify(token, runtimeIssuer.keySet, { issuer: ISSUER, audience: AUDIENCE });
    expect(payload.sub).toBe('buyer-42');
    expect(payload.exp! - payload.iat!).toBe(7_200);
  });

  it('explains that the runtime must be started first when the folder has no issuer', async () => {
    // Act
    const minting = mintDevelopmentToken({ authDir, buyerId: 'buyer-42' });

    // Assess
    await expect(minting).rejects.toThrow(LocalIssuerNotInitializedError);
  });
});
