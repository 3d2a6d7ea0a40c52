/**
 * AWS's cron dialect, as IoT job maintenance windows (and EventBridge
 * schedules) write it: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`,
 * in UTC, with day-of-week 1–7 for SUN–SAT, names (JAN–DEC, SUN–SAT), the
 * wildcards `, - * /`, and `?`, `L`, `W` and `#`. Exactly one of day-of-month
 * and day-of-week is `?`.
 *
 * The parsing and the arithmetic are croner's; this module checks each
 * field's values against AWS's ranges (croner is looser: day-of-week 8, any
 * year, a step with no start) and translates the expression to croner's
 * seven-field form (a leading seconds field of 0, Quartz weekday numbering).
 *
 * croner searches a `*` year up to the year 3000 (forward) or 400 years back,
 * so a cron that never fires (`cron(0 0 30 2 ? *)`, which AWS accepts) costs
 * milliseconds per question. Each question is asked of a croner limited to a
 * few years (the expression's own years within them), made once per span and
 * kept, and stops at the bound its caller gives.
 */
import { Cron } from 'croner';

/** The longest `cron(...)` expression AWS accepts (MaintenanceWindow.startTime). */
const CRON_EXPRESSION_MAX_LENGTH = 256;

/** A parsed AWS cron expression. */
export interface AwsCron {
  /** The expression as written. */
  readonly expression: string;
  /**
   * The first start strictly after `after` (epoch ms), or undefined when there
   * is none before `before` (default: none in AWS's years, to 2199).
   */
  nextStart(after: number, before?: number): number | undefined;
  /**
   * The starts on the UTC day that begins at `dayStart` (epoch ms, a
   * midnight), ascending: one croner question for the day, whose times of
   * day follow from the minutes and hours fields alone.
   */
  startsOnDay(dayStart: number): readonly number[];
}

/** The result of a parse: the expression, or why AWS would refuse it. */
export type AwsCronParse = { ok: true; cron: AwsCron } | { ok: false; problem: string };

const FIELD_NAMES = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'] as const;

/** The years AWS's year field takes. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;
/** The plain numbers each field takes (names, `L`, `W` and `#` are croner's to check). */
const FIELD_RANGES: readonly (readonly [number, number])[] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [1, 7],
  [FIRST_YEAR, LAST_YEAR],
];
/** The years one croner instance searches: a few, so a cron that never fires gives up quickly. */
const SPAN_YEARS = 4;

/**
 * Expressions parsed so far, by their text: making a croner instance is the
 * dear part (about a millisecond), and jobs, templates and windows repeat
 * the same few expressions. A parsed expression is immutable, so one serves
 * every caller.
 */
const parsedExpressions = new Map<string, AwsCronParse>();
/** How many parsed expressions are kept before the cache starts again. */
const PARSED_KEPT = 1_000;

/** Parses `cron(...)` as AWS reads it. Never throws. */
export function parseAwsCron(expression: string): AwsCronParse {
  let parse = parsedExpressions.get(expression);
  if (parse === undefined) {
    if (parsedExpressions.size >= PARSED_KEPT) parsedExpressions.clear();
    parse = parseAnew(expression);
    parsedExpressions.set(expression, parse);
  }
  return parse;
}

function parseAnew(expression: string): AwsCronParse {
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
  const [, , dayOfMonth, , dayOfWeek] = fields as [string, string, string, string, string, string];
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
    const problem = fieldProblem(field, FIELD_RANGES[i]!);
    if (problem !== undefined) return { ok: false, problem: `${FIELD_NAMES[i]} ${problem}` };
  }
  if (!/^[\d*,/-]+$/.test(fields[5]!)) return { ok: false, problem: 'year takes only numbers and , - * /' };
  const years = expandField(fields[5]!, FIELD_RANGES[5]!);
  if (years.length === 0) return { ok: false, problem: 'year allows no year' };
  // croner reads `?` as "the value at parse time"; AWS means "any".
  const any = (field: string) => (field === '?' ? '*' : field);
  const base = ['0', ...fields.slice(0, 5).map(any)].join(' ');
  const spans = new Map<number, Cron | null>();
  const cronFor = (span: number): Cron | null => {
    let cron = spans.get(span);
    if (cron === undefined) {
      const from = FIRST_YEAR + span * SPAN_YEARS;
      const inSpan = years.filter((y) => y >= from && y < from + SPAN_YEARS);
      cron = inSpan.length === 0 ? null : croner(`${base} ${inSpan.join(',')}`);
      spans.set(span, cron);
    }
    return cron;
  };
  try {
    // Parse once now, so a malformed field is refused here rather than at the first question.
    cronFor(spanOf(years[0]!));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `is not a valid cron expression: ${message.replace(/^CronPattern: /, '')}` };
  }
  // Every day a cron fires on, it fires at the same times of day: each hour of the hours field at each minute.
  const minutesOfDay = expandField(fields[1]!, FIELD_RANGES[1]!).flatMap((h) =>
    expandField(fields[0]!, FIELD_RANGES[0]!).map((m) => (h * 60 + m) * 60_000),
  );
  return { ok: true, cron: wrap(expression, years, cronFor, minutesOfDay) };
}

