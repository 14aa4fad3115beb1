import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#commons/config';
import { createConcertLister, createDynamoDbConcertStore, type ConcertTableNames } from '#domain/catalog/adapters/dynamodb-concert-store';
import { ConcertAlreadyExistsError, concertSpecSchema, createConcert, type ConcertSpec } from '#domain/catalog/create-concert';
import type { ProgressListener } from '#domain/catalog/ports';
import { parsePriceBands } from '#domain/catalog/seat-layout';
import { configureOnSale, removeOnSale } from '#domain/waiting-room/adapters/dynamodb-gated-concerts';
import { registerRoom } from '#domain/waiting-room/adapters/dynamodb-waiting-room';
import { onSaleSchema, type OnSale } from '#domain/waiting-room/on-sale';
import { chooseTarget, loadTarget } from '#tools/ops/operator-command';
import { OpsConfigError, type OpsConfig } from '#tools/ops/config';
import { defineCommand, EXIT, parseFlags, parseUrl, parseWholeNumber, UsageError, writeLine, type Flags, type Io, type Main, type Options } from '#tools/lib/command-line';

const DEFAULT_CURRENCY = 'EUR';
const DEFAULT_ON_SALE: Omit<OnSale, 'startsAt'> = { admissionsPerMinute: 100, maxActiveBuyers: 500, admissionTtlSeconds: 600 };
/** Progress is printed at every tenth of the work, not at every batch of 25. */
const PROGRESS_STEPS = 10;

const CONCERT_USAGE = `Usage: npm run concert -- <command> [options]

Commands:
  create    create a concert with every seat (AVAILABLE) and its seat availability
  list      list the concerts
  onsale    put a concert behind a waiting room: buyers join a line and buy with an admission
            (a concert without an on-sale is not gated)

Options of create:
  --id <concertId>          lowercase letters, digits and dashes, e.g. rock-night-2026   (required)
  --name <text>             the concert's name                                             (required)
  --venue <text>            where it takes place                                           (required)
  --starts-at <time>        ISO 8601 with a zone, e.g. 2026-12-31T20:00:00Z               (required)
  --rows <n>                rows of seats, 1-702 (named A..Z, then AA..ZZ)                 (required)
  --seats-per-row <n>       seats per row, 1-999 (numbered from 1)                         (required)
  --price <bands>           price per row band in minor units (cents), every row once,
                            e.g. A-E:12000,F-J:9000,K-T:6500                               (required)
  --currency <code>         ISO 4217 currency of every price (default ${DEFAULT_CURRENCY})
  --replace                 if the concert exists, delete its seats and create them again
                            (holds and sales on them are lost: for development data only)
  --quiet                   no progress lines

Options of onsale:
  --id <concertId>                  the concert                                               (required)
  --opens-at <time>                 when the line opens; arrivals before wait in a pre-queue,
                                    shuffled at that time (default: now)
  --admissions-per-minute <n>       buyers admitted per minute (default ${DEFAULT_ON_SALE.admissionsPerMinute})
  --max-active <n>                  most buyers admitted at once (default ${DEFAULT_ON_SALE.maxActiveBuyers})
  --admission-minutes <n>           how long an admission lasts (default ${DEFAULT_ON_SALE.admissionTtlSeconds / 60})
  --off                             remove the on-sale: the concert is no longer gated

Tables and endpoint, from a target:
  --target local|aws                local: the runtime of \`npm start\` (its .local/runtime.json);
                                    aws: the stack of --outputs, in the region of its ARNs
  --outputs <file>                  with --target aws: the file of \`npx cdk deploy Ticketing --outputs-file <file>\`
  --runtime-file <file>             with --target local: another runtime file than .local/runtime.json
or by hand (a flag wins over the environment):
  --concerts-table <name>           or ${ENV.concertsTable}
  --seats-table <name>              or ${ENV.seatsTable}
  --seat-availability-table <name>  or ${ENV.seatAvailabilityTable}
  --waiting-room-table <name>       or ${ENV.waitingRoomTable} (onsale)
  --endpoint <url>                  or AWS_ENDPOINT_URL_DYNAMODB (default: DynamoDB in your AWS region)
  --region <region>                 or AWS_REGION

Example:
  npm run concert -- create --id rock-night --name "Rock Night" --venue "Arena" \\
    --starts-at 2026-12-31T20:00:00Z --rows 20 --seats-per-row 25 \\
    --price A-E:12000,F-J:9000,K-T:6500 --currency EUR
  npm run concert -- onsale --id rock-night --opens-at 2026-12-01T10:00:00Z --admissions-per-minute 200`;

