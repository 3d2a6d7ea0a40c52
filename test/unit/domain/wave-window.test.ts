import { describe, expect, it } from 'vitest';
import { sleepInOpenTime, waveDeadlineInWindows, waveWindowAt } from '../../../lib/domain/wave-window.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);
/** Daily, 02:00–03:00 UTC. */
const NIGHTLY = [{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 }];

describe('a wave in its maintenance windows', () => {
  it('records the window as closed with its next opening, or open with its closing', () => {
    expect(waveWindowAt(NIGHTLY, T0)).toEqual({ open: false, opensAt: '2026-01-01T02:00:00.000Z' });
    expect(waveWindowAt(NIGHTLY, T0 + 2.5 * HOUR)).toEqual({
      open: true,
      closesAt: '2026-01-01T03:00:00.000Z',
    });
    expect(waveWindowAt(NIGHTLY, T0 + 3 * HOUR)).toEqual({
      open: false,
      opensAt: '2026-01-02T02:00:00.000Z',
    });
    expect(waveWindowAt([], T0)).toBeUndefined();
  });

  it('times out once the windows were open the timeout, closed time not counted', () => {
    // 90 minutes from midnight: the hour of the first night, then half an hour of the second.
    expect(waveDeadlineInWindows(T0, 90, NIGHTLY)).toBe(T0 + DAY + 2.5 * HOUR);
    // Started inside a window: its rest counts first.
    expect(waveDeadlineInWindows(T0 + 2.5 * HOUR, 30, NIGHTLY)).toBe(T0 + 3 * HOUR);
    expect(waveDeadlineInWindows(T0, 90, [])).toBe(T0 + 90 * 60_000);
    // A window that never opens again (a year that has passed): wall time.
    const never = [{ startTime: 'cron(0 2 1 1 ? 2020)', durationInMinutes: 60 }];
    expect(waveDeadlineInWindows(T0, 90, never)).toBe(T0 + 90 * 60_000);
  });

  it('sleeps the asked time of open window time, not forced to an edge, never past the deadline', () => {
    const far = T0 + 30 * DAY;
    // Closed until 02:00: five minutes of open time end at 02:05.
    expect(sleepInOpenTime(300, NIGHTLY, T0, far)).toBe(2 * 3600 + 300);
    // Open until 03:00: an hour of open time is the last half hour of this night and the first of the next.
    expect(sleepInOpenTime(3600, NIGHTLY, T0 + 2.5 * HOUR, far)).toBe(DAY / 1000);
    expect(sleepInOpenTime(60, NIGHTLY, T0 + 2.5 * HOUR, far)).toBe(60);
    // The deadline cuts it.
    expect(sleepInOpenTime(3600, NIGHTLY, T0 + 2.5 * HOUR, T0 + 3 * HOUR)).toBe(1800);
    expect(sleepInOpenTime(60, [], T0, far)).toBe(60);
    const never = [{ startTime: 'cron(0 2 1 1 ? 2020)', durationInMinutes: 60 }];
    expect(sleepInOpenTime(60, never, T0, far)).toBe(60);
  });
});
