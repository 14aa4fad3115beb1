import { formatDuration, parseDuration, parseTimeExpression } from '#tools/ops/times';

const NOW = new Date('2026-11-26T12:00:00.000Z');

test.each([
  ['now', '2026-11-26T12:00:00.000Z'],
  ['30m', '2026-11-26T11:30:00.000Z'],
  ['1h', '2026-11-26T11:00:00.000Z'],
  ['2d', '2026-11-24T12:00:00.000Z'],
  ['90s', '2026-11-26T11:58:30.000Z'],
  ['2026-11-26T10:15:00Z', '2026-11-26T10:15:00.000Z'],
  ['2026-11-26T10:15:00+02:00', '2026-11-26T08:15:00.000Z'],
  ['2026-11-25', '2026-11-25T00:00:00.000Z'],
])('"%s" is %s', (text, iso) => {
  expect(parseTimeExpression(text, NOW)?.toISOString()).toBe(iso);
});

test.each(['yesterday', '1w', '-1h', '2026-11-26T10:15:00', '2026-13-01', ''])('"%s" is not a time', (text) => {
  expect(parseTimeExpression(text, NOW)).toBeUndefined();
});

test('a duration is a number and a unit', () => {
  expect(parseDuration('15m')).toBe(900_000);
});

test.each([
  [340, '340 ms'],
  [1_240, '1.2 s'],
  [123_000, '2 min 3 s'],
  [3_720_000, '1 h 2 min'],
  [183_600_000, '2 d 3 h'],
])('%d ms reads as %s', (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
});
