import { cidrContains, CidrSyntaxError, parseCidr } from './cidr.ts';
import { EventPatternError } from './errors.ts';
import { isJsonObject, isJsonScalar, type JsonScalar } from './json.ts';
import { NumericSyntaxError, parseNumeric } from './numeric.ts';
import { matchesWildcard, parseWildcard, WildcardSyntaxError } from './wildcard.ts';

/**
 * One element of a field's match list. `exists` is about the field, not a
 * value, so it is kept apart from the matchers that test one leaf value.
 */
export type ValueMatcher =
  | { readonly kind: 'exists'; readonly exists: boolean }
  | { readonly kind: 'value'; readonly test: (leaf: JsonScalar) => boolean };

type LeafTest = (leaf: JsonScalar) => boolean;

/** The operators EventBridge rules accept; anything else is rejected up front. */
const SUPPORTED_OPERATORS = [
  'prefix',
  'suffix',
  'anything-but',
  'numeric',
  'exists',
  'equals-ignore-case',
  'wildcard',
  'cidr',
] as const;
type Operator = (typeof SUPPORTED_OPERATORS)[number];

const IGNORE_CASE = 'equals-ignore-case';

const isOperator = (key: string): key is Operator => (SUPPORTED_OPERATORS as readonly string[]).includes(key);

// Folding both ways approximates Unicode case-insensitive equality (e.g. "ß" vs "SS").
const foldCase = (text: string) => text.toUpperCase().toLowerCase();

const stringTest =
  (predicate: (text: string) => boolean): LeafTest =>
  (leaf) =>
    typeof leaf === 'string' && predicate(leaf);

const exactTest = (expected: JsonScalar): LeafTest => (leaf) => leaf === expected;

class OperatorCompiler {
  constructor(private readonly path: string) {}

  fail(reason: string): never {
    throw new EventPatternError(reason, this.path);
  }

  requireString(operator: string, value: unknown): string {
    if (typeof value !== 'string') this.fail(`"${operator}" expects a string, got ${JSON.stringify(value)}`);
    return value;
  }

  requireStrings(operator: string, value: unknown): string[] {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) this.fail(`"${operator}" needs at least one value`);
    return values.map((item) => this.requireString(operator, item));
  }

  /** The single key of an operator object such as `{ "prefix": "us-" }`. */
  singleKey(operator: string, value: Record<string, unknown>): [string, unknown] {
    const entries = Object.entries(value);
    const [entry] = entries;
    if (!entry || entries.length !== 1) {
      const keys = entries.map(([key]) => `"${key}"`).join(', ') || 'none';
      this.fail(`${operator} objects take exactly one key, got ${keys}`);
    }
    return entry;
  }

  wildcard(operator: string, text: string) {
    try {
      return parseWildcard(text);
    } catch (error) {
      if (error instanceof WildcardSyntaxError) this.fail(`"${operator}" value "${text}": ${error.message}`);
      throw error;
    }
  }

  /** prefix / suffix take a string or `{ "equals-ignore-case": string }`. */
  affix(operator: 'prefix' | 'suffix', spec: unknown): LeafTest {
    const check = operator === 'prefix' ? (text: string, affix: string) => text.startsWith(affix) : (text: string, affix: string) => text.endsWith(affix);
    if (typeof spec === 'string') return stringTest((text) => check(text, spec));
    if (isJsonObject(spec)) {
      const [key, value] = this.singleKey(operator, spec);
      if (key !== IGNORE_CASE) this.fail(`"${operator}" does not support "${key}"; only "${IGNORE_CASE}"`);
      const folded = foldCase(this.requireString(`${operator}.${IGNORE_CASE}`, value));
      return stringTest((text) => check(foldCase(text), folded));
    }
    return this.fail(`"${operator}" expects a string or { "${IGNORE_CASE}": string }`);
  }

  /** The test whose negation anything-but applies. */
  excluded(spec: unknown): LeafTest {
    if (typeof spec === 'string' || typeof spec === 'number') return exactTest(spec);
    if (Array.isArray(spec)) {
      const allStrings = spec.every((item) => typeof item === 'string');
      const allNumbers = spec.every((item) => typeof item === 'number');
      if (spec.length === 0 || !(allStrings || allNumbers)) {
        this.fail('"anything-but" list must be non-empty and contain only strings or only numbers');
      }
      const excluded = new Set<unknown>(spec);
      return (leaf) => excluded.has(leaf);
    }
    if (isJsonObject(spec)) {
      const [key, value] = this.singleKey('anything-but', spec);
      switch (key) {
        case 'prefix':
        case 'suffix':
          return this.affix(key, this.requireString(`anything-but.${key}`, value));
        case IGNORE_CASE: {
          const folded = new Set(this.requireStrings(`anything-but.${IGNORE_CASE}`, value).map(foldCase));
          return stringTest((text) => folded.has(foldCase(text)));
        }
        case 'wildcard': {
          const patterns = this.requireStrings('anything-but.wildcard', value).map((text) => this.wildcard('anything-but.wildcard', text));
          return stringTest((text) => patterns.some((pattern) => matchesWildcard(pattern, text)));
        }
        default:
          return this.fail(`"anything-but" does not support "${key}"`);
      }
    }
    return this.fail(`"anything-but" expects a string, a number, a list, or an object with prefix, suffix, ${IGNORE_CASE} or wildcard`);
  }

  operator(operator: Operator, spec: unknown): ValueMatcher {
    const value = (test: LeafTest): ValueMatcher => ({ kind: 'value', test });
    switch (operator) {
      case 'prefix':
      case 'suffix':
        return value(this.affix(operator, spec));
      case 'anything-but': {
        const excluded = this.excluded(spec);
        return value((leaf) => !excluded(leaf));
      }
      case 'numeric':
        try {
          const condition = parseNumeric(spec);
          return value((leaf) => typeof leaf === 'number' && condition.test(leaf));
        } catch (error) {
          if (error instanceof NumericSyntaxError) this.fail(`"numeric" ${error.message}`);
          throw error;
        }
      case 'exists':
        if (typeof spec !== 'boolean') this.fail(`"exists" expects true or false, got ${JSON.stringify(spec)}`);
        return { kind: 'exists', exists: spec };
      case IGNORE_CASE: {
        const folded = foldCase(this.requireString(IGNORE_CASE, spec));
        return value(stringTest((text) => foldCase(text) === folded));
      }
      case 'wildcard': {
        const pattern = this.wildcard('wildcard', this.requireString('wildcard', spec));
        return value(stringTest((text) => matchesWildcard(pattern, text)));
      }
      case 'cidr':
        try {
          const block = parseCidr(this.requireString('cidr', spec));
          return value(stringTest((text) => cidrContains(block, text)));
        } catch (error) {
          if (error instanceof CidrSyntaxError) this.fail(`"cidr" ${error.message}`);
          throw error;
        }
    }
  }
}

/** Compiles one element of a field's match list: a literal or an operator object. */
export const compileValueMatcher = (element: unknown, path: string): ValueMatcher => {
  const compiler = new OperatorCompiler(path);
  if (isJsonScalar(element)) return { kind: 'value', test: exactTest(element) };
  if (!isJsonObject(element)) return compiler.fail('match values must be strings, numbers, true, false, null or operator objects');
  const [operator, spec] = compiler.singleKey('operator', element);
  if (!isOperator(operator)) return compiler.fail(`unrecognized match type "${operator}"`);
  return compiler.operator(operator, spec);
};
