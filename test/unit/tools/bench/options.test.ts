import { parseFlags, UsageError } from '#tools/lib/command-line';
import { BENCH_DEFAULTS, BENCH_OPTIONS, benchOptionsOf } from '#tools/bench/options';

const optionsOf = (argv: string[]) => benchOptionsOf(parseFlags(argv, BENCH_OPTIONS));

test('with no flags every section runs at the issue\'s sizes', () => {
  // Act
  const options = optionsOf([]);

  // Assess
  expect(options.sections).toEqual(['bundles', 'writes', 'onsale', 'burst', 'large']);
  expect(options.onsale).toEqual({ buyers: BENCH_DEFAULTS.onsaleBuyers, seats: BENCH_DEFAULTS.onsaleSeats });
  expect(options.large).toEqual({ buyers: 10_000, seats: 1_000 });
});

test('--only runs the sections named, in the bench\'s own order', () => {
  // Act
  const options = optionsOf(['--only', 'large, bundles']);

  // Assess
  expect(options.sections).toEqual(['bundles', 'large']);
});

test('an unknown section is a usage error naming the choices', () => {
  expect(() => optionsOf(['--only', 'bundles,speed'])).toThrow(new UsageError('--only must be one of bundles, writes, onsale, burst, large, not "speed"'));
});

test('sizes are whole numbers within range', () => {
  expect(() => optionsOf(['--large-buyers', '0'])).toThrow(UsageError);
  expect(optionsOf(['--onsale-buyers', '200', '--onsale-seats', '100']).onsale).toEqual({ buyers: 200, seats: 100 });
});

test('a second report after --compare compares two files; without --compare a positional is refused', () => {
  expect(optionsOf(['--compare', 'old.json', 'new.json'])).toMatchObject({ compare: 'old.json', compareWith: 'new.json' });
  expect(() => optionsOf(['new.json'])).toThrow(new UsageError('unexpected argument "new.json"'));
});