const OPTIONS = {
  id: { type: 'string' },
  name: { type: 'string' },
  venue: { type: 'string' },
  'starts-at': { type: 'string' },
  rows: { type: 'string' },
  'seats-per-row': { type: 'string' },
  price: { type: 'string' },
  currency: { type: 'string' },
  replace: { type: 'boolean' },
  quiet: { type: 'boolean' },
  'opens-at': { type: 'string' },
  'admissions-per-minute': { type: 'string' },
  'max-active': { type: 'string' },
  'admission-minutes': { type: 'string' },
  off: { type: 'boolean' },
  'concerts-table': { type: 'string' },
  'waiting-room-table': { type: 'string' },
  'seats-table': { type: 'string' },
  'seat-availability-table': { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  target: { type: 'string' },
  outputs: { type: 'string' },
  'runtime-file': { type: 'string' },
} as const satisfies Options;

/** Which flag sets each field of the spec, to name it in an error. */
const FLAG_OF_FIELD: Record<keyof ConcertSpec, string> = {
  concertId: 'id',
  name: 'name',
  venue: 'venue',
  startsAt: 'starts-at',
  currency: 'currency',
  rows: 'rows',
  seatsPerRow: 'seats-per-row',
  priceBands: 'price',
};

const CREATE_ONLY_FLAGS = ['id', 'name', 'venue', 'starts-at', 'rows', 'seats-per-row', 'price', 'currency', 'replace'] as const;
const ON_SALE_ONLY_FLAGS = ['opens-at', 'admissions-per-minute', 'max-active', 'admission-minutes', 'off'] as const;

interface Connection {
  readonly endpoint?: string;
  readonly region?: string;
}

export type ConcertCommand =
  | {
      readonly kind: 'create';
      readonly spec: ConcertSpec;
      readonly replace: boolean;
      readonly quiet: boolean;
      readonly tables: ConcertTableNames;
      readonly connection: Connection;
    }
  | { readonly kind: 'list'; readonly concertsTable: string; readonly connection: Connection }
  | {
      readonly kind: 'onsale';
      readonly concertId: string;
      /** Undefined: remove the on-sale. */
      readonly onSale: OnSale | undefined;
      readonly tables: { readonly concerts: string; readonly waitingRoom: string };
      readonly connection: Connection;
    };

type Values = Flags<typeof OPTIONS>['values'];

const REQUIRED_CREATE_FLAGS = ['id', 'name', 'venue', 'starts-at', 'rows', 'seats-per-row', 'price'] as const;
type RequiredFlag = (typeof REQUIRED_CREATE_FLAGS)[number];

/** Every required flag at once, or a usage error naming all the missing ones. */
const requiredFlags = (values: Values): Record<RequiredFlag, string> => {
  const given = (flag: RequiredFlag) => {
    const value = values[flag];
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const missing = REQUIRED_CREATE_FLAGS.filter((flag) => given(flag) === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((flag) => `--${flag}`).join(', ')}`);
  return Object.fromEntries(REQUIRED_CREATE_FLAGS.map((flag) => [flag, given(flag) ?? ''])) as Record<RequiredFlag, string>;
};

const TABLE_FLAGS = {
  concerts: ['concerts-table', ENV.concertsTable],
  seats: ['seats-table', ENV.seatsTable],
  seatAvailability: ['seat-availability-table', ENV.seatAvailabilityTable],
  waitingRoom: ['waiting-room-table', ENV.waitingRoomTable],
} as const;

const tableName = (values: Values, env: NodeJS.ProcessEnv, table: keyof typeof TABLE_FLAGS): string => {
  const [flag, variable] = TABLE_FLAGS[table];
  const value = values[flag] ?? env[variable];
  if (!value) throw new UsageError(`the ${table} table name is missing: pass --${flag} or set ${variable}`);
  return value;
};

const BY_HAND_FLAGS = ['concerts-table', 'seats-table', 'seat-availability-table', 'waiting-room-table', 'endpoint', 'region'] as const;

/** Tables and connection by hand, or from a target's runtime or outputs file. */
interface Place {
  readonly tableName: (table: keyof typeof TABLE_FLAGS) => string;
  readonly connection: Connection;
}

const TARGET_TABLE_OUTPUTS = {
  concerts: 'ConcertsTableName',
  seats: 'SeatsTableName',
  seatAvailability: 'SeatAvailabilityTableName',
  waitingRoom: 'WaitingRoomTableName',
} as const;

const placeOfTarget = (config: OpsConfig): Place => ({
  tableName: (table) => config.outputs[TARGET_TABLE_OUTPUTS[table]],
  connection: config.target === 'local' ? { endpoint: config.endpoints.dynamodb, region: config.region } : { region: config.region },
});

/** A target when one is named; its file is read only once every flag checked out. */
const placeOf = (values: Values, env: NodeJS.ProcessEnv): Place => {
  if (values.target === undefined && values.outputs === undefined && values['runtime-file'] === undefined) {
    return { tableName: (table) => tableName(values, env, table), connection: connectionOf(values, env) };
  }
  const choice = chooseTarget(values);
  const byHand = BY_HAND_FLAGS.filter((flag) => values[flag] !== undefined);
  if (byHand.length > 0) throw new UsageError(`${byHand.map((flag) => `--${flag}`).join(', ')} and --target do not go together: the target names the tables`);
  return placeOfTarget(loadTarget(choice));
};

const connectionOf = (values: Values, env: NodeJS.ProcessEnv): Connection => {
  const endpoint = values.endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB;
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return { ...(endpoint ? { endpoint: parseUrl('--endpoint', endpoint) } : {}), ...(region ? { region } : {}) };
};

const priceBandsOf = (text: string) => {
  try {
    return parsePriceBands(text);
  } catch (error) {
    throw new UsageError(`--price: ${error instanceof Error ? error.message : String(error)}`);
  }
};

const specOf = (values: Values): ConcertSpec => {
  const flags = requiredFlags(values);
  const candidate = {
    concertId: flags.id,
    name: flags.name,
    venue: flags.venue,
    startsAt: flags['starts-at'],
    currency: values.currency ?? DEFAULT_CURRENCY,
    rows: parseWholeNumber('--rows', flags.rows),
    seatsPerRow: parseWholeNumber('--seats-per-row', flags['seats-per-row']),
    priceBands: priceBandsOf(flags.price),
  };
  const parsed = concertSpecSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path[0];
      const flag = typeof field === 'string' && field in FLAG_OF_FIELD ? FLAG_OF_FIELD[field as keyof ConcertSpec] : String(field);
      return `--${flag}: ${issue.message}`;
    });
    throw new UsageError(problems.join('; '));
  }
  return parsed.data;
};

const onSaleOf = (values: Values, now: Date): OnSale | undefined => {
  if (values.off) {
    const others = ON_SALE_ONLY_FLAGS.filter((flag) => flag !== 'off' && values[flag] !== undefined);
    if (others.length > 0) throw new UsageError(`--off does not take ${others.map((flag) => `--${flag}`).join(', ')}`);
    return undefined;
  }
  const whole = (flag: (typeof ON_SALE_ONLY_FLAGS)[number], fallback: number) => {
    const value = values[flag];
    return typeof value === 'string' ? parseWholeNumber(`--${flag}`, value) : fallback;
  };
  const parsed = onSaleSchema.safeParse({
    startsAt: values['opens-at'] ?? now.toISOString(),
    admissionsPerMinute: whole('admissions-per-minute', DEFAULT_ON_SALE.admissionsPerMinute),
    maxActiveBuyers: whole('max-active', DEFAULT_ON_SALE.maxActiveBuyers),
    admissionTtlSeconds: whole('admission-minutes', DEFAULT_ON_SALE.admissionTtlSeconds / 60) * 60,
  });
  if (!parsed.success) {
    const flagOf: Record<string, string> = { startsAt: 'opens-at', admissionsPerMinute: 'admissions-per-minute', maxActiveBuyers: 'max-active', admissionTtlSeconds: 'admission-minutes' };
    throw new UsageError(parsed.error.issues.map((issue) => `--${flagOf[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`).join('; '));
  }
  return parsed.data;
};

/** The command the flags ask for; throws UsageError before anything touches a table. */
const concertCommandOf = ({ values, positionals }: Pick<Flags<typeof OPTIONS>, 'values' | 'positionals'>, env: NodeJS.ProcessEnv): ConcertCommand => {
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument(s): ${extra.join(' ')}`);
  switch (command) {
    case 'create': {
      const onSaleFlags = ON_SALE_ONLY_FLAGS.filter((flag) => values[flag] !== undefined);
      if (onSaleFlags.length > 0) throw new UsageError(`create does not take ${onSaleFlags.map((flag) => `--${flag}`).join(', ')}: configure the on-sale with onsale`);
      const spec = specOf(values);
      const place = placeOf(values, env);
      return {
        kind: 'create',
        spec,
        replace: values.replace ?? false,
        quiet: values.quiet ?? false,
        tables: { concerts: place.tableName('concerts'), seats: place.tableName('seats'), seatAvailability: place.tableName('seatAvailability') },
        connection: place.connection,
      };
    }
    case 'onsale': {
      if (!values.id) throw new UsageError('missing --id');
      const misplaced = CREATE_ONLY_FLAGS.filter((flag) => flag !== 'id' && values[flag] !== undefined);
      if (misplaced.length > 0) throw new UsageError(`onsale does not take ${misplaced.map((flag) => `--${flag}`).join(', ')}`);
      const onSale = onSaleOf(values, new Date());
      const place = placeOf(values, env);
      return { kind: 'onsale', concertId: values.id, onSale, tables: { concerts: place.tableName('concerts'), waitingRoom: place.tableName('waitingRoom') }, connection: place.connection };
    }
    case 'list': {
      const misplaced = [...CREATE_ONLY_FLAGS, ...ON_SALE_ONLY_FLAGS].filter((flag) => values[flag] !== undefined);
      if (misplaced.length > 0) throw new UsageError(`list does not take ${misplaced.map((flag) => `--${flag}`).join(', ')}`);
      const place = placeOf(values, env);
      return { kind: 'list', concertsTable: place.tableName('concerts'), connection: place.connection };
    }
    case undefined:
      throw new UsageError('a command is required: create, list or onsale');
    default:
      throw new UsageError(`unknown command "${command}": expected create, list or onsale`);
  }
};

export const parseConcertCommand = (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ConcertCommand => concertCommandOf(parseFlags(argv, OPTIONS), env);

/** The local endpoints accept any signature, but the SDK still wants some credentials to sign with. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The region a local endpoint is given when none is configured: DynamoDB Local ignores it, the SDK insists. */
const LOCAL_REGION = 'us-east-1';

/** A client for the given endpoint (a local one needs no real credentials), or for DynamoDB in the configured region. */
const openDocumentClient = (connection: Connection, env: NodeJS.ProcessEnv = process.env): DynamoDBDocumentClient => {
  const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
  const client = new DynamoDBClient({
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.region ? { region: connection.region } : connection.endpoint ? { region: LOCAL_REGION } : {}),
    ...(connection.endpoint && !hasCredentials ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
  return DynamoDBDocumentClient.from(client);
};

/** Prints "writing 250/1000 items (25%)" at each tenth of a phase. */
const progressPrinter = (io: Io): ProgressListener => {
  const printed = new Map<string, number>();
  return ({ phase, done, total }) => {
    const step = Math.floor((done / total) * PROGRESS_STEPS);
    if ((printed.get(phase) ?? -1) >= step) return;
    printed.set(phase, step);
    writeLine(io.stdout, `  ${phase} ${done}/${total} items (${Math.round((done / total) * 100)}%)`);
  };
};

export interface ConcertCommandDependencies {
  readonly env?: NodeJS.ProcessEnv;
  /** Opens the DynamoDB client; tests pass a mocked one. */
  readonly openClient?: (connection: Connection) => DynamoDBDocumentClient;
  /** Pause between retries of unprocessed batch writes; tests pass a no-op. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const runCreate = async (
  command: Extract<ConcertCommand, { kind: 'create' }>,
  client: DynamoDBDocumentClient,
  io: Io,
  sleep?: (ms: number) => Promise<void>,
): Promise<number> => {
  const { spec } = command;
  const store = createDynamoDbConcertStore({ client, tables: command.tables, ...(sleep ? { sleep } : {}) });
  writeLine(io.stdout, `Creating concert ${spec.concertId}: ${spec.rows} rows x ${spec.seatsPerRow} seats = ${spec.rows * spec.seatsPerRow} seats`);
  try {
    const created = await createConcert(store, spec, {
      replace: command.replace,
      ...(command.quiet ? {} : { onProgress: progressPrinter(io) }),
    });
    const { concert } = created;
    writeLine(
      io.stdout,
      `${created.replaced ? 'Replaced' : 'Created'} concert ${concert.concertId} "${concert.name}" at ${concert.venue}, ${concert.startsAt}: ` +
        `${concert.seatCount} seats, all AVAILABLE` +
        (created.replaced ? ` (${created.deletedItems} old items deleted)` : ''),
    );
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ConcertAlreadyExistsError)) throw error;
    writeLine(io.stderr, `error: concert "${error.concertId}" already exists; pass --replace to delete its seats and create them again`);
    return EXIT.failed;
  }
};

const runList = async (command: Extract<ConcertCommand, { kind: 'list' }>, client: DynamoDBDocumentClient, io: Io): Promise<number> => {
  const concerts = await createConcertLister({ client, tableName: command.concertsTable })();
  if (concerts.length === 0) {
    writeLine(io.stdout, 'No concerts yet: create one with `npm run concert -- create --help`');
    return EXIT.ok;
  }
  const rows = [
    ['CONCERT', 'STARTS AT', 'SEATS', 'CURRENCY', 'NAME', 'VENUE'],
    ...concerts.map((c) => [c.concertId, c.startsAt, String(c.seatCount), c.currency, c.name, c.venue]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const row of rows) writeLine(io.stdout, row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
  return EXIT.ok;
};

const runOnSale = async (command: Extract<ConcertCommand, { kind: 'onsale' }>, client: DynamoDBDocumentClient, io: Io): Promise<number> => {
  const concerts = { client, tableName: command.tables.concerts };
  if (command.onSale === undefined) {
    if ((await removeOnSale(concerts, command.concertId)) === 'concertNotFound') return noSuchConcert(command.concertId, io);
    writeLine(io.stdout, `Concert ${command.concertId} is no longer gated: buyers buy directly`);
    return EXIT.ok;
  }
  if ((await configureOnSale(concerts, command.concertId, command.onSale)) === 'concertNotFound') return noSuchConcert(command.concertId, io);
  await registerRoom({ client, tableName: command.tables.waitingRoom }, command.concertId);
  const { startsAt, admissionsPerMinute, maxActiveBuyers, admissionTtlSeconds } = command.onSale;
  writeLine(
    io.stdout,
    `Concert ${command.concertId} sells through its waiting room: the line opens ${startsAt}, ${admissionsPerMinute} admitted a minute, ` +
      `at most ${maxActiveBuyers} at once, each for ${admissionTtlSeconds / 60} min. Buyers join with POST /concerts/${command.concertId}/queue`,
  );
  return EXIT.ok;
};

const noSuchConcert = (concertId: string, io: Io): number => {
  writeLine(io.stderr, `error: there is no concert "${concertId}"; create it first with \`npm run concert -- create\``);
  return EXIT.failed;
};

const runCommand = (command: ConcertCommand, client: DynamoDBDocumentClient, io: Io, sleep?: (ms: number) => Promise<void>): Promise<number> => {
  switch (command.kind) {
    case 'create':
      return runCreate(command, client, io, sleep);
    case 'list':
      return runList(command, client, io);
    case 'onsale':
      return runOnSale(command, client, io);
  }
};

/** `npm run concert -- ...`, with its DynamoDB client and environment given. */
export const concertCommand = (deps: ConcertCommandDependencies = {}): Main =>
  defineCommand({
    usage: CONCERT_USAGE,
    failure: 'the concert exists (without --replace), onsale names no concert, the target cannot be read or DynamoDB fails',
    options: OPTIONS,
    explain: (error) => (error instanceof OpsConfigError ? error.message : undefined),
    run: async (flags, io) => {
      const env = deps.env ?? process.env;
      const command = concertCommandOf(flags, env);
      const client = (deps.openClient ?? ((connection) => openDocumentClient(connection, env)))(command.connection);
      try {
        return await runCommand(command, client, io, deps.sleep);
      } finally {
        client.destroy();
      }
    },
  });
