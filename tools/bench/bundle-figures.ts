import type { BundleFigure } from './bundles.ts';
import type { Figure } from './figures.ts';

/** Each function's bundle against the issue's budgets: at most 250 KiB, and an import at most 1.5 times a bare `node -e 0`. */

const BUNDLE_BYTES_BUDGET = 250 * 1024;
const IMPORT_RATIO_TARGET = 1.5;

export const bundleFigures = (bundles: readonly BundleFigure[], runs: number): Figure[] =>
  bundles.flatMap((bundle): Figure[] => [
    {
      id: `bundles.${bundle.functionName}.bytes`,
      section: 'bundles',
      label: `${bundle.functionName} bytes`,
      value: bundle.bytes,
      unit: 'bytes',
      reference: { value: BUNDLE_BYTES_BUDGET, label: 'budget' },
      target: { op: '<=', ratio: 1 },
    },
    {
      id: `bundles.${bundle.functionName}.import`,
      section: 'bundles',
      label: `${bundle.functionName} import`,
      value: bundle.importMs,
      unit: 'ms',
      reference: { value: bundle.bareNodeMs, label: 'node -e 0' },
      target: { op: '<=', ratio: IMPORT_RATIO_TARGET },
      note: `import: a fresh node process with the function's template environment loads its bundle, median of ${runs} runs, against a bare node -e 0 timed the same way`,
    },
  ]);

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

/** Printed below the figures: where each bundle's bytes are, heaviest package first. */
export const renderBundleContents = (bundles: readonly BundleFigure[]): string =>
  [
    '  Heaviest packages of each bundle (bytes of index.js, from its source map)',
    ...bundles.map((bundle) => `    ${bundle.functionName}: ${bundle.heaviest.map((weight) => `${weight.name} ${kib(weight.bytes)}`).join(', ')}`),
  ].join('\n');
