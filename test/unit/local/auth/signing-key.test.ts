import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey, LocalIssuerNotInitializedError, readSigningKey } from '#local/auth/signing-key';

describe('the local issuer signing key', () => {
  let authDir: string;

  beforeEach(() => {
    authDir = join(mkdtempSync(join(tmpdir(), 'auth-')), 'auth');
  });

  afterEach(() => {
    rmSync(join(authDir, '..'), { recursive: true, force: true });
  });

  it('is created once in the auth folder and read back by later runs', async () => {
    // Prepare
    const created = await loadOrCreateSigningKey(authDir);

    // Act
    const reloaded = await loadOrCreateSigningKey(authDir);

    // Assess
    expect(reloaded.kid).toBe(created.kid);
    expect(reloaded.publicJwk).toEqual(created.publicJwk);
  });

  it('is readable by its owner only', async () => {
    // Act
    await loadOrCreateSigningKey(authDir);

    // Assess
    expect(statSync(join(authDir, 'signing-key.json')).mode & 0o777).toBe(0o600);
  });

  it('is a new key at each start when kept in memory', async () => {
    // Act
    const [first, second] = await Promise.all([loadOrCreateSigningKey(), loadOrCreateSigningKey()]);

    // Assess
    expect(first.kid).not.toBe(second.kid);
  });

  it('publishes only the public part of the key', async () => {
    // Act
    const { publicJwk } = await loadOrCreateSigningKey();

    // Assess
    expect(Object.keys(publicJwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('cannot be read from a folder no runtime has used, and says how to fix it', async () => {
    // Act
    const reading = readSigningKey(authDir);

    // Assess
    await expect(reading).rejects.toThrow(LocalIssuerNotInitializedError);
    await expect(reading).rejects.toThrow('npm start');
  });
});
