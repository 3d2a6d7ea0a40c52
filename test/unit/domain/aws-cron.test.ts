import { describe, expect, it } from 'vitest';
import { parseAwsCron } from '../../../lib/domain/aws-cron.js';
import { recordCronerQuestions } from '../../support/croner-questions.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function next(expression: string, after: string): string | undefined {
  const parsed = parseAwsCron(expression);
  if (!parsed.ok) throw new Error(parsed.problem);
  return iso(parsed.cron.nextStart(at(after)));
}

function problem(expression: string): string | undefined {
  const parsed = parseAwsCron(expression);
  return parsed.ok ? undefined : parsed.problem;
}

describe('AWS cron expressions', () => {
  it('reads day-of-week 1-7 as SUN-SAT, as AWS does', () => {
    // 2026-12-06 is a Sunday.
    expect(next('cron(0 2 ? * 1 *)', '2026-12-06T15:00Z')).toBe('2026-12-13T02:00:00.000Z');
    expect(next('cron(0 2 ? * 2 *)', '2026-12-06T15:00Z')).toBe('2026-12-07T02:00:00.000Z');
    expect(next('cron(0 2 ? * SAT *)', '2026-12-06T15:00Z')).toBe('2026-12-12T02:00:00.000Z');
  });

  it('takes ranges, lists and steps written from a start (0/15)', () => {
    expect(next('cron(0/15 2 ? * MON-FRI *)', '2026-12-07T02:00Z')).toBe('2026-12-07T02:15:00.000Z');
    expect(next('cron(0 1,13 * * ? *)', '2026-12-07T02:00Z')).toBe('2026-12-07T13:00:00.000Z');
  });

  it('takes L, W and # in their fields', () => {
    expect(next('cron(0 2 L * ? *)', '2026-12-06T00:00Z')).toBe('2026-12-31T02:00:00.000Z');
    // 2027-05-15 is a Saturday: the nearest weekday is Friday the 14th.
    expect(next('cron(0 2 15W * ? *)', '2027-05-01T00:00Z')).toBe('2027-05-14T02:00:00.000Z');
    // The third Friday of December 2026.
    expect(next('cron(0 2 ? * 6#3 *)', '2026-12-01T00:00Z')).toBe('2026-12-18T02:00:00.000Z');
    // The last Friday of January 2027.
    expect(next('cron(0 2 ? * 6L 2027)', '2027-01-01T00:00Z')).toBe('2027-01-29T02:00:00.000Z');
  });

  it('keeps to the year field, and has no start after its last year', () => {
    expect(next('cron(0 2 * * ? 2027)', '2026-12-06T00:00Z')).toBe('2027-01-01T02:00:00.000Z');
    expect(next('cron(0 2 * * ? 2025)', '2026-12-06T00:00Z')).toBeUndefined();
  });

  it('asks croner about a few years at a time, so a cron that never fires gives up quickly', () => {
    const parsed = parseAwsCron('cron(0 0 30 2 ? *)');
    if (!parsed.ok) throw new Error(parsed.problem);
    const { patterns, restore } = recordCronerQuestions();
    try {
      const from = at('2026-12-06T00:00Z');
      expect(parsed.cron.nextStart(from, from + 732 * 86_400_000)).toBeUndefined();
      // 2026 to 2028 lie in two spans of four years (2026-2029 starts at 1970 + 14 * 4 = 2026).
      expect(patterns).toEqual(['0 0 0 30 2 * 2026,2027,2028,2029']);
      patterns.length = 0;
      // Unbounded, it stops at AWS's last year, one question per span.
      expect(parsed.cron.nextStart(from)).toBeUndefined();
      expect(patterns).toHaveLength(44);
      expect(patterns.every((p) => !p.endsWith('*'))).toBe(true);
    } finally {
      restore();
    }
  });

  it('finds starts years apart across spans, within its year field', () => {
    expect(next('cron(0 2 1 1 ? 2031/7)', '2026-12-06T00:00Z')).toBe('2031-01-01T02:00:00.000Z');
    expect(next('cron(0 2 1 1 ? 2031/7)', '2031-01-02T00:00Z')).toBe('2038-01-01T02:00:00.000Z');
  });

  it('parses each expression once: the same text gives the same parsed cron', () => {
    const first = parseAwsCron('cron(0 3 ? * 2#1 *)');
    expect(parseAwsCron('cron(0 3 ? * 2#1 *)')).toBe(first);
    expect(parseAwsCron('cron(0 4 ? * 2#1 *)')).not.toBe(first);
  });

  it("lists a day's starts from the minutes and hours fields, and none on a day the cron skips", () => {
    const parsed = parseAwsCron('cron(0/20 8-9,22 ? * MON-FRI *)');
    if (!parsed.ok) throw new Error(parsed.problem);
    // 2026-12-07 is a Monday, 2026-12-06 a Sunday.
    expect(parsed.cron.startsOnDay(at('2026-12-07T00:00Z')).map(iso)).toEqual(
      ['08:00', '08:20', '08:40', '09:00', '09:20', '09:40', '22:00', '22:20', '22:40'].map(
        (t) => `2026-12-07T${t}:00.000Z`,
      ),
    );
    expect(parsed.cron.startsOnDay(at('2026-12-06T00:00Z'))).toEqual([]);
  });

  it.each([
    ['rate(5 minutes)', 'must have the form cron(fields)'],
    ['cron(0 2 * * ?)', 'must have 6 fields'],
    ['cron(0 2 * * * *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(0 2 ? * ? *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(? 2 * * ? *)', 'minutes cannot be ?'],
    ['cron(0 25 ? * 1 *)', 'hours has 25, outside 0-23'],
    ['cron(0 2 ? * 8 *)', 'day-of-week has 8, outside 1-7'],
    ['cron(0 2 * * ? 2200)', 'year has 2200, outside 1970-2199'],
    ['cron(0 2 * * ? 1969-1975)', 'year has 1969, outside 1970-2199'],
    ['cron(/15 2 * * ? *)', 'minutes has a step without a start'],
    ['cron(0 2 * * ? 2030-2027)', 'year allows no year'],
    ['cron(0 2 30 2X ? *)', 'is not a valid cron expression'],
    [`cron(${'0 '.repeat(130)})`, 'must be at most 256 characters'],
  ])('refuses %s', (expression, expected) => {
    expect(problem(expression)).toContain(expected);
  });
});
