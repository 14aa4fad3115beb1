import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_DEVELOPMENT_TOKEN_HOURS,
  LocalIssuerNotInitializedError,
  MAX_DEVELOPMENT_TOKEN_HOURS,
  mintLocalToken,
  NoRunningRuntimeError,
  type LocalTokenSources,
} from '#local/index';
import { defineCommand, EXIT, expectPositionals, nonEmpty, parseWholeNumber, runIfInvoked, UsageError, writeLine, type Main } from '#tools/lib/command-line';
import { loadDeployedStack, OpsConfigError } from '#tools/ops/config';
import { buyerSignInOf, mintCognitoToken } from '#tools/token/cognito-token';

/** `npm run token -- <buyer>`: a token the API accepts for that buyer; see `npm run token -- --help`. */

const USAGE = `Usage: npm run token -- <buyer> [--hours N] [--data-dir DIR | --pid PID]
       npm run token -- <buyer> --target aws --outputs outputs.json

Prints a token for that buyer that the API accepts, and nothing else on
stdout, so \`export TOKEN=$(npm run -s token -- alice)\` keeps it.

Locally (the default) it is a development JWT whose subject is <buyer>:
  - with --data-dir, signed with the key the runtime of that folder created;
  - otherwise by the running \`npm start -- --in-memory\` runtime, if one is;
  - otherwise signed with the key of ${DEFAULT_DATA_DIR} (\`npm start\`'s).

  --hours N        how long the token is valid (default ${DEFAULT_DEVELOPMENT_TOKEN_HOURS}, at most ${MAX_DEVELOPMENT_TOKEN_HOURS}; 0.5 is half an hour)
  --data-dir DIR   sign with the key of that runtime data folder
  --pid PID        with several in-memory runtimes running, the one of process PID

On AWS, an access token of the stack's Cognito user pool, for the test
buyer <buyer> (an email; a bare name becomes <buyer>@example.com): the user
is created if missing, with no invitation mail, its password replaced by a
new random one, then signed in through the buyers' app client. The buyer id
the API sees is the user's sub. Do not use it on a real buyer's address.

  --target local|aws     default local
  --outputs <file>       with --target aws: the file of \`npx cdk deploy Ticketing --outputs-file <file>\`;
                         credentials come from the standard AWS chain, the region from the user pool id`;

const parseHours = (text: string): number => {
  const hours = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || hours <= 0 || hours > MAX_DEVELOPMENT_TOKEN_HOURS) {
    throw new UsageError(`--hours must be a number of hours above 0 and at most ${MAX_DEVELOPMENT_TOKEN_HOURS}, not "${text}"`);
  }
  return hours;
};

const OPTIONS = {
  hours: { type: 'string' },
  'data-dir': { type: 'string' },
  pid: { type: 'string' },
  target: { type: 'string' },
  outputs: { type: 'string' },
} as const;

const LOCAL_ONLY_FLAGS = ['hours', 'data-dir', 'pid'] as const;

export interface TokenCommandDependencies {
  /** Where the local runtimes are found; tests pass their own folders. */
  readonly localSources?: LocalTokenSources;
  /** @default a client of the user pool's region with the standard credential chain */
  readonly openCognito?: (region: string) => CognitoIdentityProviderClient;
}

export const tokenCommand = (deps: TokenCommandDependencies = {}): Main =>
  defineCommand({
    usage: USAGE,
    failure: 'no runtime or stack can mint the token (none running, no signing key, a sign-in refused)',
    options: OPTIONS,
    explain: (error) => (error instanceof LocalIssuerNotInitializedError || error instanceof NoRunningRuntimeError || error instanceof OpsConfigError ? error.message : undefined),
    run: async ({ values, positionals }, io) => {
      const [given = ''] = expectPositionals(positionals, ['buyer']);
      const buyer = nonEmpty('<buyer>', given).trim();
      const target = values.target ?? 'local';
      if (target === 'aws') {
        if (!values.outputs) throw new UsageError('--target aws needs --outputs <file> (written by npx cdk deploy Ticketing --outputs-file <file>)');
        const misplaced = LOCAL_ONLY_FLAGS.filter((flag) => values[flag] !== undefined);
        if (misplaced.length > 0) {
          throw new UsageError(`${misplaced.map((flag) => `--${flag}`).join(', ')} is for local runtimes (a Cognito token lasts as long as the app client says: 1 hour)`);
        }
        const signIn = buyerSignInOf(loadDeployedStack(values.outputs));
        const client = (deps.openCognito ?? ((region) => new CognitoIdentityProviderClient({ region })))(signIn.region);
        try {
          const minted = await mintCognitoToken(client, signIn, buyer);
          writeLine(io.stderr, `${minted.created ? 'Created' : 'Signed in'} test buyer ${minted.email} in ${signIn.userPoolId}`);
          writeLine(io.stdout, minted.token);
        } finally {
          client.destroy();
        }
        return EXIT.ok;
      }
      if (target !== 'local') throw new UsageError(`--target must be local or aws, not "${target}"`);
      if (values.outputs !== undefined) throw new UsageError('--outputs is for --target aws');
      if (values['data-dir'] !== undefined && values.pid !== undefined) throw new UsageError('--data-dir and --pid name two different runtimes: pass one');
      const token = await mintLocalToken(
        {
          buyerId: buyer,
          hours: values.hours === undefined ? DEFAULT_DEVELOPMENT_TOKEN_HOURS : parseHours(values.hours),
          ...(values['data-dir'] !== undefined && { dataDir: nonEmpty('--data-dir', values['data-dir']) }),
          ...(values.pid !== undefined && { pid: parseWholeNumber('--pid', values.pid) }),
        },
        deps.localSources,
      );
      writeLine(io.stdout, token);
      return EXIT.ok;
    },
  });

export const main = tokenCommand();

runIfInvoked('token', main);
