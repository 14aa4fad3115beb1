import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, jwtVerify } from 'jose';
import { writeIssuerSettings } from '#local/auth/issuer-settings';
import { LocalIssuer } from '#local/auth/local-issuer';
import { startLocalAuth, type LocalAuth } from '#local/auth/local-auth';
import { loadOrCreateSigningKey } from '#local/auth/signing-key';
import { dataDirLayout } from '#local/data-dir';
import { mintLocalToken, NoRunningRuntimeError, type LocalTokenSources } from '#local/auth/running-runtime-token';

const AUDIENCE = ['ticketing-api'];
const DATA_DIR_ISSUER = 'http://127.0.0.1:4599';

describe('mintLocalToken finds the runtime to mint for', () => {
  let root: string;
  let sources: Required<LocalTokenSources>;
  const running: LocalAuth[] = [];

  /** What `npm start` leaves in a data folder: a key and the issuer settings. */
  const seedDataDir = async (dataDir: string): Promise<LocalIssuer> => {
    const { auth } = dataDirLayout(dataDir);
    const issuer = new LocalIssuer(DATA_DIR_ISSUER, await loadOrCreateSigningKey(auth));
    writeIssuerSettings(auth, { issuer: DATA_DIR_ISSUER, audience: AUDIENCE });
    return issuer;
  };

  const startInMemory = async (): Promise<LocalAuth> => {
    const auth = await startLocalAuth({ audience: AUDIENCE, registerForTokens: { registryDir: sources.registryDir } });
    running.push(auth);
    return auth;
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'local-token-'));
    sources = { registryDir: join(root, 'registry'), defaultDataDir: join(root, 'default'), processAlive: () => true };
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((auth) => auth.stop()));
    rmSync(root, { recursive: true, force: true });
  });

  it('asks the running in-memory runtime, whose API accepts the token', async () => {
    // Prepare
    await seedDataDir(sources.defaultDataDir);
    const inMemory = await startInMemory();

    // Act
    const token = await mintLocalToken({ buyerId: 'ada', hours: 2 }, sources);

    // Assess
    const { payload } = await jwtVerify(token, inMemory.keySet, { issuer: inMemory.issuer, audience: AUDIENCE });
    expect(payload.sub).toBe('ada');
    expect(payload.exp! - payload.iat!).toBe(7_200);
  });

  it('signs with the key of an explicit data folder even while an in-memory runtime runs', async () => {
    // Prepare
    const dataDir = join(root, 'explicit');
    const issuer = await seedDataDir(dataDir);
    await startInMemory();

    // Act
    const token = await mintLocalToken({ buyerId: 'ada', hours: 1, dataDir }, sources);

    // Assess
    await expect(jwtVerify(token, issuer.keySet, { issuer: DATA_DIR_ISSUER })).resolves.toBeDefined();
  });

  it('ignores a registration whose process has exited and falls back to the default data folder', async () => {
    // Prepare
    const issuer = await seedDataDir(sources.defaultDataDir);
    await startInMemory();

    // Act
    const token = await mintLocalToken({ buyerId: 'ada', hours: 1 }, { ...sources, processAlive: () => false });

    // Assess
    await expect(jwtVerify(token, issuer.keySet, { issuer: DATA_DIR_ISSUER })).resolves.toBeDefined();
  });

  it('ignores a registration it cannot parse', async () => {
    // Prepare
    const issuer = await seedDataDir(sources.defaultDataDir);
    await startInMemory();
    writeFileSync(join(sources.registryDir, 'garbage.json'), '{"pid":');

    // Act
    const token = await mintLocalToken({ buyerId: 'ada', hours: 1 }, { ...sources, processAlive: () => false });

    // Assess
    await expect(jwtVerify(token, issuer.keySet, { issuer: DATA_DIR_ISSUER })).resolves.toBeDefined();
  });

  it('says how to start a runtime when none runs and the default folder has no key', async () => {
    // Act
    const minting = mintLocalToken({ buyerId: 'ada', hours: 1 }, sources);

    // Assess
    await expect(minting).rejects.toThrow(NoRunningRuntimeError);
    await expect(minting).rejects.toThrow(/no local runtime to mint a token for.*npm start -- --in-memory/);
  });

  it('asks which one when several in-memory runtimes run, and takes the one of --pid', async () => {
    // Prepare: two in-memory issuers, both of this process.
    await startInMemory();
    await startInMemory();

    // Act
    const ambiguous = await mintLocalToken({ buyerId: 'ada', hours: 1 }, sources).catch((error: unknown) => error);
    const chosen = await mintLocalToken({ buyerId: 'ada', hours: 1, pid: process.pid }, sources);

    // Assess
    expect(ambiguous).toEqual(expect.objectContaining({ message: expect.stringMatching(/2 in-memory runtimes are running.*--pid/) }));
    expect(decodeJwt(chosen).sub).toBe('ada');
  });

  it('names the running ones when none belongs to --pid', async () => {
    // Prepare
    await startInMemory();

    // Act
    const minting = mintLocalToken({ buyerId: 'ada', hours: 1, pid: 1 }, sources);

    // Assess
    await expect(minting).rejects.toThrow(new RegExp(`no in-memory runtime of process 1 is running \\(running: ${process.pid} `));
  });
});
