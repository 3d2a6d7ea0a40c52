import { describe, expect, it } from 'vitest';
import {
  endBehaviorOf,
  rolloutEnd,
  rolloutStart,
  scheduledJobRollouts,
} from '../../../local/iot/jobs/job-schedule.js';
import { inheritWindows } from '../../../local/iot/jobs/job-settings.js';

const at = (iso: string) => Date.parse(iso);
const now = at('2026-01-01T00:00Z');
const nightly = { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 };

describe('what a schedulingConfig means in time', () => {
  it('starts at the startTime, or at creation without one', () => {
    expect(rolloutStart({ startTime: '2026-01-01T05:00' }, now)).toBe(at('2026-01-01T05:00Z'));
    expect(rolloutStart({ endTime: '2026-01-02T00:00' }, now)).toBe(now);
  });

  it('with windows, starts at the first window open from then on', () => {
    expect(rolloutStart({ maintenanceWindows: [nightly] }, now)).toBe(at('2026-01-01T02:00Z'));
    expect(rolloutStart({ startTime: '2026-01-01T02:30', maintenanceWindows: [nightly] }, now)).toBe(
      at('2026-01-01T02:30Z'),
    );
    expect(rolloutStart({ startTime: '2026-01-01T03:00', maintenanceWindows: [nightly] }, now)).toBe(
      at('2026-01-02T02:00Z'),
    );
  });

  it('never starts when no window opens again', () => {
    const never = { startTime: 'cron(0 0 1 1 ? 2020)', durationInMinutes: 10 };
    expect(rolloutStart({ maintenanceWindows: [never] }, now)).toBeUndefined();
  });

  it('ends at the endTime with STOP_ROLLOUT unless told otherwise', () => {
    expect(rolloutEnd({ endTime: '2026-01-03T00:00' })).toBe(at('2026-01-03T00:00Z'));
    expect(rolloutEnd({ startTime: '2026-01-03T00:00' })).toBeUndefined();
    expect(endBehaviorOf({ endTime: '2026-01-03T00:00' })).toBe('STOP_ROLLOUT');
    expect(endBehaviorOf({ endBehavior: 'FORCE_CANCEL' })).toBe('FORCE_CANCEL');
  });

  it('lists the next seven window starts before the end time, to the minute', () => {
    expect(scheduledJobRollouts({ maintenanceWindows: [nightly] }, now)).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((d) => ({ startTime: `2026-01-0${d}T02:00` })),
    );
    expect(scheduledJobRollouts({ endTime: '2026-01-03T00:00', maintenanceWindows: [nightly] }, now)).toEqual(
      [{ startTime: '2026-01-01T02:00' }, { startTime: '2026-01-02T02:00' }],
    );
    expect(scheduledJobRollouts({ startTime: '2026-01-03T00:00' }, now)).toBeUndefined();
  });

  it('lists window starts from the start time on, a window opening at it included', () => {
    expect(
      scheduledJobRollouts({ startTime: '2026-01-05T02:00', maintenanceWindows: [nightly] }, now),
    ).toEqual(
      [5, 6, 7, 8, 9, 10, 11].map((d) => ({ startTime: `2026-01-${String(d).padStart(2, '0')}T02:00` })),
    );
    expect(
      scheduledJobRollouts({ startTime: '2026-01-05T03:00', maintenanceWindows: [nightly] }, now)?.[0],
    ).toEqual({ startTime: '2026-01-06T02:00' });
  });
});

describe('maintenance windows inherited from a template', () => {
  it('fill a request that gives none, and never replace the request’s own', () => {
    expect(inheritWindows(undefined, [nightly])).toEqual({ maintenanceWindows: [nightly] });
    expect(inheritWindows({ endTime: '2026-01-03T00:00' }, [nightly])).toEqual({
      endTime: '2026-01-03T00:00',
      maintenanceWindows: [nightly],
    });
    expect(inheritWindows({ maintenanceWindows: [] }, [nightly])).toEqual({ maintenanceWindows: [] });
    expect(inheritWindows({ startTime: '2026-01-03T00:00' }, undefined)).toEqual({
      startTime: '2026-01-03T00:00',
    });
  });
});
