import { describe, expect, it } from 'vitest';
import { windowSchedule } from '../../../lib/domain/maintenance-windows.js';
import {
  deviceMinutes,
  layOverWindows,
  rolloutMinutes,
  rolloutRateAfter,
} from '../../../lib/domain/release-plan-rollout.js';
import { rolloutRatePerMinute } from '../../../local/fleet/rollout-rate.js';

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

/** Nightly 02:00–03:00 UTC. */
const nightHour = windowSchedule([{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 }]);

describe('rolloutMinutes', () => {
  it("takes IoT's 1,000 a minute without a rollout configuration, the first thing at once", () => {
    expect(rolloutMinutes(undefined, 1, 10)).toEqual({ min: 0, max: 0 });
    expect(rolloutMinutes(undefined, 2001, 10)).toEqual({ min: 2, max: 2 });
    expect(rolloutMinutes({ maximumPerMinute: 4 }, 9, 10)).toEqual({ min: 2, max: 2 });
  });

  it("follows AWS's worked ramp: base 50, factor 2, every 1,000 notified: 50, 100, 200, 400 a minute", () => {
    const ramp = {
      exponentialRate: {
        baseRatePerMinute: 50,
        incrementFactor: 2,
        rateIncreaseCriteria: { numberOfNotifiedThings: 1000 },
      },
    };
    const minutes = 999 / 50 + 1000 / 100 + 1000 / 200 + 1000 / 400;
    expect(rolloutMinutes(ramp, 4000, 10)).toEqual({ min: minutes, max: minutes });
  });

  it('stops ramping at maximumPerMinute and goes on at it', () => {
    const capped = {
      maximumPerMinute: 100,
      exponentialRate: {
        baseRatePerMinute: 50,
        incrementFactor: 4,
        rateIncreaseCriteria: { numberOfNotifiedThings: 100 },
      },
    };
    expect(rolloutMinutes(capped, 1001, 10).min).toBeCloseTo(99 / 50 + 901 / 100, 9);
  });

  it('a ramp on succeeded things may wait, per increase, for a device time before the rate rises', () => {
    const onSuccess = {
      exponentialRate: {
        baseRatePerMinute: 10,
        incrementFactor: 2,
        rateIncreaseCriteria: { numberOfSucceededThings: 10 },
      },
    };
    const range = rolloutMinutes(onSuccess, 31, 5);
    // 10, 20, 40 then 80 a minute: three increases, each waiting up to 5 minutes for its successes.
    expect(range.min).toBeCloseTo(9 / 10 + 10 / 20 + 10 / 40 + 1 / 80, 9);
    expect(range.max).toBeCloseTo(range.min + 3 * 5, 9);
  });
});

describe('deviceMinutes', () => {
  it("spans the local fleet's default device, slower at the top the more things the wave has", () => {
    expect(deviceMinutes(0)).toEqual({ min: 0, max: 0 });
    const one = deviceMinutes(1);
    expect(one.min).toBeGreaterThan(0.9);
    expect(one.min).toBeLessThan(1.1);
    expect(one.max).toBeGreaterThan(10);
    expect(deviceMinutes(10_000).max).toBeGreaterThan(one.max);
    expect(deviceMinutes(10_000).min).toBe(one.min);
  });
});

describe('layOverWindows', () => {
  it('without windows, notifies from the start for the rollout time', () => {
    expect(layOverWindows(undefined, at('2026-03-01T10:00Z'), 30 * MINUTE)).toEqual({
      firstNotificationMs: at('2026-03-01T10:00Z'),
      lastNotificationMs: at('2026-03-01T10:30Z'),
      days: 1,
    });
  });

  it('waits for the next window, and stretches a rollout longer than a window over the following nights', () => {
    expect(layOverWindows(nightHour, at('2026-03-01T10:00Z'), 150 * MINUTE)).toEqual({
      firstNotificationMs: at('2026-03-02T02:00Z'),
      lastNotificationMs: at('2026-03-04T02:30Z'),
      days: 3,
    });
  });

  it('starts at once inside an open window and keeps to it when it fits', () => {
    expect(layOverWindows(nightHour, at('2026-03-02T02:10Z'), 20 * MINUTE)).toEqual({
      firstNotificationMs: at('2026-03-02T02:10Z'),
      lastNotificationMs: at('2026-03-02T02:30Z'),
      days: 1,
    });
  });

  it('counts only open time across joined windows', () => {
    const twoShifts = windowSchedule([
      { startTime: 'cron(0 1 * * ? *)', durationInMinutes: 60 },
      { startTime: 'cron(0 22 * * ? *)', durationInMinutes: 30 },
    ]);
    // 60 min at 01:00, then 30 at 22:00, then 30 of the next night's 01:00 window.
    expect(layOverWindows(twoShifts, at('2026-03-01T00:00Z'), 120 * MINUTE)).toEqual({
      firstNotificationMs: at('2026-03-01T01:00Z'),
      lastNotificationMs: at('2026-03-02T01:30Z'),
      days: 2,
    });
  });

  it('gives nothing when the windows never open again', () => {
    const past = windowSchedule([{ startTime: 'cron(0 2 1 1 ? 2020)', durationInMinutes: 60 }]);
    expect(layOverWindows(past, at('2026-03-01T00:00Z'), MINUTE)).toBeUndefined();
  });
});

describe('rolloutRateAfter', () => {
  it("is the local IoT's rate after as many increases, for every kind of rollout configuration", () => {
    const configs = [
      undefined,
      { maximumPerMinute: 37 },
      {
        maximumPerMinute: 300,
        exponentialRate: {
          baseRatePerMinute: 7,
          incrementFactor: 1.5,
          rateIncreaseCriteria: { numberOfNotifiedThings: 20 },
        },
      },
      {
        exponentialRate: {
          baseRatePerMinute: 50,
          incrementFactor: 5,
          rateIncreaseCriteria: { numberOfSucceededThings: 100 },
        },
      },
    ];
    for (const config of configs) {
      const every =
        config?.exponentialRate?.rateIncreaseCriteria.numberOfNotifiedThings ??
        config?.exponentialRate?.rateIncreaseCriteria.numberOfSucceededThings ??
        1;
      for (let steps = 0; steps < 12; steps++) {
        const progress = { notifiedThings: steps * every, succeededThings: steps * every };
        expect(rolloutRateAfter(config, steps)).toBe(rolloutRatePerMinute(config, progress));
      }
    }
    expect([0, 1, 2, 3, 4].map((steps) => rolloutRateAfter(configs[2], steps))).toEqual([7, 10, 15, 23, 35]);
  });
});
