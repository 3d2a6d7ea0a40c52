/**
 * How long one wave takes, for release plans: the time IoT needs to notify
 * its things at the job's rollout rate (constant, or an exponential ramp),
 * stretched over its maintenance windows' open time, plus the time a device
 * takes once notified. Pure and deterministic: a plan gives ranges, not
 * draws.
 */
import type { JobExecutionsRolloutConfig } from './iot-job-settings.js';
import type { WindowSchedule } from './maintenance-windows.js';

/** AWS IoT's ceiling on notifications per minute, which is also its default rate. */
export const IOT_MAX_ROLLOUT_PER_MINUTE = 1000;

/** A closed range of numbers (minutes, calls, transitions). */
export interface PlanRange {
  min: number;
  max: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * A typical device: the local fleet's default behaviour profile
 * (`local/fleet/behaviour-profile.ts`, `defaultBehaviourProfiles`), which
 * models a healthy fleet. A device answers a notification after a
 * lognormal start latency (median 20 s, sigma 0.6) and finishes after a
 * lognormal run (median 180 s, sigma 0.5).
 */
const TYPICAL_DEVICE = Object.freeze({
  startMedianSeconds: 20,
  startSpread: 0.6,
  runMedianSeconds: 180,
  runSpread: 0.5,
});

/** The standard normal's 1st percentile: the fastest device a plan counts on is faster than 99 % of devices. */
const FAST_DEVICE_Z = -2.326;

function deviceSeconds(z: number): number {
  const d = TYPICAL_DEVICE;
  return d.startMedianSeconds * Math.exp(d.startSpread * z) + d.runMedianSeconds * Math.exp(d.runSpread * z);
}

/**
 * The time from a wave's last notification to its last device finishing,
 * in minutes. Low end: a device faster than 99 % of devices. High end: the
 * slowest of `things` devices, taken at the quantile 1 − 1/(100·things)
 * (z = √(2·ln(100·things)) bounds the normal tail by that share), with
 * both latencies at that quantile at once: the slowest device of the wave
 * stays under it 99 times in 100.
 */
export function deviceMinutes(things: number): PlanRange {
  if (things <= 0) return { min: 0, max: 0 };
  const slowZ = Math.sqrt(2 * Math.log(100 * things));
  return { min: deviceSeconds(FAST_DEVICE_Z) / 60, max: deviceSeconds(slowZ) / 60 };
}

/**
 * The rate IoT allows after `steps` increases, in notifications per minute:
 * `baseRatePerMinute` × `incrementFactor`^steps for an exponential ramp,
 * in whole notifications, never above the cap (`maximumPerMinute`, at most
 * 1,000); the cap itself without a ramp. The rule AWS documents, e.g. base
 * 50, factor 2: 50, 100, 200, 400. The one rule both the plans and the
 * local IoT's rollout (`local/fleet/rollout-rate.ts`) keep to.
 */
export function rolloutRateAfter(config: JobExecutionsRolloutConfig | undefined, steps: number): number {
  const cap = rolloutRateCap(config);
  const exponential = config?.exponentialRate;
  if (!exponential) return cap;
  // Math.min before the power would not help with a factor of 5 and many
  // steps, so stop multiplying once the cap is reached.
  let rate = exponential.baseRatePerMinute;
  for (let i = 0; i < steps && rate < cap; i++) rate *= exponential.incrementFactor;
  return Math.max(1, Math.min(cap, Math.floor(rate + 1e-9)));
}

/** The cap of the rollout rate: `maximumPerMinute`, else IoT's 1,000. */
function rolloutRateCap(config: JobExecutionsRolloutConfig | undefined): number {
  return Math.min(config?.maximumPerMinute ?? IOT_MAX_ROLLOUT_PER_MINUTE, IOT_MAX_ROLLOUT_PER_MINUTE);
}

/**
 * Minutes from a job's first notification to its last, for `things`
 * things at the rollout `config` (the first thing is notified at once).
 * An exponential ramp counting notified things is exact. One counting
 * succeeded things raises the rate only once the things notified at the
 * lower rate have succeeded: the range's high end adds, per increase, up
 * to `deviceMaxMinutes` for them to finish.
 */
export function rolloutMinutes(
  config: JobExecutionsRolloutConfig | undefined,
  things: number,
  deviceMaxMinutes: number,
): PlanRange {
  if (things <= 1) return { min: 0, max: 0 };
  const criteria = config?.exponentialRate?.rateIncreaseCriteria;
  const every = criteria?.numberOfNotifiedThings ?? criteria?.numberOfSucceededThings;
  if (every === undefined) {
    const minutes = (things - 1) / rolloutRateAfter(config, 0);
    return { min: minutes, max: minutes };
  }
  const cap = rolloutRateCap(config);
  let minutes = 0;
  let increases = 0;
  for (let notified = 1, steps = 0; notified < things; steps++) {
    const rate = rolloutRateAfter(config, steps);
    // Once at the cap the rate no longer changes: the rest goes in one stretch.
    const until = rate >= cap ? things : Math.min(things, (steps + 1) * every);
    if (until > notified) {
      minutes += (until - notified) / rate;
      notified = until;
      if (until < things) increases++;
    }
  }
  const lag = criteria?.numberOfSucceededThings !== undefined ? increases * deviceMaxMinutes : 0;
  return { min: minutes, max: minutes + lag };
}

/** A rollout laid over the wave's maintenance windows. */
export interface WindowedRollout {
  /** When the first thing is notified: the start, or the next window's opening. */
  firstNotificationMs: number;
  /** When the last thing is notified, once the windows gave the rollout enough open time. */
  lastNotificationMs: number;
  /** UTC calendar days the notifications span (1 when they fit in one day). */
  days: number;
}

/**
 * Lays a rollout needing `rolloutMs` of notification time, asked to start
 * at `startMs`, over the open time of `schedule`: IoT notifies devices only
 * while a window is open, and devices notified in a window run to their
 * end after it closes. No schedule: always open. Undefined when the
 * windows never open again (the rollout would never finish).
 */
export function layOverWindows(
  schedule: WindowSchedule | undefined,
  startMs: number,
  rolloutMs: number,
): WindowedRollout | undefined {
  const first = schedule ? schedule.afterOpenTime(startMs, 0) : startMs;
  const last = schedule ? schedule.afterOpenTime(startMs, rolloutMs) : startMs + rolloutMs;
  if (first === undefined || last === undefined) return undefined;
  const days = Math.floor(last / DAY_MS) - Math.floor(first / DAY_MS) + 1;
  return { firstNotificationMs: first, lastNotificationMs: last, days };
}

/** Minutes as milliseconds. */
export function minutesMs(minutes: number): number {
  return minutes * MINUTE_MS;
}
