import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { tokenCommand } from '#tools/token';
import { bufferedIo } from './ops/support.ts';

/** What `npx cdk deploy Ticketing --outputs-file outputs.json` writes. */
const OUTPUTS_FILE = resolve(__dirname, 'fixtures', 'cdk-outputs.json');
const USER_POOL_ID = 'eu-west-1_AbCdEf123';
const CLIENT_ID = '4example0client0id0abcdefg';
const ACCESS_TOKEN = 'eyJraWQiOiJhY2Nlc3MifQ.access.token';

const cognito = mockClient(CognitoIdentityProviderClient);

beforeEach(() => {
  cognito.reset();
  cognito.on(AdminCreateUserCommand).resolves({});
  cognito.on(AdminSetUserPasswordCommand).resolves({});
  cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: ACCESS_TOKEN, IdToken: 'id.token', TokenType: 'Bearer', ExpiresIn: 3_600 } });
});

const run = async (argv: readonly string[]) => {
  const regions: string[] = [];
  const main = tokenCommand({
    openCognito: (region) => {
      regions.push(region);
      return new CognitoIdentityProviderClient({ region });
    },
  });
  const out = bufferedIo();
  const code = await main(argv, out.io);
  return { code, stdout: out.stdout(), stderr: out.stderr(), regions };
};

describe('npm run token -- <buyer> --target aws --outputs outputs.json', () => {
  test('creates the test buyer without an invitation, sets a permanent password and signs in with it through the app client', async () => {
    // Act
    const { code, stdout, stderr, regions } = await run(['ada', '--target', 'aws', '--outputs', OUTPUTS_FILE]);

    // Assess
    expect(code).toBe(0);
    expect(regions).toEqual(['eu-west-1']);
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: USER_POOL_ID,
      Username: 'ada@example.com',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'ada@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    const setPassword = cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input;
    expect(setPassword).toMatchObject({ UserPoolId: USER_POOL_ID, Username: 'ada@example.com', Permanent: true });
    expect(setPassword?.Password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z\d]).{12,}$/);
    expect(cognito.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
      ClientId: CLIENT_ID,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'ada@example.com', PASSWORD: setPassword?.Password },
    });
    expect(stdout).toBe(`${ACCESS_TOKEN}\n`);
    expect(stderr).toBe(`Created test buyer ada@example.com in ${USER_POOL_ID}\n`);
  });

  test('signs an existing buyer in with a new password, an email kept as it is', async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));

    // Act
    const { code, stdout, stderr } = await run(['grace@example.org', '--target', 'aws', '--outputs', OUTPUTS_FILE]);

    // Assess
    expect(code).toBe(0);
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input).toMatchObject({ Username: 'grace@example.org', Permanent: true });
    expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(1);
    expect(stdout).toBe(`${ACCESS_TOKEN}\n`);
    expect(stderr).toBe(`Signed in test buyer grace@example.org in ${USER_POOL_ID}\n`);
  });

  test('a user pool that asks for another step (MFA) fails with exit 1 and names it', async () => {
    // Prepare
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'session' });

    // Act
    const { code, stdout, stderr } = await run(['ada', '--target', 'aws', '--outputs', OUTPUTS_FILE]);

    // Assess
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: Cognito asked ada@example.com for SOFTWARE_TOKEN_MFA instead of signing in: use a test buyer without MFA\n');
  });

  test('an outputs file of a stack without the user pool outputs says to deploy again, and calls nothing', async () => {
    // Prepare
    const { Ticketing: outputs } = JSON.parse(readFileSync(OUTPUTS_FILE, 'utf8')) as { Ticketing: Record<string, string> };
    const { UserPoolId: _dropped, ...withoutPool } = outputs;
    const file = join(mkdtempSync(join(tmpdir(), 'token-outputs-')), 'outputs.json');
    writeFileSync(file, JSON.stringify({ Ticketing: withoutPool }));

    // Act
    const { code, stderr } = await run(['ada', '--target', 'aws', '--outputs', file]);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: stack Ticketing has no valid UserPoolId and UserPoolClientId outputs/);
    expect(cognito.calls()).toHaveLength(0);
  });

  test.each([
    ['--target aws without --outputs', ['ada', '--target', 'aws'], /--target aws needs --outputs/],
    ['--hours on AWS', ['ada', '--target', 'aws', '--outputs', OUTPUTS_FILE, '--hours', '2'], /--hours is for local runtimes/],
    ['--outputs locally', ['ada', '--outputs', OUTPUTS_FILE], /--outputs is for --target aws/],
    ['an unknown target', ['ada', '--target', 'gcp'], /--target must be local or aws/],
    ['--data-dir with --pid', ['ada', '--data-dir', '.local', '--pid', '42'], /--data-dir and --pid/],
  ])('%s is a usage error (exit 2) that calls nothing', async (_case, argv, message) => {
    // Act
    const { code, stderr } = await run(argv);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(cognito.calls()).toHaveLength(0);
  });
});
