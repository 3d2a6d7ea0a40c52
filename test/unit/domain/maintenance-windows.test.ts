import { describe, expect, it } from 'vitest';
import { windowSchedule } from '../../../lib/domain/maintenance-windows.js';
import { recordCronerQuestions } from '../../support/croner-questions.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

/** Nightly 02:00-04:00 UTC. */
const nightly = windowSchedule([{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 120 }]);

describe('maintenance windows', () => {
  it('are open from each start for their duration, and closed after', () => {
    expect(nightly.stateAt(at('2026-12-07T02:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-07T04:00Z'),
    });
    expect(nightly.stateAt(at('2026-12-07T03:59Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-07T04:00Z'),
    });
    expect(nightly.stateAt(at('2026-12-07T04:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-12-08T02:00Z'),
    });
    expect(nightly.stateAt(at('2026-12-06T15:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-12-07T02:00Z'),
    });
  });

  it('no windows: always open', () => {
    expect(windowSchedule([]).stateAt(at('2026-12-07T12:00Z'))).toEqual({ open: true, closesAt: undefined });
  });

  it('join overlapping and touching spans into one opening', () => {
    const joined = windowSchedule([
      { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 },
      { startTime: 'cron(0 3 * * ? *)', durationInMinutes: 90 },
      { startTime: 'cron(0 4 * * ? *)', durationInMinutes: 30 },
    ]);
    expect(joined.stateAt(at('2026-12-07T02:30Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-07T04:30Z'),
    });
  });

  it('starts closer than their duration stay open, and an always-open schedule never closes', () => {
    const always = windowSchedule([{ startTime: 'cron(0 * * * ? *)', durationInMinutes: 90 }]);
    expect(always.stateAt(at('2026-12-07T02:30Z'))).toEqual({ open: true, closesAt: undefined });
  });

  it('a schedule whose last year is past never opens again', () => {
    const past = windowSchedule([{ startTime: 'cron(0 2 * * ? 2025)', durationInMinutes: 60 }]);
    expect(past.stateAt(at('2026-12-07T12:00Z'))).toEqual({ open: false, opensAt: undefined });
    expect(past.afterOpenTime(at('2026-12-07T12:00Z'), HOUR)).toBeUndefined();
  });

  it('count open time only', () => {
    expect(nightly.openTimeBetween(at('2026-12-06T12:00Z'), at('2026-12-09T03:00Z'))).toBe(5 * HOUR);
    // Five hours of open time, from Sunday noon: Monday's and Tuesday's two hours, then one on Wednesday.
    expect(nightly.afterOpenTime(at('2026-12-06T12:00Z'), 5 * HOUR)).toBe(at('2026-12-09T03:00Z'));
    expect(nightly.afterOpenTime(at('2026-12-07T02:30Z'), HOUR)).toBe(at('2026-12-07T03:30Z'));
  });

  it('list the next starts', () => {
    expect(nightly.startsAfter(at('2026-12-07T02:00Z'), 2)).toEqual([
      at('2026-12-08T02:00Z'),
      at('2026-12-09T02:00Z'),
    ]);
  });

  it('refuse an expression that does not parse', () => {
    expect(() => windowSchedule([{ startTime: 'cron(0 2 * * * *)', durationInMinutes: 60 }])).toThrow(
      /exactly one of day-of-month and day-of-week/,
    );
  });
});

describe('maintenance windows that never close', () => {
  it('count as open beyond a week, and still add up open time past it', () => {
    const always = windowSchedule([{ startTime: 'cron(0 * * * ? *)', durationInMinutes: 90 }]);
    const from = at('2026-12-07T02:30Z');
    expect(always.afterOpenTime(from, 10 * 24 * HOUR)).toBe(from + 10 * 24 * HOUR);
    expect(always.openTimeBetween(from, from + 10 * 24 * HOUR)).toBe(10 * 24 * HOUR);
  });
});

describe('an open state asked with a shorter horizon', () => {
  it('follows joined spans only that far: minute-long windows every minute answer open, close unknown, within the hour', () => {
    const everyMinute = windowSchedule([{ startTime: 'cron(* * * * ? *)', durationInMinutes: 1 }]);
    const from = at('2026-12-07T02:30Z');
    expect(everyMinute.stateAt(from, HOUR)).toEqual({ open: true, closesAt: undefined });
    // A gap inside the horizon is still found.
    expect(nightly.stateAt(at('2026-12-07T03:30Z'), HOUR)).toEqual({
      open: true,
      closesAt: at('2026-12-07T04:00Z'),
    });
  });
});

describe('open time over joined spans', () => {
  it('69 days of one-minute windows every minute cost a croner question per day, not per minute', () => {
    const everyMinute = windowSchedule([{ startTime: 'cron(* * * * ? *)', durationInMinutes: 1 }]);
    const from = at('2026-12-07T02:30Z');
    const days = 69;
    const { patterns, restore } = recordCronerQuestions();
    try {
      expect(everyMinute.afterOpenTime(from, days * 24 * HOUR)).toBe(from + days * 24 * HOUR);
      expect(everyMinute.openTimeBetween(from, from + days * 24 * HOUR)).toBe(days * 24 * HOUR);
    } finally {
      restore();
    }
    // Two walks of 70 days each (about 99,000 spans each).
    expect(patterns.length).toBeLessThanOrEqual(2 * (days + 2));
  });

  it('an hour of open time wanted follows joined spans for an hour, not a week', () => {
    const everyMinute = windowSchedule([{ startTime: 'cron(* * * * ? *)', durationInMinutes: 1 }]);
    const from = at('2026-12-07T02:30Z');
    const { patterns, restore } = recordCronerQuestions();
    try {
      expect(everyMinute.afterOpenTime(from, HOUR)).toBe(from + HOUR);
      expect(everyMinute.openTimeBetween(from, from + HOUR)).toBe(HOUR);
    } finally {
      restore();
    }
    // One day's list of starts per walk.
    expect(patterns.length).toBeLessThanOrEqual(2);
  });

  it('windows that cross midnight and days the cron skips join and close where they should', () => {
    // Weekdays 23:30 for two hours: Friday's window runs into Saturday, none on the weekend.
    const lateWeekdays = windowSchedule([{ startTime: 'cron(30 23 ? * MON-FRI *)', durationInMinutes: 120 }]);
    // 2026-12-11 is a Friday.
    expect(lateWeekdays.stateAt(at('2026-12-12T01:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-12T01:30Z'),
    });
    expect(lateWeekdays.stateAt(at('2026-12-12T02:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-12-14T23:30Z'),
    });
    // Every 20 minutes for 20 minutes on weekdays: joined from Monday 00:00 to Saturday 00:00.
    const weekdays = windowSchedule([{ startTime: 'cron(0/20 * ? * MON-FRI *)', durationInMinutes: 20 }]);
    expect(weekdays.stateAt(at('2026-12-07T00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-12T00:00Z'),
    });
    expect(weekdays.openTimeBetween(at('2026-12-06T00:00Z'), at('2026-12-13T00:00Z'))).toBe(5 * 24 * HOUR);
  });
});
