import { selectsDetailType, type DetailTypeSelection } from '#tools/ops/rule-patterns';

const DETAIL_TYPE = 'SeatsReleased.v1';

test.each<[string, unknown, DetailTypeSelection]>([
  ['an exact name in the list', { 'detail-type': ['SeatsReserved.v1', 'SeatsReleased.v1'] }, 'matches'],
  ['other names only', { 'detail-type': ['SeatsReserved.v1'] }, 'excludes'],
  ['a matching prefix', { 'detail-type': [{ prefix: 'Seats' }] }, 'matches'],
  ['a prefix ignoring case', { 'detail-type': [{ prefix: { 'equals-ignore-case': 'seats' } }] }, 'matches'],
  ['another prefix', { 'detail-type': [{ prefix: 'Payment' }] }, 'excludes'],
  ['a matching suffix', { 'detail-type': [{ suffix: '.v1' }] }, 'matches'],
  ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'seatsreleased.V1' }] }, 'matches'],
  ['a wildcard', { 'detail-type': [{ wildcard: 'Seats*.v1' }] }, 'matches'],
  ['a wildcard that does not fit', { 'detail-type': [{ wildcard: 'Payment*' }] }, 'excludes'],
  ['anything-but another name', { 'detail-type': [{ 'anything-but': 'PurchaseFailed.v1' }] }, 'matches'],
  ['anything-but this name', { 'detail-type': [{ 'anything-but': ['SeatsReleased.v1'] }] }, 'excludes'],
  ['anything-but a prefix it has', { 'detail-type': [{ 'anything-but': { prefix: 'Seats' } }] }, 'excludes'],
  ['exists', { 'detail-type': [{ exists: true }] }, 'matches'],
  ['a numeric filter', { 'detail-type': [{ numeric: ['>', 0] }] }, 'excludes'],
  ['no detail-type filter', { source: ['ticketing.inventory'] }, 'unconstrained'],
  ['an $or branch that names it', { source: ['ticketing.inventory'], $or: [{ 'detail-type': ['SeatsReserved.v1'] }, { 'detail-type': ['SeatsReleased.v1'] }] }, 'matches'],
  ['an $or branch without a detail-type filter', { $or: [{ 'detail-type': ['SeatsReserved.v1'] }, { source: ['ticketing.inventory'] }] }, 'unconstrained'],
  ['an operator this check does not know', { 'detail-type': [{ 'some-future-operator': 'x' }] }, 'unknown'],
])('%s', (_case, pattern, expected) => {
  expect(selectsDetailType(JSON.stringify(pattern), DETAIL_TYPE)).toBe(expected);
});

test('a rule without a pattern selects every detail-type', () => {
  expect(selectsDetailType(undefined, DETAIL_TYPE)).toBe('unconstrained');
});

test('a pattern that is not JSON is unknown, never a match', () => {
  expect(selectsDetailType('{not json', DETAIL_TYPE)).toBe('unknown');
});
