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
 * lognormal run (median 180 s, sigma 0.5), the two drawn apart.
 */
export const TYPICAL_DEVICE = Object.freeze({
  startMedianSeconds: 20,
  startSpread: 0.6,
  runMedianSeconds: 180,
  runSpread: 0.5,
});

/** The share of waves whose device time falls below the range, and the share above it. */
const DEVICE_TAIL = 0.01;

/** Numerical Recipes' erfcc coefficients: erfc(z) = t·exp(−z² + Σ cᵢtⁱ), t = 1/(1 + z/2), relative error < 1.2e-7. */
const ERFC_COEFFICIENTS = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277,
];

/** The standard normal's upper tail, Q(x) = 1 − Φ(x); the error is relative, so far tails stay exact. */
function upperTail(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const poly = ERFC_COEFFICIENTS.reduceRight((acc, c) => c + t * acc, 0);
  const erfc = t * Math.exp(-z * z + poly);
  return x >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** Steps of the integral over the start latency's z: fine enough for tails of one in ten million. */
const Z_STEP = 0.01;
const Z_FLOOR = -9;

/**
 * P(start + run > `seconds`) for one typical device: the start's density
 * integrated against the run's upper tail, plus the chance the start alone
 * exceeds it.
 */
function deviceSurvival(seconds: number): number {
  const d = TYPICAL_DEVICE;
  const zCut = Math.log(seconds / d.startMedianSeconds) / d.startSpread;
  let sum = 0;
  for (let z = Z_FLOOR; z < zCut; z += Z_STEP) {
    const rest = seconds - d.startMedianSeconds * Math.exp(d.startSpread * z);
    if (rest <= 0) break;
    const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
    sum += density * upperTail(Math.log(rest / d.runMedianSeconds) / d.runSpread) * Z_STEP;
  }
  return sum + upperTail(zCut);
}

/** The device time (seconds) that one typical device exceeds with probability `survival`. */
function deviceSecondsExceeded(survival: number): number {
  let low = Math.log(1);
  let high = Math.log(86_400);
  for (let i = 0; i < 50; i++) {
    const mid = (low + high) / 2;
    if (deviceSurvival(Math.exp(mid)) > survival) low = mid;
    else high = mid;
  }
  return Math.exp((low + high) / 2);
}

/** The device time the slowest of `things` devices stays under with probability `p`: one device's quantile p^(1/things). */
function slowestSeconds(things: number, p: number): number {
  // 1 − p^(1/n), computed without the cancellation of 1 − 0.99999995.
  return deviceSecondsExceeded(-Math.expm1(Math.log(p) / things));
}

/**
 * Device time, in minutes, once devices are notified: what bounds a wave's
 * end, which comes when its slowest device finishes.
 */
export interface DeviceTime {
  /** The last device notified finishes no sooner than this after its notification (its 1st percentile). */
  lastMin: number;
  /** The slowest of the wave's devices takes at least this (the 1st percentile of the maximum). */
  slowestMin: number;
  /** The slowest of the wave's devices takes at most this (the 99th percentile of the maximum). */
  slowestMax: number;
}

/**
 * The device time of a wave of `things` typical devices. The wave ends at
 * the latest of notification + device time over its devices, so it ends
 * no sooner than the last notification + {@link DeviceTime.lastMin}, nor
 * than the first notification + {@link DeviceTime.slowestMin}, and no later
 * than the last notification + {@link DeviceTime.slowestMax}: each bound
 * holds 99 times in 100.
 */
export function deviceMinutes(things: number): DeviceTime {
  if (things <= 0) return { lastMin: 0, slowestMin: 0, slowestMax: 0 };
  return {
    lastMin: slowestSeconds(1, DEVICE_TAIL) / 60,
    slowestMin: slowestSeconds(things, DEVICE_TAIL) / 60,
    slowestMax: slowestSeconds(things, 1 - DEVICE_TAIL) / 60,
  };
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
