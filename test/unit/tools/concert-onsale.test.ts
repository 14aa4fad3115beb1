import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { concertCommand, parseConcertCommand } from '#tools/concert/concert-command';

/** `npm run concert -- onsale`: the on-sale configuration that gates a concert behind its waiting room. */
const dynamo = mockClient(DynamoDBDocumentClient);
beforeEach(() => dynamo.reset());

const ENV_TABLES = { CONCERTS_TABLE_NAME: 'concerts', WAITING_ROOM_TABLE_NAME: 'waiting-room' };

const run = async (argv: readonly string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const main = concertCommand({ env: ENV_TABLES, openClient: () => DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })) });
  const code = await main(argv, { stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) } });
  return { code, stdout: out.join(''), stderr: err.join('') };
};

describe('concert onsale', () => {
  it('reads the on-sale from its flags', () => {
    const command = parseConcertCommand(
      ['onsale', '--id', 'rock-night', '--opens-at', '2026-12-01T10:00:00Z', '--admissions-per-minute', '200', '--max-active', '800', '--admission-minutes', '5'],
      ENV_TABLES,
    );

    expect(command).toMatchObject({
      kind: 'onsale',
      concertId: 'rock-night',
      onSale: { startsAt: '2026-12-01T10:00:00Z', admissionsPerMinute: 200, maxActiveBuyers: 800, admissionTtlSeconds: 300 },
      tables: { concerts: 'concerts', waitingRoom: 'waiting-room' },
    });
  });

  it('sets the on-sale with a new key only where none is, and lists the room for the admitter', async () => {
    dynamo.on(UpdateCommand).resolves({});

    const { code, stdout } = await run(['onsale', '--id', 'rock-night']);

    expect(code).toBe(0);
    expect(stdout).toContain('sells through its waiting room');
    const [configure, register] = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(configure).toMatchObject({ TableName: 'concerts', UpdateExpression: 'SET #onSale = :onSale, #key = if_not_exists(#key, :newKey)' });
    expect(register).toMatchObject({ TableName: 'waiting-room', UpdateExpression: 'ADD #concertIds :concertId' });
  });

  it('ungates a concert with --off', async () => {
    dynamo.on(UpdateCommand).resolves({});

    const { code } = await run(['onsale', '--id', 'rock-night', '--off']);

    expect(code).toBe(0);
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({ UpdateExpression: 'REMOVE #onSale' });
  });

  it('fails with exit 1 for a concert that does not exist', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));

    const { code, stderr } = await run(['onsale', '--id', 'nope-night']);

    expect(code).toBe(1);
    expect(stderr).toContain('there is no concert "nope-night"');
  });

  it.each([
    [['onsale'], 'missing --id'],
    [['onsale', '--id', 'rock-night', '--admissions-per-minute', '0'], '--admissions-per-minute'],
    [['onsale', '--id', 'rock-night', '--off', '--max-active', '3'], '--off does not take --max-active'],
    [['onsale', '--id', 'rock-night', '--rows', '3'], 'onsale does not take --rows'],
  ])('refuses %j with exit 2', async (argv, message) => {
    const { code, stderr } = await run(argv);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});
