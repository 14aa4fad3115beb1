import { ratioOf } from './stats.ts';

/**
 * A figure of the benchmark: a measured value, and when it has one, the
 * reference it is judged against (a budget, or a bound measured in the same
 * run) with the ratio the target applies to. One shape for every section, so
 * the table, the JSON file and the comparison treat them alike.
 */

export const SECTIONS = ['bundles', 'writes', 'onsale', 'burst', 'large'] as const;
export type Section = (typeof SECTIONS)[number];

export type Unit = 'bytes' | 'ms' | 'per-second' | 'count' | 'writes' | 'MiB' | 'percent';

interface Reference {
  readonly value: number;
  /** What the reference is and how it was obtained: "budget", "bare node -e 0, median of 5". */
  readonly label: string;
}

interface Target {
  /** '<=': the ratio must not exceed `ratio`; '>=': it must reach it. */
  readonly op: '<=' | '>=';
  readonly ratio: number;
}

export interface Figure {
  /** Stable across runs ("bundles.reserve-seats.bytes"): what --compare matches on. */
  readonly id: string;
  readonly section: Section;
  readonly label: string;
  readonly value: number;
  readonly unit: Unit;
  readonly reference?: Reference;
  readonly target?: Target;
  /** How the figure was measured, when the label cannot say it. */
  readonly note?: string;
}

export type Verdict = 'met' | 'missed' | 'none';

export const ratioOfFigure = (figure: Figure): number | undefined => (figure.reference ? ratioOf(figure.value, figure.reference.value) : undefined);

/** Whether the figure meets its target; 'none' without a target or a ratio to judge. */
export const verdictOf = (figure: Figure): Verdict => {
  const ratio = ratioOfFigure(figure);
  if (!figure.target || ratio === undefined || Number.isNaN(ratio)) return 'none';
  const met = figure.target.op === '<=' ? ratio <= figure.target.ratio : ratio >= figure.target.ratio;
  return met ? 'met' : 'missed';
};

/** An invariant of DESIGN.md checked after a run: not a figure (it has no ratio), but part of every run's record. */
export interface InvariantOutcome {
  readonly section: Section;
  readonly invariant: number;
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}
