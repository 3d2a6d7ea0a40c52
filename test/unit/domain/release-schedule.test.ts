import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  capAtEnd,
  DEFAULT_END_BEHAVIOR,
  effectiveWindows,
  endBehaviorOf,
  endedWaveOutcome,
  endTimeReached,
  endTimeReason,
  jobSchedulingConfig,
  MIN_END_LEAD_MS,
  mayStartWave,
  START_WAVE_RETRY_BUDGET_MS,
  scheduledEndMs,
  WAVE_START_END_MARGIN_MS,
  waitsForStart,
  workflowEndMs,
} from '../../../lib/domain/release-schedule.js';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';

const END = '2026-03-01T04:00';
const END_MS = Date.UTC(2026, 2, 1, 4);
const NIGHTLY = { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 120 };
const WEEKLY = { startTime: 'cron(0 3 ? * SUN *)', durationInMinutes: 60 };
const policy = { successThresholdPercent: 90, failureThresholdPercent: 10, minExecutedThings: 1 };

describe('release schedule: start and end', () => {
  it('waits while the start time is ahead, and not without one', () => {
    const release = { schedulingConfig: { startTime: '2026-03-01T00:00' } };
    expect(waitsForStart(release, Date.UTC(2026, 1, 28, 23, 59))).toBe(true);
    expect(waitsForStart(release, Date.UTC(2026, 2, 1))).toBe(false);
    expect(waitsForStart({}, 0)).toBe(false);
  });

  it('defaults the end behaviour to STOP_ROLLOUT, as AWS documents none', () => {
    expect(DEFAULT_END_BEHAVIOR).toBe('STOP_ROLLOUT');
    expect(endBehaviorOf({ schedulingConfig: { endTime: END } })).toBe('STOP_ROLLOUT');
    expect(endBehaviorOf({ schedulingConfig: { endTime: END, endBehavior: 'CANCEL' } })).toBe('CANCEL');
  });

  it("starts no wave within 46 minutes of the end time (IoT's 30, retries, skew), and ends at it", () => {
    const release = { schedulingConfig: { endTime: END } };
    expect(scheduledEndMs(release)).toBe(END_MS);
    expect(WAVE_START_END_MARGIN_MS).toBe(46 * 60_000);
    expect(mayStartWave(release, END_MS - WAVE_START_END_MARGIN_MS)).toBe(true);
    expect(mayStartWave(release, END_MS - WAVE_START_END_MARGIN_MS + 1)).toBe(false);
    expect(mayStartWave(release, END_MS - MIN_END_LEAD_MS)).toBe(false);
    expect(mayStartWave({}, END_MS)).toBe(true);
    expect(endTimeReached(release, END_MS - 1)).toBe(false);
    expect(endTimeReached(release, END_MS)).toBe(true);
    expect(endTimeReached({}, END_MS)).toBe(false);
  });

  it("counts all of StartWave's Retry waits and its timed-out attempts in the retry budget", () => {
    const machine = JSON.parse(readFileSync('state-machines/release.asl.json', 'utf8')) as {
      States: Record<
        string,
        {
          Retry?: {
            ErrorEquals: string[];
            IntervalSeconds: number;
            BackoffRate: number;
            MaxAttempts: number;
            MaxDelaySeconds: number;
          }[];
        }
      >;
    };
    let seconds = 0;
    for (const r of machine.States.StartWave?.Retry ?? []) {
      for (let k = 0; k < r.MaxAttempts; k++) {
        seconds += Math.min(r.IntervalSeconds * r.BackoffRate ** k, r.MaxDelaySeconds);
      }
      // A timed-out attempt lasts the function's whole timeout (60 s) before it is retried.
      if (r.ErrorEquals.includes('Sandbox.Timedout')) seconds += (r.MaxAttempts + 1) * 60;
    }
    expect(seconds).toBeGreaterThan(0);
    expect(seconds * 1000).toBeLessThanOrEqual(START_WAVE_RETRY_BUDGET_MS);
  });

  it("ends a release at 364 days after its creation at the latest, before its execution's one-year limit", () => {
    const createdAt = '2026-01-01T00:00:00.000Z';
    const lifetimeEnd = Date.UTC(2026, 11, 31);
    expect(workflowEndMs({ createdAt, schedulingConfig: { endTime: END } })).toBe(END_MS);
    expect(workflowEndMs({ createdAt, schedulingConfig: { endTime: '2027-06-01T00:00' } })).toBe(lifetimeEnd);
    expect(workflowEndMs({ createdAt })).toBe(lifetimeEnd);
    expect(workflowEndMs({})).toBeUndefined();
    expect(endTimeReached({ createdAt }, lifetimeEnd - 1)).toBe(false);
    expect(endTimeReached({ createdAt }, lifetimeEnd)).toBe(true);
    expect(mayStartWave({ createdAt }, lifetimeEnd - WAVE_START_END_MARGIN_MS + 1)).toBe(false);
    expect(capAtEnd(7 * 86_400, { createdAt }, lifetimeEnd - 60_000)).toBe(60);
    // Without an end time of its own, no IoT end would stop the job: it is canceled.
    expect(endBehaviorOf({ createdAt })).toBe('CANCEL');
    expect(endBehaviorOf({ createdAt, schedulingConfig: { endTime: END } })).toBe('STOP_ROLLOUT');
    expect(endTimeReason({ createdAt })).toMatch(
      /^Ended at the end of its lifetime 2026-12-31T00:00 UTC \(364 days after it was created, before its workflow execution's one-year limit\) \(endBehavior CANCEL\)/,
    );
  });

  it('cuts every wait at the end time, to at least a second', () => {
    const release = { schedulingConfig: { endTime: END } };
    expect(capAtEnd(3600, release, END_MS - 600_000)).toBe(600);
    expect(capAtEnd(60, release, END_MS - 600_000)).toBe(60);
    expect(capAtEnd(60, release, END_MS + 5_000)).toBe(1);
    expect(capAtEnd(3600, {}, 0)).toBe(3600);
  });
});

describe('release schedule: the CreateJob of a wave', () => {
  const release = {
    schedulingConfig: { endTime: END, endBehavior: 'FORCE_CANCEL' as const, maintenanceWindows: [NIGHTLY] },
    waves: [{ maintenanceWindows: [WEEKLY] }, {}, { maintenanceWindows: [] }],
  } as unknown as Parameters<typeof effectiveWindows>[0];

  it("takes the wave's windows, else the release's, else (for the timing only) the template's", () => {
    expect(effectiveWindows(release, 1, [NIGHTLY])).toEqual([WEEKLY]);
    expect(effectiveWindows(release, 2, [WEEKLY])).toEqual([NIGHTLY]);
    expect(effectiveWindows(release, 3, [NIGHTLY])).toEqual([]);
    const plain = { waves: [{}] } as unknown as Parameters<typeof effectiveWindows>[0];
    expect(effectiveWindows(plain, 1, [WEEKLY])).toEqual([WEEKLY]);
    expect(effectiveWindows(plain, 1, undefined)).toEqual([]);
  });

  it('sends the windows and the end (with its behaviour) at least 30 minutes ahead, never the start', () => {
    expect(jobSchedulingConfig(release, [NIGHTLY], END_MS - MIN_END_LEAD_MS)).toEqual({
      endTime: END,
      endBehavior: 'FORCE_CANCEL',
      maintenanceWindows: [NIGHTLY],
    });
    expect(jobSchedulingConfig(release, [], END_MS - 60_000)).toEqual({ maintenanceWindows: [] });
    expect(jobSchedulingConfig({ schedulingConfig: { startTime: END } }, undefined, 0)).toBeUndefined();
    expect(
      jobSchedulingConfig({ schedulingConfig: { endTime: END } }, undefined, END_MS - 2 * MIN_END_LEAD_MS),
    ).toEqual({ endTime: END, endBehavior: 'STOP_ROLLOUT' });
  });
});

describe('release schedule: the running wave at the end time', () => {
  const counts = (succeeded: number, failed: number, inProgress: number) => ({
    ...ZERO_COUNTS,
    numberOfSucceededThings: succeeded,
    numberOfFailedThings: failed,
    numberOfInProgressThings: inProgress,
  });

  it('CANCEL and FORCE_CANCEL cancel the wave and its job', () => {
    expect(endedWaveOutcome('CANCEL', { counts: counts(5, 0, 5) }, policy)).toMatchObject({
      status: 'CANCELED',
      cancelJob: { force: false },
    });
    expect(endedWaveOutcome('FORCE_CANCEL', {}, policy)).toMatchObject({
      status: 'CANCELED',
      cancelJob: { force: true },
    });
  });

  it("STOP_ROLLOUT leaves the job and judges the wave on what ran, against all the wave's things", () => {
    expect(endedWaveOutcome('STOP_ROLLOUT', { counts: counts(19, 1, 0) }, policy)).toMatchObject({
      status: 'SUCCEEDED',
      cancelJob: false,
    });
    // Nine of twenty succeeded: the ten still pending have not.
    expect(endedWaveOutcome('STOP_ROLLOUT', { counts: counts(9, 1, 10) }, policy)).toMatchObject({
      status: 'FAILED',
      cancelJob: false,
    });
    // One run out of 1,000 expected (the rest never notified) is no successful wave.
    const one = endedWaveOutcome('STOP_ROLLOUT', { counts: counts(1, 0, 0), expectedThings: 1000 }, policy);
    expect(one.status).toBe('FAILED');
    expect(one.reason).toMatch(/1 of the wave's 1000 things succeeded \(1 ran to an outcome;/);
    expect(endedWaveOutcome('STOP_ROLLOUT', { counts: counts(3, 2, 0) }, policy)).toMatchObject({
      status: 'FAILED',
      cancelJob: false,
    });
    const lenient = { ...policy, failureThresholdPercent: 100, successThresholdPercent: 80 };
    const below = endedWaveOutcome('STOP_ROLLOUT', { counts: counts(7, 3, 0) }, lenient);
    expect(below.status).toBe('FAILED');
    expect(below.reason).toMatch(
      /7 of the wave's 10 things succeeded \(10 ran to an outcome; .*\(below the success threshold of 80%\)/,
    );
    expect(endedWaveOutcome('STOP_ROLLOUT', { counts: counts(0, 0, 4) }, policy)).toEqual({
      status: 'CANCELED',
      reason: "Stopped at the release's end time (STOP_ROLLOUT) before any thing ran.",
      cancelJob: false,
    });
  });
});
