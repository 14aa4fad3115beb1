import { z } from 'zod';

/**
 * Does a rule's event pattern select events of one detail-type? Replays
 * target rules, not events (StartReplay's FilterArns), so a replay of one
 * detail-type goes to the rules whose "detail-type" filter admits it.
 *
 * - matches: some branch of the pattern admits this detail-type by name;
 * - excludes: every branch filters detail-type and none admits it;
 * - unconstrained: no detail-type filter: the rule would receive every event type of the window;
 * - unknown: the filter uses an operator this check does not evaluate.
 */
export type DetailTypeSelection = 'matches' | 'excludes' | 'unconstrained' | 'unknown';

const patternSchema = z.record(z.string(), z.unknown());
const operatorSchema = z.record(z.string(), z.unknown());

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** EventBridge wildcards: `*` matches any run of characters, `\*` a literal star. */
const wildcardMatches = (pattern: string, value: string): boolean => {
  const source = pattern
    .split(/(\\\*|\*)/)
    .map((part) => (part === '*' ? '.*' : part === '\\*' ? '\\*' : escapeRegExp(part)))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
};

/** true/false when decided, undefined for an operator not handled here. */
const stringOperator = (name: string, operand: unknown, value: string): boolean | undefined => {
  const ignoringCase = operatorSchema.safeParse(operand).data?.['equals-ignore-case'];
  const text = typeof operand === 'string' ? operand : typeof ignoringCase === 'string' ? ignoringCase : undefined;
  const fold = (s: string) => (typeof ignoringCase === 'string' ? s.toLowerCase() : s);
  switch (name) {
    case 'prefix':
      return text === undefined ? undefined : fold(value).startsWith(fold(text));
    case 'suffix':
      return text === undefined ? undefined : fold(value).endsWith(fold(text));
    case 'equals-ignore-case':
      return typeof operand === 'string' ? value.toLowerCase() === operand.toLowerCase() : undefined;
    case 'wildcard':
      return typeof operand === 'string' ? wildcardMatches(operand, value) : undefined;
    default:
      return undefined;
  }
};

const matcherAdmits = (matcher: unknown, value: string): boolean | undefined => {
  if (typeof matcher === 'string') return matcher === value;
  if (matcher === null || typeof matcher !== 'object' || Array.isArray(matcher)) return false;
  const entries = Object.entries(operatorSchema.parse(matcher));
  const [entry] = entries;
  if (!entry || entries.length > 1) return undefined;
  const [name, operand] = entry;
  switch (name) {
    case 'exists':
      return operand === true;
    // A string is never a number nor an IP address.
    case 'numeric':
    case 'cidr':
      return false;
    case 'anything-but': {
      if (typeof operand === 'number') return true;
      if (typeof operand === 'string') return operand !== value;
      if (Array.isArray(operand)) return !operand.includes(value);
      const inner = Object.entries(operatorSchema.safeParse(operand).data ?? {});
      const [innerEntry] = inner;
      if (!innerEntry || inner.length > 1) return undefined;
      const admitted = stringOperator(innerEntry[0], innerEntry[1], value);
      return admitted === undefined ? undefined : !admitted;
    }
    default:
      return stringOperator(name, operand, value);
  }
};

const branchSelection = (branch: Record<string, unknown>, detailType: string): DetailTypeSelection => {
  const filter = branch['detail-type'];
  if (filter === undefined) return 'unconstrained';
  if (!Array.isArray(filter)) return 'unknown';
  const verdicts = filter.map((matcher) => matcherAdmits(matcher, detailType));
  if (verdicts.includes(true)) return 'matches';
  return verdicts.includes(undefined) ? 'unknown' : 'excludes';
};

export const selectsDetailType = (eventPattern: string | undefined, detailType: string): DetailTypeSelection => {
  if (eventPattern === undefined) return 'unconstrained';
  let json: unknown;
  try {
    json = JSON.parse(eventPattern);
  } catch {
    return 'unknown';
  }
  const pattern = patternSchema.safeParse(json);
  if (!pattern.success) return 'unknown';
  const { $or: alternatives, ...common } = pattern.data;
  const branches = Array.isArray(alternatives)
    ? alternatives.map((alternative) => ({ ...common, ...(patternSchema.safeParse(alternative).data ?? {}) }))
    : [common];
  const selections = branches.map((branch) => branchSelection(branch, detailType));
  for (const selection of ['matches', 'unconstrained', 'unknown'] as const) if (selections.includes(selection)) return selection;
  return 'excludes';
};
