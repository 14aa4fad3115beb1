import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { concertCommand, parseConcertCommand } from '#tools/concert/concert-command';
import { localRuntime, writeRuntimeFile } from './ops/support.ts';

const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => dynamo.reset());

const ENV_TABLES = { CONCERTS_TABLE_NAME: 'concerts', SEATS_TABLE_NAME: 'seats', SEAT_AVAILABILITY_TABLE_NAME: 'availability' };
const CREATE = [
  'create',
  '--id',
  'rock-night',
  '--name',
  'Rock Night',
  '--venue',
  'Arena',
  '--starts-at',
  '2026-12-31T20:00:00Z',
  '--rows',
  '20',
  '--seats-per-row',
  '25',
  '--price',
  'A-E:12000,F-J:9000,K-T:6500',
  '--currency',
  'EUR',
];

/** Runs the command in-process against a mocked DynamoDB, capturing its output. */
const run = async (argv: readonly string[], env: NodeJS.ProcessEnv = ENV_TABLES) => {
  const out: string[] = [];
  const err: string[] = [];
  const opened: unknown[] = [];
  const main = concertCommand({
    env,
    openClient: (connection) => {
      opened.push(connection);
      return DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    },
    sleep: () => Promise.resolve(),
  });
  const code = await main(argv, { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) } });
  return { code, stdout: out.join(''), stderr: err.join(''), opened };
};

const flagsWithout = (flag: string) => {
  const index = CREATE.indexOf(flag);
  return [...CREATE.slice(0, index), ...CREATE.slice(index + 2)];
};

describe('parseConcertCommand', () => {
  test('reads every create flag into a concert spec', () => {
    const command = parseConcertCommand(CREATE, ENV_TABLES);

    expect(command).toEqual({
      kind: 'create',
      spec: {
        concertId: 'rock-night',
        name: 'Rock Night',
        venue: 'Arena',
        startsAt: '2026-12-31T20:00:00Z',
        currency: 'EUR',
        rows: 20,
        seatsPerRow: 25,
        priceBands: [
          { fromRow: 'A', toRow: 'E', amount: 12000 },
          { fromRow: 'F', toRow: 'J', amount: 9000 },
          { fromRow: 'K', toRow: 'T', amount: 6500 },
        ],
      },
      replace: false,
      quiet: false,
      tables: { concerts: 'concerts', seats: 'seats', seatAvailability: 'availability' },
      connection: {},
    });
  });

  test('prefers table flags over the environment', () => {
    const command = parseConcertCommand([...CREATE, '--seats-table', 'other-seats'], ENV_TABLES);

    expect(command).toMatchObject({ tables: { seats: 'other-seats' } });
  });

  test('takes the endpoint from AWS_ENDPOINT_URL_DYNAMODB', () => {
    const command = parseConcertCommand(['list'], { ...ENV_TABLES, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' });

    expect(command).toMatchObject({ kind: 'list', concertsTable: 'concerts', connection: { endpoint: 'http://127.0.0.1:8000' } });
  });
});

describe('create', () => {
  test('writes 500 seats and their availability in batches of 25, then the concert, and exits 0', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(PutCommand).resolves({});

    const { code, stdout } = await run(CREATE);

    expect(code).toBe(0);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(40);
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ concertId: 'rock-night', seatCount: 500 });
    expect(stdout).toContain('writing 1000/1000 items (100%)');
    expect(stdout).toContain('Created concert rock-night "Rock Night" at Arena');
  });

  test('prints no progress with --quiet', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(PutCommand).resolves({});

    const { stdout } = await run([...CREATE, '--quiet']);

    expect(stdout).not.toContain('writing');
  });

  test('refuses an existing concert without --replace, writes nothing and exits 1', async () => {
    dynamo.on(GetCommand).resolves({ Item: { concertId: 'rock-night', name: 'Rock Night', venue: 'Arena', startsAt: '2026-12-31T20:00:00Z', currency: 'EUR', seatCount: 500 } });

    const { code, stderr } = await run(CREATE);

    expect(code).toBe(1);
    expect(stderr).toContain('concert "rock-night" already exists; pass --replace');
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  test('with --replace deletes the old seats first', async () => {
    dynamo.on(GetCommand).resolves({ Item: { concertId: 'rock-night', name: 'Rock Night', venue: 'Arena', startsAt: '2026-12-31T20:00:00Z', currency: 'EUR', seatCount: 1 } });
    dynamo.on(QueryCommand).resolves({ Items: [{ concertId: 'rock-night', seatId: 'Z-1' }] });
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(PutCommand).resolves({});

    const { code, stdout } = await run([...CREATE, '--replace']);

    expect(code).toBe(0);
    expect(dynamo.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.seats?.[0]).toEqual({
      DeleteRequest: { Key: { concertId: 'rock-night', seatId: 'Z-1' } },
    });
    expect(stdout).toContain('Replaced concert rock-night');
  });

  test('exits 1 with the error when DynamoDB fails', async () => {
    dynamo.on(GetCommand).rejects(new Error('connect ECONNREFUSED 127.0.0.1:8000'));

    const { code, stderr } = await run(CREATE);

    expect(code).toBe(1);
    expect(stderr).toContain('ECONNREFUSED');
  });
});

