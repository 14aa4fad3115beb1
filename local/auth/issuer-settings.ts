import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LocalIssuerNotInitializedError } from './signing-key.ts';

/**
 * What a token needs besides the key: the issuer URL the running API checks
 * `iss` against and the audience its authorizer accepts. The runtime writes
 * them at every start, so `npm run token` mints tokens that runtime accepts
 * without asking it.
 */
const issuerSettingsSchema = z.object({
  issuer: z.url(),
  audience: z.array(z.string().min(1)).min(1),
});
export type IssuerSettings = z.infer<typeof issuerSettingsSchema>;

const SETTINGS_FILE = 'issuer.json';

export const writeIssuerSettings = (authDir: string, settings: IssuerSettings): void => {
  mkdirSync(authDir, { recursive: true });
  const file = join(authDir, SETTINGS_FILE);
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(issuerSettingsSchema.parse(settings), null, 2));
  renameSync(temporary, file);
};

export const readIssuerSettings = (authDir: string): IssuerSettings => {
  const file = join(authDir, SETTINGS_FILE);
  if (!existsSync(file)) throw new LocalIssuerNotInitializedError(authDir);
  const parsed = issuerSettingsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`The issuer settings in ${file} are not valid: start the local runtime again to rewrite them.`);
  return parsed.data;
};
