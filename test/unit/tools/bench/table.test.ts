import type { Figure } from '#tools/bench/figures';
import { verdictOf } from '#tools/bench/figures';
import { differingOptions, formatValue, renderBenchTable, renderComparison } from '#tools/bench/table';

const BYTES: Figure = {
  id: 'bundles.reserve-seats.bytes',
  section: 'bundles',
  label: 'reserve-seats bytes',
  value: 200 * 1024,
  unit: 'bytes',
  reference: { value: 250 * 1024, label: 'budget' },
  target: { op: '<=', ratio: 1 },
};

const THROUGHPUT: Figure = {
  id: 'onsale.throughput',
  section: 'onsale',
  label: 'on-sale',
  value: 8,
  unit: 'per-second',
  reference: { value: 20, label: 'bound / writes per purchase' },
  target: { op: '>=', ratio: 0.5 },
  note: 'on-sale: how it was measured',
};

const P50: Figure = { id: 'burst.p50', section: 'burst', label: 'p50 latency', value: 12.34, unit: 'ms' };

describe('verdictOf', () => {
  it('meets a "<=" target at or under the ratio', () => {
    expect(verdictOf(BYTES)).toBe('met');
  });

  it('misses a ">=" target under the ratio', () => {
    // 8 of 20 is 0.4, under the 0.5 asked.
    expect(verdictOf(THROUGHPUT)).toBe('missed');
  });

  it('judges nothing without a target', () => {
    expect(verdictOf(P50)).toBe('none');
  });

  it('judges nothing when the reference could not be measured', () => {
    expect(verdictOf({ ...THROUGHPUT, reference: { value: Number.NaN, label: 'bound' } })).toBe('none');
  });
});

describe('renderBenchTable', () => {
  it('puts each figure beside its bound, the ratio, the target and the verdict', () => {
    // Act
    const lines = renderBenchTable([BYTES, THROUGHPUT]).split('\n');

    // Assess
    expect(lines).toContain('  reserve-seats bytes  200.0 KiB  250.0 KiB (budget)  0.80x  <= 1x   ok');
    expect(lines).toContain('  on-sale  8.0/s  20.0/s (bound / writes per purchase)  0.40x  >= 0.5x  MISSED');
  });

  it('prints a figure without a bound on its own and each note once under its section', () => {
    // Act
    const text = renderBenchTable([P50, THROUGHPUT, { ...THROUGHPUT, id: 'other' }]);

    // Assess
    expect(text).toContain('  p50 latency  12.3 ms');
    expect(text.match(/\* on-sale: how it was measured/g)).toHaveLength(1);
  });

  it('lists the invariants of a section and counts targets met and invariants held', () => {
    // Act
    const text = renderBenchTable([BYTES, THROUGHPUT], [{ section: 'onsale', invariant: 1, name: 'no oversell', ok: false, detail: 'A-1 sold twice' }]);

    // Assess
    expect(text).toContain('  FAIL  1. no oversell: A-1 sold twice');
    expect(text).toContain('Targets: 1 of 2 met; invariants: 0 of 1 hold.');
  });

  it('prints a section\'s appendix after its figures', () => {
    // Act
    const text = renderBenchTable([], [], { writes: '  Write ledger' });

    // Assess
    expect(text).toContain('DynamoDB item writes per purchase\n\n  Write ledger\n');
  });
});

describe('formatValue', () => {
  it('writes long durations in seconds and unmeasured values as n/a', () => {
    expect([formatValue(43_000, 'ms'), formatValue(950, 'ms'), formatValue(Number.NaN, 'per-second')]).toEqual(['43.0 s', '950.0 ms', 'n/a']);
  });
});

describe('renderComparison', () => {
  it('prints now / before for every figure both runs have', () => {
    // Act
    const text = renderComparison([THROUGHPUT], [{ ...THROUGHPUT, value: 10 }], { older: 'old.json', newer: 'this run' });

    // Assess
    expect(text).toContain('  on-sale  8.0/s   10.0/s  1.25x');
  });

  it('says how many figures only one run has', () => {
    // Act
    const text = renderComparison([BYTES], [P50], { older: 'old.json', newer: 'new.json' });

    // Assess
    expect(text).toContain('  no figure in common');
    expect(text).toContain('  (1 figure(s) only in new.json, 1 only in old.json)');
  });
});

describe('differingOptions', () => {
  it('names the options two runs were made with that differ', () => {
    expect(differingOptions({ sections: ['large'], large: { buyers: 200 }, seed: 1 }, { sections: ['large'], large: { buyers: 10_000 }, runs: 5, seed: 1 })).toEqual(['large', 'runs']);
  });

  it('says so in the comparison', () => {
    expect(renderComparison([P50], [P50], { older: 'old.json', newer: 'new.json' }, ['large'])).toContain('  (the runs differ in large)');
  });
});
