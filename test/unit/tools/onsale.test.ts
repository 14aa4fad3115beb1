import { parseFlags, UsageError } from '#tools/lib/command-line';
import { ONSALE_OPTIONS, onsaleOptionsOf } from '#tools/onsale';

const parseOnsaleOptions = (argv: readonly string[]) => onsaleOptionsOf(parseFlags(argv, ONSALE_OPTIONS));

test('with no flags the spike is 2000 buyers for 500 seats in a runtime of its own', () => {
  // Act
  const options = parseOnsaleOptions([]);

  // Assess
  expect(options).toEqual({ buyers: 2000, seats: 500, concurrency: 100, seed: 1, timeoutSeconds: 900 });
});

test('the flags set the run, --api a running runtime', () => {
  // Act
  const options = parseOnsaleOptions(['--buyers', '50', '--seats', '25', '--api', 'http://127.0.0.1:3000', '--concurrency', '5', '--seed=-3', '--timeout', '60']);

  // Assess
  expect(options).toEqual({ buyers: 50, seats: 25, api: 'http://127.0.0.1:3000', concurrency: 5, seed: -3, timeoutSeconds: 60 });
});

test.each([
  [['--buyers', '0'], '--buyers must be a whole number from 1 to 100000, not "0"'],
  [['--seats', '2.5'], '--seats must be a whole number from 1 to 10000, not "2.5"'],
  [['--api', 'localhost'], '--api must be a URL, not "localhost"'],
  [['--timeout', '5'], '--timeout must be a whole number from 10 to 86400, not "5"'],
  [['2000'], 'unexpected argument "2000"'],
])('%j is a usage error', (argv, message) => {
  // Act
  const parse = () => parseOnsaleOptions(argv);

  // Assess
  expect(parse).toThrow(UsageError);
  expect(parse).toThrow(message);
});

test('--waiting-room sizes the line for the crowd: a fiftieth of it a run, twice as many live admissions as buyers, half before the start', () => {
  // Act
  const options = parseOnsaleOptions(['--waiting-room', '--buyers', '2000']);

  // Assess
  expect(options).toMatchObject({ buyers: 2000, concurrency: 32, waitingRoom: { admissionsPerRun: 40, maxActiveBuyers: 4000, admissionTtlSeconds: 600, earlyPercent: 50 } });
});

test('the line flags override its defaults', () => {
  // Act
  const options = parseOnsaleOptions(['--waiting-room', '--admissions-per-run', '7', '--max-active', '30', '--admission-minutes', '2', '--early', '0', '--concurrency', '8']);

  // Assess
  expect(options).toMatchObject({ concurrency: 8, waitingRoom: { admissionsPerRun: 7, maxActiveBuyers: 30, admissionTtlSeconds: 120, earlyPercent: 0 } });
});

test.each([
  [['--admissions-per-run', '5'], '--admissions-per-run only with --waiting-room'],
  [['--waiting-room', '--api', 'http://127.0.0.1:3000'], '--waiting-room starts a runtime of its own'],
  [['--waiting-room', '--early', '101'], '--early must be a whole number from 0 to 100, not "101"'],
])('%j is a usage error of the line', (argv, message) => {
  // Act
  const parse = () => parseOnsaleOptions(argv);

  // Assess
  expect(parse).toThrow(message);
});
