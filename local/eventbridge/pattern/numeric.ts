/**
 * The `numeric` operator: `["=", 5]`, `["<", 10]`, or a range with a lower
 * bound then an upper bound, `[">", 0, "<=", 5]`. AWS limits the operands to
 * ±5.0e9 and matches only values that are JSON numbers.
 */
export interface NumericCondition {
  readonly test: (value: number) => boolean;
}

export class NumericSyntaxError extends Error {
  override readonly name = 'NumericSyntaxError';
}

const NUMERIC_LIMIT = 5e9;

const COMPARATORS = {
  '=': (value: number, operand: number) => value === operand,
  '<': (value: number, operand: number) => value < operand,
  '<=': (value: number, operand: number) => value <= operand,
  '>': (value: number, operand: number) => value > operand,
  '>=': (value: number, operand: number) => value >= operand,
} as const;

type Comparator = keyof typeof COMPARATORS;

const LOWER_BOUNDS: readonly Comparator[] = ['>', '>='];
const UPPER_BOUNDS: readonly Comparator[] = ['<', '<='];

const isComparator = (value: unknown): value is Comparator => typeof value === 'string' && value in COMPARATORS;

const readOperand = (value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new NumericSyntaxError('operands must be numbers');
  if (Math.abs(value) > NUMERIC_LIMIT) throw new NumericSyntaxError(`operand ${value} is outside ±5.0e9`);
  return value;
};

const readComparator = (value: unknown): Comparator => {
  if (!isComparator(value)) throw new NumericSyntaxError(`unknown comparison ${JSON.stringify(value)}`);
  return value;
};

const single = (comparator: Comparator, operand: number): NumericCondition => ({
  test: (value) => COMPARATORS[comparator](value, operand),
});

export const parseNumeric = (spec: unknown): NumericCondition => {
  if (!Array.isArray(spec) || (spec.length !== 2 && spec.length !== 4)) {
    throw new NumericSyntaxError('expects [comparison, number] or [lower comparison, number, upper comparison, number]');
  }
  const first = single(readComparator(spec[0]), readOperand(spec[1]));
  if (spec.length === 2) return first;

  const lowerComparator = readComparator(spec[0]);
  const upperComparator = readComparator(spec[2]);
  if (!LOWER_BOUNDS.includes(lowerComparator) || !UPPER_BOUNDS.includes(upperComparator)) {
    throw new NumericSyntaxError('a range must be a lower bound (> or >=) followed by an upper bound (< or <=)');
  }
  const lower = readOperand(spec[1]);
  const upper = readOperand(spec[3]);
  if (lower >= upper) throw new NumericSyntaxError(`range bottom ${lower} must be below its top ${upper}`);
  const upperCondition = single(upperComparator, upper);
  return { test: (value) => first.test(value) && upperCondition.test(value) };
};
