import { describe, expect, it } from 'vitest';
import { windowSchedule } from '../../../lib/domain/maintenance-windows.js';
import {
  deviceMinutes,
  layOverWindows,
  rolloutMinutes,
  rolloutRateAfter,
  TYPICAL_DEVICE,
} from '../../../lib/domain/release-plan-rollout.js';
import { defaultBehaviourProfiles } from '../../../local/fleet/behaviour-profile.js';
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
  it("is worked out from the local fleet's default profile, the healthy fleet rehearsals run", () => {
    const { startLatency, runLatency } = defaultBehaviourProfiles.default;
    expect(TYPICAL_DEVICE).toEqual({
      startMedianSeconds: startLatency.medianSeconds,
      startSpread: startLatency.spread,
      runMedianSeconds: runLatency.medianSeconds,
      runSpread: runLatency.spread,
    });
  });

  /** A seeded generator (mulberry32) and standard normal draws (Box–Muller): the same draws every run. */
  function normals(seed: number): () => number {
    let a = seed;
    const uniform = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  }

  it.each([1, 20, 400])(
    'bounds the slowest of %i devices, drawn as the local fleet draws them, 98 times in 100',
    (things) => {
      const z = normals(things);
      const d = TYPICAL_DEVICE;
      const waves = 4000;
      const device = deviceMinutes(things);
      let below = 0;
      let above = 0;
      for (let w = 0; w < waves; w++) {
        let slowest = 0;
        for (let i = 0; i < things; i++) {
          const seconds =
            d.startMedianSeconds * Math.exp(d.startSpread * z()) +
            d.runMedianSeconds * Math.exp(d.runSpread * z());
          slowest = Math.max(slowest, seconds / 60);
        }
        if (slowest < device.slowestMin) below++;
        if (slowest > device.slowestMax) above++;
      }
      // 1 % each side is expected: 40 of 4,000, give or take its sampling error (about 6).
      expect(below / waves).toBeGreaterThan(0.005);
      expect(below / waves).toBeLessThan(0.015);
      expect(above / waves).toBeGreaterThan(0.005);
      expect(above / waves).toBeLessThan(0.015);
    },
  );

  it('keeps the range of a wave narrow: a few minutes wide, not 1 to 25', () => {
    expect(deviceMinutes(0)).toEqual({ lastMin: 0, slowestMin: 0, slowestMax: 0 });
    const one = deviceMinutes(1);
    expect(one.slowestMin).toBe(one.lastMin);
    const wave = deviceMinutes(400);
    expect(wave.lastMin).toBe(one.lastMin);
    expect(wave.slowestMin).toBeGreaterThan(one.slowestMax / 2);
    expect(wave.slowestMax - wave.slowestMin).toBeLessThan(15);
    expect(deviceMinutes(100_000).slowestMax).toBeGreaterThan(wave.slowestMax);
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
