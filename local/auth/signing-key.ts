import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';

/** API Gateway's JWT authorizers verify RSA signatures; RS256 is what identity providers issue by default. */
export const SIGNING_ALGORITHM = 'RS256';
const KEY_FILE = 'signing-key.json';
/** Only the owner may read the private key. */
const PRIVATE_FILE_MODE = 0o600;

/** The local issuer's key pair: the private key signs, the public JWK is published in the JWKS. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** The folder has never been used by a runtime, so there is no key to sign with. */
export class LocalIssuerNotInitializedError extends Error {
  override readonly name = 'LocalIssuerNotInitializedError';
  constructor(readonly authDir: string) {
    super(`No local JWT issuer in ${authDir}: start the local runtime there once (\`npm start\`) so it creates its signing key, then try again.`);
  }
}

const rsaPrivateJwkSchema = z.looseObject({
  kty: z.literal('RSA'),
  n: z.string().min(1),
  e: z.string().min(1),
  d: z.string().min(1),
  p: z.string().min(1),
  q: z.string().min(1),
  dp: z.string().min(1),
  dq: z.string().min(1),
  qi: z.string().min(1),
});

const storedKeySchema = z.object({
  kid: z.string().min(1),
  alg: z.literal(SIGNING_ALGORITHM),
  createdAt: z.iso.datetime(),
  privateJwk: rsaPrivateJwkSchema,
});
type StoredKey = z.infer<typeof storedKeySchema>;

const publicPartOf = (privateJwk: StoredKey['privateJwk'], kid: string): JWK => ({
  kty: privateJwk.kty,
  n: privateJwk.n,
  e: privateJwk.e,
  kid,
  alg: SIGNING_ALGORITHM,
  use: 'sig',
});

const fromStored = async (stored: StoredKey): Promise<SigningKey> => {
  const privateKey = await importJWK({ ...stored.privateJwk, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM);
  if (privateKey instanceof Uint8Array) throw new Error('The stored signing key is not an RSA key');
  return { kid: stored.kid, privateKey, publicJwk: publicPartOf(stored.privateJwk, stored.kid) };
};

const generateStoredKey = async (): Promise<StoredKey> => {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const privateJwk = rsaPrivateJwkSchema.parse(await exportJWK(privateKey));
  // The thumbprint names the key by its content (RFC 7638), so a kid never points at another key.
  const kid = await calculateJwkThumbprint({ kty: privateJwk.kty, n: privateJwk.n, e: privateJwk.e });
  return { kid, alg: SIGNING_ALGORITHM, createdAt: new Date().toISOString(), privateJwk };
};

const keyFileOf = (authDir: string) => join(authDir, KEY_FILE);

const readStoredKey = (file: string): StoredKey => {
  const parsed = storedKeySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`The signing key in ${file} is not valid (${parsed.error.issues[0]?.message ?? 'unknown'}); delete the file to create a new one.`);
  return parsed.data;
};

/** Written to a temporary file first, so a kill mid-write never leaves a truncated key behind. */
const writeStoredKey = (authDir: string, stored: StoredKey) => {
  mkdirSync(authDir, { recursive: true });
  const file = keyFileOf(authDir);
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(stored, null, 2), { mode: PRIVATE_FILE_MODE });
  renameSync(temporary, file);
};

/**
 * The runtime's signing key: read from `authDir` when a previous run created
 * it (so tokens minted before a restart stay valid), otherwise generated and
 * saved there. Without `authDir` (--in-memory) the key lives only in memory.
 */
export const loadOrCreateSigningKey = async (authDir?: string): Promise<SigningKey> => {
  if (authDir === undefined) return fromStored(await generateStoredKey());
  const file = keyFileOf(authDir);
  if (existsSync(file)) return fromStored(readStoredKey(file));
  const stored = await generateStoredKey();
  writeStoredKey(authDir, stored);
  return fromStored(stored);
};

/** The key a runtime created in `authDir`; for tools that mint tokens without starting one. */
export const readSigningKey = async (authDir: string): Promise<SigningKey> => {
  const file = keyFileOf(authDir);
  if (!existsSync(file)) throw new LocalIssuerNotInitializedError(authDir);
  return fromStored(readStoredKey(file));
};
