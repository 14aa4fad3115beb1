import type { ConditionBlock } from './policy-document.ts';
import { compileWildcard } from './wildcard.ts';

/**
 * A statement's Condition block compiled once into a test of a request's
 * context keys. Every operator must hold, and within one operator every key;
 * a key's policy values are alternatives. The set prefixes and `IfExists`
 * follow the IAM User Guide:
 *
 * - `StringEquals` and friends need the key; `...IfExists` holds without it;
 * - negated operators (`StringNotEquals`, `StringNotLike`) hold without it;
 * - `ForAllValues:` holds when every value of the key matches (so also when
 *   the key has no value: the reason policies pair it with another check);
 * - `ForAnyValue:` holds when at least one value matches.
 *
 * An operator the runtime cannot evaluate makes the statement fail closed:
 * the outcome names it, and the denial says why.
 */

/** The request's condition keys, lower-cased (IAM compares key names case-insensitively), each with its values. */
export type RequestContext = ReadonlyMap<string, readonly string[]>;

type ConditionOutcome = { readonly holds: boolean } | { readonly unsupportedOperator: string };

export type CompiledCondition = (context: RequestContext) => ConditionOutcome;

type ValueMatcher = (policyValues: readonly string[]) => (value: string) => boolean;

const exactly: ValueMatcher = (policyValues) => (value) => policyValues.includes(value);
const ignoringCase: ValueMatcher = (policyValues) => {
  const lowered = policyValues.map((policyValue) => policyValue.toLowerCase());
  return (value) => lowered.includes(value.toLowerCase());
};
const like: ValueMatcher = (policyValues) => {
  const patterns = policyValues.map((policyValue) => compileWildcard(policyValue, { ignoreCase: false }));
  return (value) => patterns.some((pattern) => pattern.test(value));
};

/** The base operators evaluated locally, and whether each is the negation of a match. */
const OPERATORS: Readonly<Record<string, { readonly matcher: ValueMatcher; readonly negated: boolean }>> = {
  StringEquals: { matcher: exactly, negated: false },
  StringNotEquals: { matcher: exactly, negated: true },
  StringEqualsIgnoreCase: { matcher: ignoringCase, negated: false },
  StringNotEqualsIgnoreCase: { matcher: ignoringCase, negated: true },
  StringLike: { matcher: like, negated: false },
  StringNotLike: { matcher: like, negated: true },
  ArnEquals: { matcher: like, negated: false },
  ArnLike: { matcher: like, negated: false },
  ArnNotEquals: { matcher: like, negated: true },
  ArnNotLike: { matcher: like, negated: true },
  Bool: { matcher: ignoringCase, negated: false },
};

const SET_PREFIXES = ['ForAllValues:', 'ForAnyValue:'] as const;
type SetPrefix = (typeof SET_PREFIXES)[number];

interface ParsedOperator {
  readonly base: string;
  readonly set?: SetPrefix;
  readonly ifExists: boolean;
}

const parseOperator = (operator: string): ParsedOperator => {
  const set = SET_PREFIXES.find((prefix) => operator.startsWith(prefix));
  const withoutSet = set ? operator.slice(set.length) : operator;
  const ifExists = withoutSet.endsWith('IfExists');
  return { base: ifExists ? withoutSet.slice(0, -'IfExists'.length) : withoutSet, ifExists, ...(set && { set }) };
};

/** `Null: {key: true}` holds when the key is absent, `false` when it is present. */
const compileNull = (key: string, policyValues: readonly string[]) => (context: RequestContext) => {
  const absent = (context.get(key)?.length ?? 0) === 0;
  return policyValues.some((policyValue) => (policyValue.toLowerCase() === 'true') === absent);
};

const compileKeyTest = (operator: ParsedOperator, key: string, policyValues: readonly string[]): ((context: RequestContext) => boolean) | undefined => {
  if (operator.base === 'Null' && operator.set === undefined && !operator.ifExists) return compileNull(key, policyValues);
  const definition = OPERATORS[operator.base];
  if (!definition) return undefined;
  const matches = definition.matcher(policyValues);
  const satisfies = definition.negated ? (value: string) => !matches(value) : matches;
  return (context) => {
    const values = context.get(key) ?? [];
    if (values.length === 0 && operator.ifExists) return true;
    if (operator.set === 'ForAllValues:') return values.every(satisfies);
    if (operator.set === 'ForAnyValue:') return values.some(satisfies);
    // A single-valued operator: a negation holds when no value matches, an assertion when one does.
    return definition.negated ? values.every(satisfies) : values.some(satisfies);
  };
};

export const compileCondition = (block: ConditionBlock): CompiledCondition => {
  const tests: Array<(context: RequestContext) => boolean> = [];
  for (const [operator, keys] of Object.entries(block)) {
    const parsed = parseOperator(operator);
    for (const [key, policyValues] of Object.entries(keys)) {
      const test = compileKeyTest(parsed, key.toLowerCase(), policyValues);
      if (!test) return () => ({ unsupportedOperator: operator });
      tests.push(test);
    }
  }
  return (context) => ({ holds: tests.every((test) => test(context)) });
};
