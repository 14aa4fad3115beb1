import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * How `npm run token` finds an in-memory runtime, which keeps no data folder
 * and so no signing key on disk: while it runs, its issuer registers a file
 * in a private folder under the OS temp dir with the URL of its minting
 * endpoint and a secret drawn at start. Only someone who can read that file
 * (the same OS user) can ask the issuer for a token. The file goes when the
 * issuer stops; one left by a killed process is recognised by its dead pid.
 */

/** Only the owner may list the folder or read a registration: the secret is a key to the issuer. */
const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;
const SECRET_BYTES = 32;

/** Per OS user, so two users of one machine never read each other's registrations. */
export const DEFAULT_REGISTRY_DIR = join(tmpdir(), `ticketing-in-memory-runtimes-${userInfo().uid}`);

export const registrationSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.iso.datetime(),
  /** POST here with `Authorization: Bearer <secret>` to mint a token. */
  mintUrl: z.url(),
  secret: z.string().min(1),
});
export type Registration = z.infer<typeof registrationSchema>;

/** A secret for one start of the issuer: never written anywhere but the registration. */
export const newMintSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url');

export interface RegistrationHandle {
  readonly file: string;
  remove(): void;
}

/** The temp dir is shared: a folder of that name made by another user, or open to others, is not a place for the secret. */
const assertPrivate = (registryDir: string): void => {
  const { uid, mode } = statSync(registryDir);
  const ownUid = process.getuid?.();
  if ((ownUid !== undefined && uid !== ownUid) || (process.platform !== 'win32' && (mode & 0o077) !== 0)) {
    throw new Error(`${registryDir} is not private to this user (owner ${uid}, mode ${(mode & 0o777).toString(8)}): remove it and start again`);
  }
};

/** Writes the registration (aside, then renamed, so a reader never sees half a file); `remove()` is idempotent. */
export const registerInMemoryRuntime = (
  registration: Omit<Registration, 'pid' | 'startedAt'>,
  registryDir: string = DEFAULT_REGISTRY_DIR,
): RegistrationHandle => {
  mkdirSync(registryDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  assertPrivate(registryDir);
  const file = join(registryDir, `${process.pid}-${randomUUID()}.json`);
  const content: Registration = registrationSchema.parse({ ...registration, pid: process.pid, startedAt: new Date().toISOString() });
  const aside = `${file}.tmp`;
  writeFileSync(aside, JSON.stringify(content), { mode: PRIVATE_FILE_MODE });
  renameSync(aside, file);
  return { file, remove: () => rmSync(file, { force: true }) };
};

const readRegistration = (file: string): Registration | undefined => {
  try {
    const parsed = registrationSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Removed between listing and reading, or not ours to read: not a runtime we can use.
    return undefined;
  }
};

/** The registrations of in-memory runtimes whose process still runs (as `processAlive` tells), newest first. */
export const liveInMemoryRuntimes = (processAlive: (pid: number) => boolean, registryDir: string = DEFAULT_REGISTRY_DIR): Registration[] => {
  let names: string[];
  try {
    names = readdirSync(registryDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => readRegistration(join(registryDir, name)) ?? [])
    .filter((registration) => processAlive(registration.pid))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
};
