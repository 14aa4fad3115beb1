import { compileCondition } from '#local/iam/conditions';

const context = (entries: Record<string, string[]>) => new Map(Object.entries(entries));
const holds = (block: Record<string, Record<string, string | string[]>>, entries: Record<string, string[]>) => {
  const outcome = compileCondition(Object.fromEntries(Object.entries(block).map(([operator, keys]) => [operator, Object.fromEntries(Object.entries(keys).map(([key, values]) => [key, Array.isArray(values) ? values : [values]]))])))(context(entries));
  return 'holds' in outcome ? outcome.holds : outcome;
};

describe('condition operators', () => {
  it.each([
    ['StringEquals, a listed value', { StringEquals: { 'k': ['a', 'b'] } }, { k: ['b'] }, true],
    ['StringEquals, another value', { StringEquals: { 'k': ['a'] } }, { k: ['c'] }, false],
    ['StringEquals, key absent', { StringEquals: { 'k': 'a' } }, {}, false],
    ['StringEqualsIfExists, key absent', { StringEqualsIfExists: { 'k': 'a' } }, {}, true],
    ['StringEqualsIfExists, another value', { StringEqualsIfExists: { 'k': 'a' } }, { k: ['b'] }, false],
    ['StringNotEquals, key absent', { StringNotEquals: { 'k': 'a' } }, {}, true],
    ['StringNotEquals, the value', { StringNotEquals: { 'k': 'a' } }, { k: ['a'] }, false],
    ['StringLike with a wildcard', { StringLike: { 'k': 'ticketing.*' } }, { k: ['ticketing.orders'] }, true],
    ['ForAllValues, every value listed', { 'ForAllValues:StringEquals': { 'k': ['a', 'b'] } }, { k: ['a', 'b'] }, true],
    ['ForAllValues, one value not listed', { 'ForAllValues:StringEquals': { 'k': ['a', 'b'] } }, { k: ['a', 'c'] }, false],
    ['ForAllValues, no value at all', { 'ForAllValues:StringEquals': { 'k': ['a'] } }, {}, true],
    ['ForAnyValue, one value listed', { 'ForAnyValue:StringEquals': { 'k': ['a'] } }, { k: ['a', 'c'] }, true],
    ['ForAnyValue, no value at all', { 'ForAnyValue:StringEquals': { 'k': ['a'] } }, {}, false],
    ['Null true, key absent', { Null: { 'k': 'true' } }, {}, true],
    ['Null true, key present', { Null: { 'k': 'true' } }, { k: ['a'] }, false],
    ['every operator must hold', { StringEquals: { 'a': 'x' }, StringLike: { 'b': 'y*' } }, { a: ['x'], b: ['z'] }, false],
  ])('%s', (_case, block, entries, expected) => {
    expect(holds(block, entries)).toBe(expected);
  });

  it('compares key names case-insensitively, as IAM does', () => {
    expect(holds({ StringEquals: { 'Events:Source': 'x' } }, { 'events:source': ['x'] })).toBe(true);
  });

  it('names an operator it cannot evaluate instead of guessing', () => {
    expect(holds({ DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, {})).toEqual({ unsupportedOperator: 'DateGreaterThan' });
  });
});
