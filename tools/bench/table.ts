import { ratioOfFigure, SECTIONS, verdictOf, type Figure, type InvariantOutcome, type Section, type Unit } from './figures.ts';

/** The table `npm run bench` prints on stdout: every figure beside its bound, the ratio and whether the target is met. */

const SECTION_TITLES: Record<Section, string> = {
  bundles: 'Bundles: bytes and import time in a fresh process',
  writes: 'DynamoDB item writes per purchase',
  onsale: 'On-sale throughput against the DynamoDB Local write bound',
  burst: 'Accept path under a burst (POST /purchases)',
  large: 'Large on-sale, end to end',
};

const KIB = 1024;

export const formatValue = (value: number, unit: Unit): string => {
  if (Number.isNaN(value)) return 'n/a';
  switch (unit) {
    case 'bytes':
      return `${(value / KIB).toFixed(1)} KiB`;
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(1)} ms`;
    case 'per-second':
      return `${value.toFixed(1)}/s`;
    case 'MiB':
      return `${value.toFixed(0)} MiB`;
    case 'percent':
      return `${value.toFixed(1)} %`;
    case 'writes':
      return value.toFixed(1);
    case 'count':
      return String(Math.round(value));
  }
};

export const formatRatio = (ratio: number | undefined): string => (ratio === undefined ? '' : Number.isNaN(ratio) ? 'n/a' : `${ratio.toFixed(2)}x`);

const VERDICT_TEXT = { met: 'ok', missed: 'MISSED', none: '' } as const;

const pad = (rows: ReadonlyArray<readonly string[]>): string[] => {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd());
};

const rowOf = (figure: Figure): string[] => [
  figure.label,
  formatValue(figure.value, figure.unit),
  figure.reference ? `${formatValue(figure.reference.value, figure.unit)} (${figure.reference.label})` : '',
  formatRatio(ratioOfFigure(figure)),
  figure.target ? `${figure.target.op} ${figure.target.ratio}x` : '',
  VERDICT_TEXT[verdictOf(figure)],
];

const HEADER = ['figure', 'value', 'bound', 'ratio', 'target', ''];

/** `appendix`: text a section prints after its figures (the write ledger). */
export const renderBenchTable = (figures: readonly Figure[], invariants: readonly InvariantOutcome[] = [], appendix: Partial<Record<Section, string>> = {}): string => {
  const lines: string[] = [''];
  for (const section of SECTIONS) {
    const ofSection = figures.filter((f) => f.section === section);
    const checks = invariants.filter((i) => i.section === section);
    if (ofSection.length === 0 && checks.length === 0 && appendix[section] === undefined) continue;
    lines.push(SECTION_TITLES[section]);
    if (ofSection.length > 0) lines.push(...pad([HEADER, ...ofSection.map(rowOf)]));
    const notes = [...new Set(ofSection.flatMap((f) => (f.note ? [f.note] : [])))];
    lines.push(...notes.map((note) => `  * ${note}`));
    lines.push(...checks.map((c) => `  ${c.ok ? 'PASS' : 'FAIL'}  ${c.invariant}. ${c.name}: ${c.detail}`));
    const extra = appendix[section];
    if (extra !== undefined) lines.push('', extra.trimEnd());
    lines.push('');
  }
  const judged = figures.map(verdictOf).filter((v) => v !== 'none');
  const missed = judged.filter((v) => v === 'missed').length;
  const failed = invariants.filter((i) => !i.ok).length;
  lines.push(`Targets: ${judged.length - missed} of ${judged.length} met${invariants.length ? `; invariants: ${invariants.length - failed} of ${invariants.length} hold` : ''}.`, '');
  return lines.join('\n');
};

/** Two runs side by side, figure by figure: the ratio new / old of each figure both runs measured. */
export const renderComparison = (
  older: readonly Figure[],
  newer: readonly Figure[],
  names: { older: string; newer: string },
  /** Options the two runs were made with that differ: a ratio across different sizes says little. */
  differentOptions: readonly string[] = [],
): string => {
  const olderById = new Map(older.map((f) => [f.id, f]));
  const rows = newer.flatMap((figure) => {
    const before = olderById.get(figure.id);
    if (!before) return [];
    const ratio = before.value === 0 && figure.value === 0 ? 1 : before.value > 0 ? figure.value / before.value : Number.NaN;
    return [[figure.label, formatValue(before.value, before.unit), formatValue(figure.value, figure.unit), formatRatio(ratio)]];
  });
  const newerIds = new Set(newer.map((f) => f.id));
  const onlyOlder = older.filter((f) => !newerIds.has(f.id)).length;
  const onlyNewer = newer.filter((f) => !olderById.has(f.id)).length;
  return [
    '',
    `Compared with ${names.older}`,
    ...(differentOptions.length ? [`  (the runs differ in ${differentOptions.join(', ')})`] : []),
    ...(rows.length ? pad([['figure', 'before', 'now', 'now / before'], ...rows]) : ['  no figure in common']),
    ...(onlyOlder || onlyNewer ? [`  (${onlyNewer} figure(s) only in ${names.newer}, ${onlyOlder} only in ${names.older})`] : []),
    '',
  ].join('\n');
};

/** The option names whose values differ between two runs' recorded options. */
export const differingOptions = (older: Readonly<Record<string, unknown>>, newer: Readonly<Record<string, unknown>>): string[] =>
  [...new Set([...Object.keys(older), ...Object.keys(newer)])].filter((key) => JSON.stringify(older[key]) !== JSON.stringify(newer[key])).sort();
