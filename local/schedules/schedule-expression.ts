/**
 * EventBridge schedule expressions the local scheduler runs: `rate(value
 * unit)`, as AWS documents it (a positive whole number; the singular unit
 * for 1, the plural otherwise). `cron(...)` is refused with a clear error
 * rather than approximated.
 */

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

export class UnsupportedScheduleError extends Error {
  override readonly name = 'UnsupportedScheduleError';
}

/** The interval of a rate expression in milliseconds; throws UnsupportedScheduleError for anything else. */
export const rateIntervalMs = (expression: string): number => {
  const match = RATE.exec(expression.trim());
  if (!match) {
    const reason = expression.trim().startsWith('cron(') ? 'cron schedules are not emulated locally, rate(...) schedules are' : 'not a rate(value unit) expression';
    throw new UnsupportedScheduleError(`${expression}: ${reason}`);
  }
  const value = Number(match[1]);
  const unitText = match[2] ?? '';
  const unit = (unitText.endsWith('s') ? unitText.slice(0, -1) : unitText) as Unit;
  if (value < 1) throw new UnsupportedScheduleError(`${expression}: the value must be a positive whole number`);
  if ((value === 1) !== (unitText === unit)) {
    throw new UnsupportedScheduleError(`${expression}: use the singular unit for 1 and the plural otherwise, as EventBridge requires`);
  }
  return value * UNIT_MS[unit];
};
