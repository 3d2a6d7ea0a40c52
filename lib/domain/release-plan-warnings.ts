/**
 * What a release plan warns about: a plan that runs as asked but likely
 * not as meant. Each warning has a stable `code` for tools and a sentence
 * for people; a wave's warning names the wave.
 */

import type { JobEndBehavior } from './iot-job-settings.js';
import type { JobTemplate } from './job-template.js';
import { IOT_MAX_ROLLOUT_PER_MINUTE } from './release-plan-rollout.js';
import type { ReleaseRequest, WaveDefinition } from './release-request.js';
import { WAVE_START_END_MARGIN_MS } from './release-schedule.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export const planWarningCodes = [
  /** More things than IoT notifies in a minute: the rollout takes at least things/1000 minutes. */
  'ABOVE_IOT_ROLLOUT_RATE',
  /** The wave's windows are too short for its rollout: it spans several days. */
  'WINDOWS_SPAN_DAYS',
  /** The wave's windows never open: its devices would never be notified. */
  'WINDOWS_NEVER_OPEN',
  /** A percentage wave's cohort holds no thing. */
  'EMPTY_COHORT',
  /** The job template sets no `timeoutConfig.inProgressTimeoutInMinutes`: a hung device holds the wave until its timeout. */
  'TEMPLATE_WITHOUT_TIMEOUT',
  /** The wave may run longer than its `timeoutMinutes`. */
  'WAVE_MAY_TIME_OUT',
  /** A success threshold a normal fleet does not reach. */
  'SUCCESS_THRESHOLD_TOO_HIGH',
  /** A failure threshold a normal fleet crosses. */
  'FAILURE_THRESHOLD_TOO_LOW',
  /** The release's `endTime` may come before its last wave ends: the end behaviour cuts it short. */
  'ENDS_BEFORE_FINISH',
  /** No `releaseId` was given: cohorts follow the id, and a real request draws another. */
  'RELEASE_ID_DRAWN',
  /** The release is already stored for this very request: a real request answers it and starts nothing. */
  'RELEASE_EXISTS',
  /** A normal fleet's hanging devices make it likely that one holds the wave until its in-progress timeout. */
  'DEVICE_MAY_HANG',
] as const;
type PlanWarningCode = (typeof planWarningCodes)[number];

export interface PlanWarning {
  code: PlanWarningCode;
  message: string;
  /** 1-based wave number, for a wave's warning. */
  wave?: number;
}

/**
 * A normal fleet, as the local fleet's default profile models one
 * (`local/fleet/behaviour-profile.ts`): 1 % of devices fail, 0.5 % reject,
 * 0.2 % hang (TIMED_OUT once the job's in-progress timeout passes), 0.5 %
 * stay offline (never answer).
 */
const NORMAL_FLEET = Object.freeze({
  /** FAILED + REJECTED + TIMED_OUT, the share the failure threshold counts. */
  failedPercent: 1.7,
  /** Everything but SUCCEEDED, offline devices included: the share the success threshold misses. */
  notSucceededPercent: 2.2,
  /** Devices that start and never finish (IN_PROGRESS until the in-progress timeout). */
  hangPercent: 0.2,
});

/**
 * The chance of a hung device from which a wave's estimate warns. Below it
 * the estimate's range stands (it counts devices that finish); above it a
 * hang is likely enough to plan for, and stretching the range to the
 * timeout for every such wave would make it say nothing.
 */
const HANG_WARNING_CHANCE = 0.05;

/**
 * The hang warning of a wave of `thingCount` things: when at least one of
 * them likely hangs, the wave lasts until `holdMinutes` (the job's
 * in-progress timeout after the device's notification, else the wave's
 * `timeoutMinutes`), beyond the estimate.
 */
export function hangWarning(
  thingCount: number,
  waveNumber: number,
  hold: { minutes: number; by: string },
): PlanWarning[] {
  const chance = -Math.expm1(thingCount * Math.log1p(-NORMAL_FLEET.hangPercent / 100));
  if (chance < HANG_WARNING_CHANCE) return [];
  return [
    {
      code: 'DEVICE_MAY_HANG',
      wave: waveNumber,
      message: `Wave ${waveNumber}: with a normal fleet's ${NORMAL_FLEET.hangPercent}% hanging devices, one of its ${thingCount} things hangs with probability ${Math.round(chance * 100)}%; the wave then lasts until ${hold.by} (${hold.minutes} minutes), beyond the estimate, which counts devices that finish.`,
    },
  ];
}

