import { describe, expect, it } from 'vitest';
import {
  formatScheduleTime,
  parseScheduleTime,
  scheduleTimeProblems,
  yearsLater,
} from '../../../lib/domain/schedule-time.js';

const now = Date.parse('2026-12-06T15:00:00Z');

describe('scheduling times', () => {
  it('read YYYY-MM-DDTHH:MM as UTC, and write it back', () => {
    expect(parseScheduleTime('2026-12-07T02:00')).toBe(Date.parse('2026-12-07T02:00:00Z'));
    expect(formatScheduleTime(Date.parse('2026-12-07T02:00:59Z'))).toBe('2026-12-07T02:00');
  });

  it.each([
    '2026-12-07',
    '2026-12-07T02:00:00',
    '2026-12-07T02:00Z',
    '2027-02-30T02:00',
    '2026-12-07T24:00',
    'soon',
  ])('refuse %s', (text) => {
    expect(parseScheduleTime(text)).toBeUndefined();
  });

  it('a start 30 minutes to a year ahead, an end at least 30 minutes after it and at most two years ahead', () => {
    expect(scheduleTimeProblems({ startTime: '2026-12-06T15:30', endTime: '2026-12-06T16:00' }, now)).toEqual(
      [],
    );
    expect(scheduleTimeProblems({ startTime: '2026-12-06T15:29' }, now)).toEqual([
      { path: 'startTime', message: 'must be at least 30 minutes from now' },
    ]);
    expect(scheduleTimeProblems({ startTime: '2027-12-07T15:00' }, now)).toEqual([
      { path: 'startTime', message: 'must be at most a year from now' },
    ]);
    expect(scheduleTimeProblems({ startTime: '2026-12-06T16:00', endTime: '2026-12-06T16:29' }, now)).toEqual(
      [{ path: 'endTime', message: 'must be at least 30 minutes after startTime' }],
    );
    expect(scheduleTimeProblems({ endTime: '2028-12-06T15:01' }, now)).toEqual([
      { path: 'endTime', message: 'must be at most two years from now' },
    ]);
    expect(scheduleTimeProblems({ endTime: '2026-12-06T15:10' }, now)).toEqual([
      { path: 'endTime', message: 'must be at least 30 minutes from now' },
    ]);
  });

  it('count a year and two years by the calendar: the same date and time, 29 February becoming 28 February', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(yearsLater(at('2027-03-01T00:00Z'), 1)).toBe(at('2028-03-01T00:00Z'));
    expect(yearsLater(at('2028-02-29T12:34:56.789Z'), 1)).toBe(at('2029-02-28T12:34:56.789Z'));
    expect(yearsLater(at('2028-02-29T12:00Z'), 4)).toBe(at('2032-02-29T12:00Z'));
    // A year from 2027-03-01 is 366 days (2028 is a leap year); two years from 2026-12-06 is 731.
    expect(scheduleTimeProblems({ startTime: '2028-03-01T00:00' }, at('2027-03-01T00:00Z'))).toEqual([]);
    expect(scheduleTimeProblems({ startTime: '2028-03-01T00:01' }, at('2027-03-01T00:00Z'))).toEqual([
      { path: 'startTime', message: 'must be at most a year from now' },
    ]);
    expect(scheduleTimeProblems({ endTime: '2028-12-06T15:00' }, now)).toEqual([]);
    expect(scheduleTimeProblems({ startTime: '2029-02-28T12:00' }, at('2028-02-29T12:00Z'))).toEqual([]);
    expect(scheduleTimeProblems({ startTime: '2029-03-01T00:00' }, at('2028-02-29T12:00Z'))).toEqual([
      { path: 'startTime', message: 'must be at most a year from now' },
    ]);
  });
});
