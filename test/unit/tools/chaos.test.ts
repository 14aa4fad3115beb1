import { parseFlags, UsageError } from '#tools/lib/command-line';
import { CHAOS_OPTIONS, chaosArgumentsOf, main } from '#tools/chaos';
import { CHAOS_PROFILES } from '#tools/chaos/profiles';
import { bufferedIo } from './ops/support.ts';

const parseChaosArguments = (argv: readonly string[]) => chaosArgumentsOf(parseFlags(argv, CHAOS_OPTIONS));

test('with no flags the run is the mild profile, its default purchases, seed 1', () => {
  // Act
  const args = parseChaosArguments([]);

  // Assess
  expect(args).toMatchObject({ profile: CHAOS_PROFILES.mild, purchases: CHAOS_PROFILES.mild.defaultPurchases, seed: 1 });
});

test('--profile harsh takes the harsh defaults unless --purchases says otherwise', () => {
  // Act
  const args = parseChaosArguments(['--profile', 'harsh', '--purchases', '300', '--seed=-4', '--report', 'out.json']);

  // Assess
  expect(args).toMatchObject({ profile: CHAOS_PROFILES.harsh, purchases: 300, seed: -4, reportFile: 'out.json', timeoutSeconds: CHAOS_PROFILES.harsh.drainTimeoutSeconds });
});

test.each([
  [['--profile', 'wild'], /--profile must be one of mild, harsh/],
  [['--purchases', '2.5'], /--purchases must be a whole number/],
  [['--seed', 'abc'], /--seed must be a whole number/],
  [['--report', ' '], /--report is empty/],
  [['extra'], /unexpected argument "extra"/],
])('%j is a usage error', (argv, message) => {
  // Act
  const parse = () => parseChaosArguments(argv);

  // Assess
  expect(parse).toThrow(UsageError);
  expect(parse).toThrow(message);
});

test('an unknown flag exits 2 with the usage before any run starts', async () => {
  // Prepare
  const out = bufferedIo();

  // Act
  const code = await main(['--kills', '3'], out.io);

  // Assess
  expect(code).toBe(2);
  expect(out.stderr()).toMatch(/^error: Unknown option '--kills'[\s\S]*Usage: npm run chaos/);
});
