import { EventPatternError } from './errors.ts';
import { isJsonObject, leafValues, objectCandidates } from './json.ts';
import { compileValueMatcher, type ValueMatcher } from './value-matchers.ts';

/**
 * A compiled EventBridge event pattern. Fields of one object are ANDed, the
 * values listed for a field are ORed, `$or` picks any of its branches, and an
 * array in the event matches when any element does. A nested pattern object
 * matched against an array of objects must match within one element, as AWS
 * does ("array-consistent" matching).
 */
export interface EventPattern {
  /** The pattern as given, for DescribeRule and ListRules. */
  readonly source: Readonly<Record<string, unknown>>;
  matches(event: unknown): boolean;
}

const OR_KEY = '$or';
const MIN_OR_BRANCHES = 2;

interface ObjectMatcher {
  readonly fields: ReadonlyArray<readonly [string, FieldMatcher]>;
  /** `$or` branches, each a full object pattern at the same level. */
  readonly anyOf?: readonly ObjectMatcher[];
}

type FieldMatcher =
  | { readonly kind: 'object'; readonly matcher: ObjectMatcher }
  | { readonly kind: 'leaf'; readonly matchers: readonly ValueMatcher[] };

const joinPath = (path: string, key: string) => (path ? `${path}.${key}` : key);

const compileObject = (pattern: Record<string, unknown>, path: string): ObjectMatcher => {
  const keys = Object.keys(pattern);
  if (keys.length === 0) throw new EventPatternError('empty objects are not allowed', path);
  const fields: Array<readonly [string, FieldMatcher]> = [];
  let anyOf: ObjectMatcher[] | undefined;
  for (const key of keys) {
    const value = pattern[key];
    const fieldPath = joinPath(path, key);
    if (key === OR_KEY) {
      if (!Array.isArray(value) || value.length < MIN_OR_BRANCHES || !value.every(isJsonObject)) {
        throw new EventPatternError(`"${OR_KEY}" expects an array of at least ${MIN_OR_BRANCHES} objects`, fieldPath);
      }
      anyOf = value.map((branch, index) => compileObject(branch, `${fieldPath}[${index}]`));
    } else if (isJsonObject(value)) {
      fields.push([key, { kind: 'object', matcher: compileObject(value, fieldPath) }]);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new EventPatternError('empty arrays are not allowed', fieldPath);
      fields.push([key, { kind: 'leaf', matchers: value.map((element) => compileValueMatcher(element, fieldPath)) }]);
    } else {
      throw new EventPatternError(`"${key}" must be an object or an array`, fieldPath);
    }
  }
  return anyOf ? { fields, anyOf } : { fields };
};

const matchesLeaf = (matchers: readonly ValueMatcher[], value: unknown): boolean => {
  const leaves = leafValues(value);
  return matchers.some((matcher) =>
    matcher.kind === 'exists' ? matcher.exists === leaves.length > 0 : leaves.some((leaf) => matcher.test(leaf)),
  );
};

const matchesObjectAt = (matcher: ObjectMatcher, object: Record<string, unknown> | undefined): boolean =>
  matcher.fields.every(([key, field]) => {
    const value = object && Object.hasOwn(object, key) ? object[key] : undefined;
    return field.kind === 'object' ? matchesObject(field.matcher, value) : matchesLeaf(field.matchers, value);
  }) && (!matcher.anyOf || matcher.anyOf.some((branch) => matchesObjectAt(branch, object)));

const matchesObject = (matcher: ObjectMatcher, value: unknown): boolean =>
  objectCandidates(value).some((candidate) => matchesObjectAt(matcher, candidate));

const parseSource = (pattern: unknown): Record<string, unknown> => {
  if (typeof pattern !== 'string') return isJsonObject(pattern) ? pattern : fail(pattern);
  let parsed: unknown;
  try {
    parsed = JSON.parse(pattern);
  } catch {
    throw new EventPatternError('the pattern is not valid JSON', '');
  }
  return isJsonObject(parsed) ? parsed : fail(parsed);
};

const fail = (pattern: unknown): never => {
  throw new EventPatternError(`the pattern must be a JSON object, got ${JSON.stringify(pattern)}`, '');
};

/**
 * Validates and compiles a pattern given as an object (CloudFormation's
 * EventPattern) or as JSON text (the API's EventPattern). Throws
 * EventPatternError naming the offending operator or field.
 */
export const compileEventPattern = (pattern: unknown): EventPattern => {
  const source = parseSource(pattern);
  const root = compileObject(source, '');
  return { source, matches: (event) => matchesObject(root, event) };
};
