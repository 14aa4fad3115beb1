import {
  CommandFailedError,
  defineCommand,
  EXIT,
  expectPositionals,
  parseChoice,
  parseWholeNumber,
  UsageError,
  type Io,
} from '#tools/lib/command-line';
import { bufferedIo } from '../ops/support.ts';

const USAGE = `Usage: npm run sample -- [--count N] <name>

A command made for these tests.

  --count N   how many (default 1)`;

class RuntimeStoppedError extends Error {
  override readonly name = 'RuntimeStoppedError';
}

/** A command whose body is the test's, and that records whether it ran. */
const sampleCommand = (body: (count: number | undefined) => Promise<number>) => {
  const runs: (number | undefined)[] = [];
  const main = defineCommand({
    usage: USAGE,
    failure: 'the sample check fails',
    options: { count: { type: 'string' } },
    explain: (error) => (error instanceof RuntimeStoppedError ? 'the runtime stopped: start it with npm start' : undefined),
    run: async ({ values, positionals }) => {
      expectPositionals(positionals, ['name']);
      const count = values.count === undefined ? undefined : parseWholeNumber('--count', values.count);
      runs.push(count);
      return body(count);
    },
  });
  return { main, runs };
};

const succeeds = () => Promise.resolve(EXIT.ok);

describe('--help', () => {
  test.each([['--help'], ['-h']])('%s prints the usage, the help line and the exit codes on stdout, exits 0 and runs nothing', async (flag) => {
    // Prepare
    const { main, runs } = sampleCommand(succeeds);
    const out = bufferedIo();

    // Act
    const code = await main([flag], out.io);

    // Assess
    expect(code).toBe(0);
    expect(out.stdout()).toBe(
      `${USAGE}\n\n  -h, --help   print this help\n\nExit codes: 0 done, 1 when the sample check fails, 2 on bad arguments.\nDEBUG=1 prints the stack of an unexpected error.\n`,
    );
    expect(out.stderr()).toBe('');
    expect(runs).toEqual([]);
  });

  test('wins over missing positionals, which only the body checks', async () => {
    // Prepare
    const { main } = sampleCommand(succeeds);
    const out = bufferedIo();

    // Act
    const code = await main(['--count', '3', '--help'], out.io);

    // Assess
    expect(code).toBe(0);
    expect(out.stdout()).toContain('Usage: npm run sample');
  });
});

describe('bad arguments exit 2 with one line, the synopsis and a pointer to --help on stderr', () => {
  test.each([
    ['an unknown flag', ['ada', '--verbose'], "Unknown option '--verbose'"],
    ['a flag without its value', ['ada', '--count'], "Option '--count <value>' argument missing"],
    ['a value the body refuses', ['ada', '--count', '2.5'], '--count must be a whole number from 1 to 999999999, not "2.5"'],
    ['a missing positional', [], 'missing <name>'],
    ['an extra positional', ['ada', 'bob'], 'unexpected argument "bob"'],
  ])('%s', async (_case, argv, message) => {
    // Prepare
    const { main, runs } = sampleCommand(succeeds);
    const out = bufferedIo();

    // Act
    const code = await main(argv, out.io);

    // Assess
    expect(code).toBe(2);
    expect(out.stderr()).toBe(`error: ${message}\nUsage: npm run sample -- [--count N] <name>\nRun with --help for every option.\n`);
    expect(out.stdout()).toBe('');
    expect(runs).toEqual([]);
  });
});

describe('the body', () => {
  test('its exit code is the command\'s: 0 when done', async () => {
    // Prepare
    const { main, runs } = sampleCommand(succeeds);
    const out = bufferedIo();

    // Act
    const code = await main(['ada', '--count', '3'], out.io);

    // Assess
    expect(code).toBe(0);
    expect(runs).toEqual([3]);
  });

  test('a failed check returns 1 and the kit adds nothing to what the body printed', async () => {
    // Prepare
    const { main } = sampleCommand(() => Promise.resolve(EXIT.failed));
    const out = bufferedIo();

    // Act
    const code = await main(['ada'], out.io);

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toBe('');
  });

  test('a CommandFailedError exits 1 with its message alone', async () => {
    // Prepare
    const { main } = sampleCommand(() => Promise.reject(new CommandFailedError('no rule selects SeatsReleased.v1')));
    const out = bufferedIo();

    // Act
    const code = await main(['ada'], out.io);

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toBe('error: no rule selects SeatsReleased.v1\n');
  });

  test('an error the command explains exits 1 with its explanation', async () => {
    // Prepare
    const { main } = sampleCommand(() => Promise.reject(new RuntimeStoppedError('connect ECONNREFUSED 127.0.0.1:3000')));
    const out = bufferedIo();

    // Act
    const code = await main(['ada'], out.io);

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toBe('error: the runtime stopped: start it with npm start\n');
  });

  test('a UsageError it throws late is still a usage error: exit 2', async () => {
    // Prepare
    const { main } = sampleCommand(() => Promise.reject(new UsageError('--from is after --to')));
    const out = bufferedIo();

    // Act
    const code = await main(['ada'], out.io);

    // Assess
    expect(code).toBe(2);
    expect(out.stderr()).toMatch(/^error: --from is after --to\nUsage: npm run sample/);
  });
});

describe('an unexpected error exits 1', () => {
  const boom = () => Promise.reject(new TypeError('cannot read properties of undefined'));

  test('with its name and message on one line, no stack', async () => {
    // Prepare
    const { main } = sampleCommand(boom);
    const out = bufferedIo();

    // Act
    const code = await main(['ada'], out.io);

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toBe('error: TypeError: cannot read properties of undefined\n');
  });

  test('with its stack when debugging', async () => {
    // Prepare
    const { main } = sampleCommand(boom);
    const out = bufferedIo();
    const io: Io = { ...out.io, debug: true };

    // Act
    const code = await main(['ada'], io);

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toMatch(/^error: TypeError: cannot read properties of undefined\n\s+at /);
  });

  test('a plain Error prints its message alone', async () => {
    // Prepare
    const { main } = sampleCommand(() => Promise.reject(new Error('socket hang up')));
    const out = bufferedIo();

    // Act
    const code = await main(['ada'], out.io);

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toBe('error: socket hang up\n');
  });

  test('something thrown that is not an error prints as text', async () => {
    // Prepare
    const { main } = sampleCommand(() => Promise.reject('disk full'));
    const out = bufferedIo();

    // Act
    const code = await main(['ada'], out.io);

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toBe('error: disk full\n');
  });
});

describe('values', () => {
  test.each([
    ['25', {}, 25],
    ['-4', { min: -10 }, -4],
    ['65535', { max: 65_535 }, 65_535],
  ])('parseWholeNumber reads %s within %j', (text, range, expected) => {
    // Act
    const value = parseWholeNumber('--n', text, range);

    // Assess
    expect(value).toBe(expected);
  });

  test.each([['0'], ['25.5'], ['2e1'], ['0x19'], [''], ['1000000000']])('parseWholeNumber refuses "%s" with a usage error naming the flag', (text) => {
    // Act
    const parse = () => parseWholeNumber('--n', text);

    // Assess
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(/^--n must be a whole number from 1 to 999999999/);
  });

  test('parseChoice names the choices it expected', () => {
    // Act
    const parse = () => parseChoice('--profile', 'wild', ['mild', 'harsh']);

    // Assess
    expect(parse).toThrow('--profile must be one of mild, harsh, not "wild"');
  });
});
