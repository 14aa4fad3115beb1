import { dataDirLayout, DEFAULT_DATA_DIR, DEFAULT_DEVELOPMENT_TOKEN_HOURS, LocalIssuerNotInitializedError, mintDevelopmentToken } from '#local/index';
import { defineCommand, EXIT, expectPositionals, nonEmpty, runIfInvoked, UsageError, writeLine } from '#tools/lib/command-line';

/** `npm run token -- <buyerId>`: a development JWT for that buyer; see `npm run token -- --help`. */

const MAX_HOURS = 24 * 30;

const USAGE = `Usage: npm run token -- <buyerId> [--hours N] [--data-dir DIR]

Prints a development JWT for that buyer, signed by the local issuer of the
runtime that uses DIR, and accepted by its local API.

  --hours N        how long the token is valid (default ${DEFAULT_DEVELOPMENT_TOKEN_HOURS}, at most ${MAX_HOURS}; 0.5 is half an hour)
  --data-dir DIR   the runtime's data folder (default ${DEFAULT_DATA_DIR})`;

const parseHours = (text: string): number => {
  const hours = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || hours <= 0 || hours > MAX_HOURS) throw new UsageError(`--hours must be a number of hours above 0 and at most ${MAX_HOURS}, not "${text}"`);
  return hours;
};

export const main = defineCommand({
  usage: USAGE,
  failure: 'the local issuer has no signing key yet (start the runtime once)',
  options: { hours: { type: 'string' }, 'data-dir': { type: 'string' } },
  explain: (error) => (error instanceof LocalIssuerNotInitializedError ? error.message : undefined),
  run: async ({ values, positionals }, io) => {
    const [buyerId = ''] = expectPositionals(positionals, ['buyerId']);
    const hours = values.hours === undefined ? DEFAULT_DEVELOPMENT_TOKEN_HOURS : parseHours(values.hours);
    const dataDir = values['data-dir'] === undefined ? DEFAULT_DATA_DIR : nonEmpty('--data-dir', values['data-dir']);
    const token = await mintDevelopmentToken({ authDir: dataDirLayout(dataDir).auth, buyerId: nonEmpty('<buyerId>', buyerId).trim(), hours });
    writeLine(io.stdout, token);
    return EXIT.ok;
  },
});

runIfInvoked('token', main);
