import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultReportPath, readBenchReport, reportOf, writeBenchReport } from '#tools/bench/report-file';

test('a run written as JSON reads back the same, an unmeasured value included', () => {
  // Prepare
  const path = join(mkdtempSync(join(tmpdir(), 'bench-report-')), 'nested', 'run.json');
  const report = reportOf({
    startedAt: new Date('2026-12-07T14:30:00.123Z'),
    options: { sections: ['burst'] },
    figures: [{ id: 'burst.p50', section: 'burst', label: 'p50', value: Number.NaN, unit: 'ms' }],
    invariants: [{ section: 'large', invariant: 1, name: 'no oversell', ok: true, detail: 'fine' }],
  });

  // Act
  writeBenchReport(path, report);
  const read = readBenchReport(path);

  // Assess
  expect(read.figures[0]?.value).toBeNaN();
  expect(read.invariants).toEqual(report.invariants);
  expect(read.startedAt).toBe('2026-12-07T14:30:00.123Z');
});

test('the default file is under reports/bench, named by the start time without colons', () => {
  expect(defaultReportPath(new Date('2026-12-07T14:30:00.123Z'))).toBe(join('reports', 'bench', '2026-12-07T14-30-00Z.json'));
});