describe('list', () => {
  test('prints one line per concert under a header', async () => {
    dynamo.on(ScanCommand).resolves({
      Items: [{ concertId: 'rock-night', name: 'Rock Night', venue: 'Arena', startsAt: '2026-12-31T20:00:00Z', currency: 'EUR', seatCount: 500 }],
    });

    const { code, stdout } = await run(['list']);

    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^CONCERT\s+STARTS AT\s+SEATS\s+CURRENCY\s+NAME\s+VENUE$/);
    expect(stdout.split('\n')[1]).toMatch(/^rock-night\s+2026-12-31T20:00:00Z\s+500\s+EUR\s+Rock Night\s+Arena$/);
  });

  test('says when there are no concerts', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [] });

    const { stdout } = await run(['list']);

    expect(stdout).toContain('No concerts yet');
  });
});

describe('bad arguments print the usage, exit 2 and touch no table', () => {
  test.each([
    ['an unknown flag', [...CREATE, '--seats', '3'], "Unknown option '--seats'"],
    ['missing flags', flagsWithout('--venue'), 'missing --venue'],
    ['a malformed number', [...flagsWithout('--rows'), '--rows', '20.5'], '--rows must be a whole number'],
    ['an unreadable price band', [...flagsWithout('--price'), '--price', 'A-T=100'], '--price: cannot read price band "A-T=100"'],
    ['rows without a price', [...flagsWithout('--price'), '--price', 'A-E:100'], '--price: rows without a price: F, G'],
    ['a time without a zone', [...flagsWithout('--starts-at'), '--starts-at', '2026-12-31 20:00'], '--starts-at: must be an ISO 8601 time'],
    ['an uppercase id', [...flagsWithout('--id'), '--id', 'Rock'], '--id: must be lowercase'],
    ['no command', [], 'a command is required'],
    ['an unknown command', ['delete'], 'unknown command "delete"'],
    ['a create flag on list', ['list', '--rows', '3'], 'list does not take --rows'],
  ])('%s', async (_case, argv, message) => {
    const { code, stderr, opened } = await run(argv);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: npm run concert');
    expect(opened).toEqual([]);
  });

  test('a missing table name says which flag or variable to set', async () => {
    const { code, stderr } = await run(CREATE, {});

    expect(code).toBe(2);
    expect(stderr).toContain('pass --concerts-table or set CONCERTS_TABLE_NAME');
  });
});

describe('--target aws --outputs outputs.json: the deployed tables', () => {
  /** What `npx cdk deploy Ticketing --outputs-file outputs.json` writes. */
  const OUTPUTS_FILE = resolve(__dirname, 'fixtures', 'cdk-outputs.json');
  const TARGET = ['--target', 'aws', '--outputs', OUTPUTS_FILE];
  const DEPLOYED = {
    concerts: 'Ticketing-TablesConcerts1A2B3C4D-ABCDEFGHIJKL',
    seats: 'Ticketing-TablesSeats1A2B3C4D-ABCDEFGHIJKL',
    seatAvailability: 'Ticketing-TablesSeatAvailability1A2B3C4D-ABCDEFGHIJKL',
  };

  test('create writes the seats, their availability and the concert to the tables the stack outputs, in its region', async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({});
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(PutCommand).resolves({});

    // Act: no table variables in the environment; the outputs name the tables.
    const { code, opened } = await run([...CREATE, ...TARGET], {});

    // Assess
    expect(code).toBe(0);
    expect(opened).toEqual([{ region: 'eu-west-1' }]);
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input.TableName).toBe(DEPLOYED.concerts);
    const written = new Set(dynamo.commandCalls(BatchWriteCommand).flatMap((call) => Object.keys(call.args[0].input.RequestItems ?? {})));
    expect([...written].sort()).toEqual([DEPLOYED.seatAvailability, DEPLOYED.seats].sort());
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.TableName).toBe(DEPLOYED.concerts);
  });

  test('list scans the concerts table the stack outputs', async () => {
    // Prepare
    dynamo.on(ScanCommand).resolves({ Items: [] });

    // Act
    const { code } = await run(['list', ...TARGET], {});

    // Assess
    expect(code).toBe(0);
    expect(dynamo.commandCalls(ScanCommand)[0]?.args[0].input.TableName).toBe(DEPLOYED.concerts);
  });

  test('a table flag with a target is a usage error that opens no client', async () => {
    // Act
    const { code, stderr, opened } = await run([...CREATE, ...TARGET, '--seats-table', 'other'], {});

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('--seats-table and --target do not go together');
    expect(opened).toEqual([]);
  });

  test('a missing outputs file says how to write it, exit 1', async () => {
    // Act
    const { code, stderr, opened } = await run([...CREATE, '--target', 'aws', '--outputs', '/nonexistent/outputs.json'], {});

    // Assess
    expect(code).toBe(1);
    expect(stderr).toBe('error: no outputs file /nonexistent/outputs.json: write it with npx cdk deploy Ticketing --outputs-file /nonexistent/outputs.json\n');
    expect(opened).toEqual([]);
  });
});

test('--target local takes the tables and the DynamoDB endpoint from the runtime file', () => {
  // Prepare
  const runtimeFile = writeRuntimeFile(localRuntime());

  // Act
  const command = parseConcertCommand(['list', '--target', 'local', '--runtime-file', runtimeFile], {});

  // Assess
  expect(command).toEqual({ kind: 'list', concertsTable: 'concerts', connection: { endpoint: 'http://127.0.0.1:8000', region: 'us-east-1' } });
});

test('--help prints the usage and exits 0', async () => {
  const { code, stdout } = await run(['--help']);

  expect(code).toBe(0);
  expect(stdout).toContain('Usage: npm run concert -- <command> [options]');
});
