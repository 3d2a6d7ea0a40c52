/**
 * AWS's cron dialect, as IoT job maintenance windows (and EventBridge
 * schedules) write it: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`,
 * in UTC, with day-of-week 1–7 for SUN–SAT, names (JAN–DEC, SUN–SAT), the
 * wildcards `, - * /`, and `?`, `L`, `W` and `#`. Exactly one of day-of-month
 * and day-of-week is `?`.
 *
 * The parsing and the arithmetic are croner's; this module only checks what
 * AWS's dialect adds and translates it to croner's seven-field form (a
 * leading seconds field of 0, Quartz weekday numbering).
 */
import { Cron } from 'croner';

/** The longest `cron(...)` expression AWS accepts (MaintenanceWindow.startTime). */
const CRON_EXPRESSION_MAX_LENGTH = 256;

/** A parsed AWS cron expression. */
export interface AwsCron {
  /** The expression as written. */
  readonly expression: string;
  /** The first start strictly after `after` (epoch ms), or undefined when there is none. */
  nextStart(after: number): number | undefined;
  /** The last start at or before `at` (epoch ms), or undefined when there is none. */
  lastStartAtOrBefore(at: number): number | undefined;
}

/** The result of a parse: the expression, or why AWS would refuse it. */
export type AwsCronParse = { ok: true; cron: AwsCron } | { ok: false; problem: string };

const FIELD_NAMES = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'] as const;

/** Parses `cron(...)` as AWS reads it. Never throws. */
export function parseAwsCron(expression: string): AwsCronParse {
  if (expression.length > CRON_EXPRESSION_MAX_LENGTH) {
    return { ok: false, problem: `must be at most ${CRON_EXPRESSION_MAX_LENGTH} characters` };
  }
  const inner = /^cron\((.*)\)$/.exec(expression.trim())?.[1];
  if (inner === undefined) return { ok: false, problem: 'must have the form cron(fields)' };
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== FIELD_NAMES.length) {
    return {
      ok: false,
      problem: `must have 6 fields (${FIELD_NAMES.join(' ')}), not ${fields.length}`,
    };
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return { ok: false, problem: 'exactly one of day-of-month and day-of-week must be ?' };
  }
  for (const [i, field] of fields.entries()) {
    if (field.includes('?') && field !== '?') {
      return { ok: false, problem: `${FIELD_NAMES[i]} may be ? only on its own` };
    }
    if (field === '?' && i !== 2 && i !== 4) {
      return { ok: false, problem: `${FIELD_NAMES[i]} cannot be ?` };
    }
  }
  // croner reads `?` as "the value at parse time"; AWS means "any".
  const any = (field: string) => (field === '?' ? '*' : field);
  const pattern = ['0', minutes, hours, any(dayOfMonth), month, any(dayOfWeek), year].join(' ');
  let cron: Cron;
  try {
    cron = new Cron(pattern, {
      paused: true,
      timezone: 'UTC',
      mode: '7-part',
      alternativeWeekdays: true,
      // AWS writes steps as `0/15`.
      sloppyRanges: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `is not a valid cron expression: ${message.replace(/^CronPattern: /, '')}` };
  }
  return { ok: true, cron: wrap(expression, cron) };
}

function wrap(expression: string, cron: Cron): AwsCron {
  return {
    expression,
    nextStart(after) {
      return cron.nextRun(new Date(after))?.getTime();
    },
    lastStartAtOrBefore(at) {
      // croner's reference is exclusive: look back from just after `at`.
      return cron.previousRuns(1, new Date(at + 1))[0]?.getTime();
    },
  };
}
