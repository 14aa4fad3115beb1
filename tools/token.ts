import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_DEVELOPMENT_TOKEN_HOURS, mintDevelopmentToken } from '#local/auth/development-token';
import { LocalIssuerNotInitializedError } from '#local/auth/signing-key';
import { dataDirLayout, DEFAULT_DATA_DIR } from '#local/data-dir';

/**
 * `npm run token -- <buyerId> [--hours N] [--data-dir DIR]`: prints a
 * development JWT for that buyer, accepted by the local API of the runtime
 * that uses DIR (default `.local/`).
 */
const USAGE = 'Usage: npm run token -- <buyerId> [--hours N] [--data-dir DIR]';
const MAX_HOURS = 24 * 30;

const argumentsSchema = z.object({
  buyerId: z.string().trim().min(1, 'a buyer id is required'),
  hours: z.coerce.number().positive().max(MAX_HOURS).default(DEFAULT_DEVELOPMENT_TOKEN_HOURS),
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
});

const parseCommandLine = (argv: readonly string[]) => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { hours: { type: 'string' }, 'data-dir': { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new Error(`Expected one buyer id, got ${positionals.length}`);
  const parsed = argumentsSchema.safeParse({ buyerId: positionals[0] ?? '', hours: values.hours, dataDir: values['data-dir'] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') ?? 'arguments'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
};

const main = async () => {
  const args = parseCommandLine(process.argv.slice(2));
  const token = await mintDevelopmentToken({ authDir: dataDirLayout(args.dataDir).auth, buyerId: args.buyerId, hours: args.hours });
  process.stdout.write(`${token}\n`);
};

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${message}\n${error instanceof LocalIssuerNotInitializedError ? '' : `${USAGE}\n`}`);
  process.exitCode = 1;
});