function croner(pattern: string): Cron {
  // sloppyRanges: AWS writes steps as `0/15` (a step with no start is refused above).
  return new Cron(pattern, {
    paused: true,
    timezone: 'UTC',
    mode: '7-part',
    alternativeWeekdays: true,
    sloppyRanges: true,
  });
}

/** Which span of {@link SPAN_YEARS} years, counted from 1970, holds `year`. */
function spanOf(year: number): number {
  return Math.floor((year - FIRST_YEAR) / SPAN_YEARS);
}

const yearOf = (ms: number) => new Date(ms).getUTCFullYear();

const DAY_MS = 86_400_000;

function wrap(
  expression: string,
  years: readonly number[],
  cronFor: (span: number) => Cron | null,
  timesOfDay: readonly number[],
): AwsCron {
  const firstSpan = spanOf(years[0]!);
  const lastSpan = spanOf(years[years.length - 1]!);
  const nextStart = (after: number, before = Number.POSITIVE_INFINITY): number | undefined => {
    const until = Math.min(lastSpan, Number.isFinite(before) ? spanOf(yearOf(before)) : lastSpan);
    // A start strictly after `after` is at `after + 1` or later: the last instant of a year asks nothing of it.
    for (let span = Math.max(firstSpan, spanOf(yearOf(after + 1))); span <= until; span++) {
      const next = cronFor(span)?.nextRun(new Date(after));
      if (next) return next.getTime() < before ? next.getTime() : undefined;
    }
    return undefined;
  };
  return {
    expression,
    nextStart,
    startsOnDay(dayStart) {
      // The day is one the cron fires on when its first start that day falls within it.
      if (nextStart(dayStart - 1, dayStart + DAY_MS) === undefined) return [];
      return timesOfDay.map((t) => dayStart + t);
    },
  };
}

/**
 * What is wrong with one field's numbers, given its range, or undefined.
 * Each list item is `*`, a value or a range `a-b`, optionally stepped by `/n`
 * (a step needs its start, as in `0/15`: AWS refuses `/15`).
 */
function fieldProblem(field: string, [min, max]: readonly [number, number]): string | undefined {
  if (field === '?') return undefined;
  for (const item of field.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || range === '') return `has a step without a start: ${item}`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step))
      return `has a step that is not a positive number: ${item}`;
    if (range === '*') continue;
    for (const end of range!.split('-')) {
      // A number, possibly with croner's suffixes (15W, 6L, 6#3); names and L alone are croner's to check.
      const value = /^(\d+)/.exec(end)?.[1];
      if (value !== undefined && (Number(value) < min || Number(value) > max)) {
        return `has ${value}, outside ${min}-${max}`;
      }
    }
  }
  return undefined;
}

/** The values a checked numeric field (minutes, hours, year) allows, ascending. */
function expandField(field: string, [min, max]: readonly [number, number]): number[] {
  const allowed = new Set<number>();
  for (const item of field.split(',')) {
    const [range = '*', step = '1'] = item.split('/');
    const [from, to] = range === '*' ? [min, max] : (range.split('-').map(Number) as [number, number?]);
    const last = to ?? (item.includes('/') ? max : from);
    for (let y = from; y <= last; y += Number(step)) allowed.add(y);
  }
  return [...allowed].sort((a, b) => a - b);
}
