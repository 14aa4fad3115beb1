import { z } from 'zod';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d{1,6})(s|m|h|d)$/;

/** "90s", "30m", "1h", "2d" in milliseconds; undefined for anything else. */
export const parseDuration = (text: string): number | undefined => {
  const match = DURATION.exec(text);
  const unitMs = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  return match?.[1] === undefined || unitMs === undefined ? undefined : Number(match[1]) * unitMs;
};

const isoTimeSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/**
 * A point in time as an operator types it: "now", a duration ago ("30m",
 * "2d"), or an ISO 8601 time with its zone ("2026-11-26T12:00:00Z") or date
 * (UTC midnight). Undefined when it is none of these.
 */
export const parseTimeExpression = (text: string, now: Date): Date | undefined => {
  if (text === 'now') return now;
  const ago = parseDuration(text);
  if (ago !== undefined) return new Date(now.getTime() - ago);
  const iso = isoTimeSchema.safeParse(text);
  return iso.success ? new Date(iso.data) : undefined;
};

export const TIME_EXPRESSION_HELP = 'now, a duration ago (90s, 30m, 1h, 2d) or an ISO time (2026-11-26T12:00:00Z)';

/** "340 ms", "1.2 s", "2 min 3 s", "1 h 2 min", "2 d 3 h": short enough for one line. */
export const formatDuration = (ms: number): string => {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1_440) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.floor(minutes / 1_440)} d ${Math.floor((minutes % 1_440) / 60)} h`;
};

/** Times of day in UTC, as the tools print them: "12:03:04". */
export const formatClock = (date: Date): string => date.toISOString().slice(11, 19);

/** With milliseconds, for timelines where steps are close together: "12:03:04.120". */
export const formatClockMs = (date: Date): string => date.toISOString().slice(11, 23);
