import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { DEVELOPMENT_TOKENS_PATH, secretMatches } from '#local/auth/development-token-endpoint';
import { registrationSchema, type Registration } from '#local/auth/in-memory-registry';
import { startLocalAuth, type LocalAuth } from '#local/auth/local-auth';

const AUDIENCE = ['ticketing-api'];

describe('the minting endpoint of an in-memory issuer', () => {
  let registryDir: string;
  let auth: LocalAuth;
  let registration: Registration;

  /** `authorization` null sends none; undefined sends the registration's secret. */
  const post = (body: unknown, authorization: string | null = `Bearer ${registration.secret}`) =>
    fetch(registration.mintUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization !== null && { authorization }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeEach(async () => {
    registryDir = join(mkdtempSync(join(tmpdir(), 'registry-')), 'runtimes');
    auth = await startLocalAuth({ audience: AUDIENCE, registerForTokens: { registryDir } });
    const [file = ''] = readdirSync(registryDir);
    registration = registrationSchema.parse(JSON.parse(readFileSync(join(registryDir, file), 'utf8')));
  });

  afterEach(async () => {
    await auth.stop();
    rmSync(join(registryDir, '..'), { recursive: true, force: true });
  });

  it('registers its endpoint and this process in a file only its owner can read', () => {
    // Assess
    const [file = ''] = readdirSync(registryDir);
    expect(statSync(join(registryDir, file)).mode & 0o777).toBe(0o600);
    expect(statSync(registryDir).mode & 0o777).toBe(0o700);
    expect(registration).toMatchObject({ pid: process.pid, mintUrl: `${auth.issuer}${DEVELOPMENT_TOKENS_PATH}` });
  });

  it('mints, for the secret of its registration, a token its API accepts', async () => {
    // Act
    const response = await post({ sub: 'buyer-42', expiresInSeconds: 600 });

    // Assess
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const { payload } = await jwtVerify(token, auth.keySet, { issuer: auth.issuer, audience: AUDIENCE });
    expect(payload.sub).toBe('buyer-42');
    expect(payload.exp! - payload.iat!).toBe(600);
  });

  it.each([
    ['no Authorization header', null],
    ['another secret', 'Bearer not-the-secret'],
    ['another scheme', 'Basic c2VjcmV0'],
  ])('refuses a request with %s: 401 with a JSON message', async (_case, authorization) => {
    // Act
    const response = await post({ sub: 'buyer-42', expiresInSeconds: 600 }, authorization);

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: expect.stringContaining('Unauthorized') });
  });

  it.each([
    ['not JSON', '{'],
    ['no subject', { expiresInSeconds: 600 }],
    ['a lifetime above a month', { sub: 'buyer-42', expiresInSeconds: 31 * 24 * 3_600 }],
    ['an unknown field', { sub: 'buyer-42', expiresInSeconds: 600, aud: 'elsewhere' }],
  ])('answers 400 to a body with %s', async (_case, body) => {
    // Act
    const response = await post(body);

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.stringContaining('Bad Request') });
  });

  it('answers 405 to another method', async () => {
    // Act
    const response = await fetch(registration.mintUrl, { headers: { authorization: `Bearer ${registration.secret}` } });

    // Assess
    expect(response.status).toBe(405);
  });

  it('removes its registration when it stops', async () => {
    // Act
    await auth.stop();

    // Assess
    expect(readdirSync(registryDir)).toEqual([]);
  });
});

test('an issuer with a data folder serves no minting endpoint', async () => {
  // Prepare
  const authDir = mkdtempSync(join(tmpdir(), 'auth-'));
  const auth = await startLocalAuth({ audience: AUDIENCE, authDir });

  try {
    // Act
    const response = await fetch(`${auth.issuer}${DEVELOPMENT_TOKENS_PATH}`, { method: 'POST', body: '{}' });

    // Assess: refused like any path it does not serve, and no token in the answer.
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.json()).not.toHaveProperty('token');
  } finally {
    await auth.stop();
    rmSync(authDir, { recursive: true, force: true });
  }
});

describe('secretMatches', () => {
  it.each([
    ['the same secret', 's3cret', 's3cret', true],
    ['another secret of the same length', 's3cret', 's3creT', false],
    ['a prefix', 's3cret', 's3c', false],
    ['an empty string', 's3cret', '', false],
  ])('compares %s', (_case, expected, given, matches) => {
    expect(secretMatches(expected, given)).toBe(matches);
  });
});

test('an issuer refuses to register in a folder others may read, and stops listening', async () => {
  // Prepare
  const registryDir = mkdtempSync(join(tmpdir(), 'registry-'));
  chmodSync(registryDir, 0o755);

  try {
    // Act
    const starting = startLocalAuth({ audience: AUDIENCE, registerForTokens: { registryDir } });

    // Assess
    await expect(starting).rejects.toThrow(/is not private to this user .*mode 755/);
    expect(readdirSync(registryDir)).toEqual([]);
  } finally {
    rmSync(registryDir, { recursive: true, force: true });
  }
});
