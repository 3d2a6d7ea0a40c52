/**
 * AWS IoT's scheduling times (`schedulingConfig.startTime` and `endTime`):
 * strings of the form `YYYY-MM-DDTHH:MM`, read as UTC, and the limits AWS
 * puts on them relative to now.
 */

/** `YYYY-MM-DDTHH:MM`. */
const SCHEDULE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const MINUTE_MS = 60_000;
/** The start and end are at least this far ahead, and the end at least this far after the start. */
export const MIN_LEAD_MS = 30 * MINUTE_MS;

/**
 * `at` (epoch ms) `years` calendar years on: the same month, day and time of
 * day (UTC). 29 February becomes 28 February in a year without it, so "a
 * year from 29 February" never reaches into March.
 */
export function yearsLater(at: number, years: number): number {
  const d = new Date(at);
  const year = d.getUTCFullYear() + years;
  const month = d.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(year, month, day) + (at - Date.UTC(d.getUTCFullYear(), month, d.getUTCDate()));
}

/** Epoch ms of a `YYYY-MM-DDTHH:MM` time, or undefined when it is not one (or not a real date). */
export function parseScheduleTime(text: string): number | undefined {
  const m = SCHEDULE_TIME_PATTERN.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const at = Date.UTC(year, month - 1, day, hour, minute);
  const back = new Date(at);
  // Date.UTC rolls 2027-02-30 over to March: a date that does not exist is refused.
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59)
    return undefined;
  return at;
}

/** `at` (epoch ms) written as a scheduling time, to the minute (seconds dropped). */
export function formatScheduleTime(at: number): string {
  return new Date(at).toISOString().slice(0, 16);
}

/** A problem with one field of a scheduling config, for a validation error. */
export interface ScheduleTimeProblem {
  path: 'startTime' | 'endTime';
  message: string;
}

/**
 * What AWS refuses in a start and end time, relative to `now` (epoch ms):
 * the start 30 minutes to a year ahead; the end at most two years ahead, 30
 * minutes after the start (or after now, without a start). A year is a
 * calendar year ({@link yearsLater}): 2027-03-01 to 2028-03-01 is 366 days.
 * Times that do not parse are reported by the schema, not here.
 */
export function scheduleTimeProblems(
  config: { startTime?: string | undefined; endTime?: string | undefined },
  now: number,
): ScheduleTimeProblem[] {
  const problems: ScheduleTimeProblem[] = [];
  const start = config.startTime === undefined ? undefined : parseScheduleTime(config.startTime);
  const end = config.endTime === undefined ? undefined : parseScheduleTime(config.endTime);
  if (start !== undefined) {
    if (start < now + MIN_LEAD_MS) {
      problems.push({ path: 'startTime', message: 'must be at least 30 minutes from now' });
    } else if (start > yearsLater(now, 1)) {
      problems.push({ path: 'startTime', message: 'must be at most a year from now' });
    }
  }
  if (end !== undefined) {
    const after = start ?? now;
    if (end < now + MIN_LEAD_MS) {
      problems.push({ path: 'endTime', message: 'must be at least 30 minutes from now' });
    } else if (end > yearsLater(now, 2)) {
      problems.push({ path: 'endTime', message: 'must be at most two years from now' });
    } else if (end < after + MIN_LEAD_MS) {
      // (At most two years after the start follows from at most two years from now.)
      problems.push({ path: 'endTime', message: 'must be at least 30 minutes after startTime' });
    }
  }
  return problems;
}
