import { rateIntervalMs, UnsupportedScheduleError } from '#local/schedules/schedule-expression';

describe('rate expressions', () => {
  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(2 days)', 172_800_000],
  ])('%s fires every %i ms', (expression, intervalMs) => {
    expect(rateIntervalMs(expression)).toBe(intervalMs);
  });

  it.each([
    ['rate(1 minutes)', 'singular unit for 1'],
    ['rate(5 minute)', 'singular unit for 1'],
    ['rate(0 minutes)', 'positive whole number'],
    ['rate(1 second)', 'not a rate(value unit) expression'],
    ['cron(0 12 * * ? *)', 'cron schedules are not emulated locally'],
  ])('%s is refused, saying why', (expression, reason) => {
    expect(() => rateIntervalMs(expression)).toThrow(UnsupportedScheduleError);
    expect(() => rateIntervalMs(expression)).toThrow(reason);
  });
});