/** The threshold warnings of one wave, against {@link NORMAL_FLEET}. */
export function thresholdWarnings(
  wave: Pick<WaveDefinition, 'successThresholdPercent' | 'failureThresholdPercent'>,
  waveNumber: number,
): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  const reachable = 100 - NORMAL_FLEET.notSucceededPercent;
  if (wave.successThresholdPercent > reachable) {
    warnings.push({
      code: 'SUCCESS_THRESHOLD_TOO_HIGH',
      wave: waveNumber,
      message: `Wave ${waveNumber} needs ${wave.successThresholdPercent}% of its things to succeed; a normal fleet (${NORMAL_FLEET.notSucceededPercent}% fail, reject, hang or stay offline) reaches about ${reachable}%, so the wave would likely fail.`,
    });
  }
  if (wave.failureThresholdPercent < NORMAL_FLEET.failedPercent) {
    warnings.push({
      code: 'FAILURE_THRESHOLD_TOO_LOW',
      wave: waveNumber,
      message: `Wave ${waveNumber} stops the release at ${wave.failureThresholdPercent}% failed; a normal fleet fails about ${NORMAL_FLEET.failedPercent}% of the time (failed, rejected or timed out), so the release would likely stop.`,
    });
  }
  return warnings;
}

/** The rate warning of a wave with more things than IoT notifies in a minute. */
export function rateWarning(thingCount: number, waveNumber: number): PlanWarning[] {
  if (thingCount <= IOT_MAX_ROLLOUT_PER_MINUTE) return [];
  return [
    {
      code: 'ABOVE_IOT_ROLLOUT_RATE',
      wave: waveNumber,
      message: `Wave ${waveNumber} has ${thingCount} things, more than IoT's ${IOT_MAX_ROLLOUT_PER_MINUTE} notifications per minute: its rollout takes at least ${Math.ceil(thingCount / IOT_MAX_ROLLOUT_PER_MINUTE)} minutes.`,
    },
  ];
}

/** A wave's warnings about its windows: never open, or too short for one night. */
export function windowWarnings(waveNumber: number, days: number, neverOpens: boolean): PlanWarning[] {
  if (neverOpens) {
    return [
      {
        code: 'WINDOWS_NEVER_OPEN',
        wave: waveNumber,
        message: `Wave ${waveNumber}'s maintenance windows never open: no device would be notified. The estimate treats them as open.`,
      },
    ];
  }
  if (days <= 1) return [];
  return [
    {
      code: 'WINDOWS_SPAN_DAYS',
      wave: waveNumber,
      message: `Wave ${waveNumber}'s maintenance windows are too short for its rollout: it spans ${days} days.`,
    },
  ];
}

/**
 * The workflow starts no wave within {@link WAVE_START_END_MARGIN_MS} of the
 * release's end: a wave whose start falls there is cut (its earliest start
 * does) or may be (its latest does), and the release ends by its end
 * behaviour instead.
 */
export function endCutsWave(
  schedule: { endAt?: number; endBehavior?: JobEndBehavior },
  waveNumber: number,
  earliestStart: number,
  latestStart: number,
): PlanWarning | undefined {
  if (schedule.endAt === undefined) return undefined;
  const lastStart = schedule.endAt - WAVE_START_END_MARGIN_MS;
  if (latestStart <= lastStart) return undefined;
  const verdict = earliestStart > lastStart ? 'would not start' : 'may not start';
  return {
    code: 'ENDS_BEFORE_FINISH',
    wave: waveNumber,
    message: `Wave ${waveNumber} ${verdict}: no wave starts after ${iso(lastStart)}, ${WAVE_START_END_MARGIN_MS / 60_000} minutes before the release's end ${iso(schedule.endAt)}, where endBehavior ${schedule.endBehavior} applies and the release ends CANCELED.`,
  };
}

/** Warnings about the release as a whole: the template's timeout, a release already stored, a drawn release id. */
export function releaseWarnings(input: {
  request: ReleaseRequest;
  template: Pick<JobTemplate, 'jobTemplateId' | 'timeoutConfig'>;
  existingStatus?: string | undefined;
  releaseIdDrawn: boolean;
}): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (input.template.timeoutConfig?.inProgressTimeoutInMinutes === undefined) {
    const own = input.request.waves.flatMap((w, i) =>
      w.timeoutConfig?.inProgressTimeoutInMinutes === undefined ? [] : [i + 1],
    );
    if (own.length < input.request.waves.length) {
      warnings.push({
        code: 'TEMPLATE_WITHOUT_TIMEOUT',
        message: `Job template ${input.template.jobTemplateId} sets no timeoutConfig.inProgressTimeoutInMinutes${own.length > 0 ? ` (only waves ${own.join(', ')} set their own)` : ''}: a device that hangs keeps its wave open until the wave's timeoutMinutes.`,
      });
    }
  }
  if (input.existingStatus !== undefined) {
    warnings.push({
      code: 'RELEASE_EXISTS',
      message: `Release ${input.request.releaseId} already exists for this request (${input.existingStatus}): a real request answers it as it stands and starts nothing. This plan is of that release as it was asked for.`,
    });
  }
  if (input.releaseIdDrawn) {
    warnings.push({
      code: 'RELEASE_ID_DRAWN',
      message: `The request names no releaseId, so the plan drew ${input.request.releaseId}. Cohorts follow the release id: give this releaseId to the real request to get exactly these cohorts.`,
    });
  }
  return warnings;
}
