import { describe, expect, it } from 'vitest';
import type { JobTemplate } from '../../../lib/domain/job-template.js';
import { composeReleasePlan, type PlanInput, planSchedule } from '../../../lib/domain/release-plan.js';
import { iotCalls, stateTransitions } from '../../../lib/domain/release-plan-costs.js';
import { deviceMinutes } from '../../../lib/domain/release-plan-rollout.js';
import { parseReleaseRequest, type ReleaseRequestInput } from '../../../lib/domain/release-request.js';
import { buildWaveJobOverrides } from '../../../lib/domain/wave-job.js';

const NOW = Date.parse('2026-03-01T10:00Z');
const ARN = 'arn:aws:iot:us-east-1:123456789012:jobtemplate/fw';
const template: JobTemplate = {
  jobTemplateId: 'fw',
  jobTemplateArn: ARN,
  document: '{"v":2}',
  timeoutConfig: { inProgressTimeoutInMinutes: 60 },
  jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
};

/** A plan of `request` whose waves have `counts` things, without windows unless `windowsByWave` says. */
function plan(
  request: Omit<ReleaseRequestInput, 'releaseId' | 'jobTemplateId'>,
  counts: number[],
  extra: Partial<PlanInput> = {},
) {
  const parsed = parseReleaseRequest({ releaseId: 'r', jobTemplateId: 'fw', ...request });
  return composeReleasePlan({
    request: parsed,
    template,
    waves: parsed.waves.map((definition, i) => ({
      definition,
      thingCount: counts[i] ?? 0,
      job: {
        jobId: `r-w0${i + 1}`,
        jobTemplateArn: ARN,
        targets: [`group-${i + 1}`],
        description: `wave ${i + 1}`,
        overrides: buildWaveJobOverrides(definition),
      },
    })),
    nowMs: NOW,
    schedule: planSchedule(parsed, undefined),
    releaseGroupSizes: [counts.reduce((a, b) => a + b, 0)],
    releaseIdDrawn: false,
    looksFor: () => 3,
    ...extra,
  });
}

const fleet = { targets: { thingGroups: ['doors'] } };

describe('composeReleasePlan', () => {
  it("merges the template's settings under the wave's own", () => {
    const p = plan(
      { ...fleet, waves: [{ percentage: 100, jobExecutionsRolloutConfig: { maximumPerMinute: 5 } }] },
      [10],
    );
    expect(p.waves[0]?.createJob).toMatchObject({
      jobId: 'r-w01',
      document: '{"v":2}',
      timeoutConfig: { inProgressTimeoutInMinutes: 60 },
      jobExecutionsRolloutConfig: { maximumPerMinute: 5 },
      targetSelection: 'SNAPSHOT',
    });
    expect(p.waves[0]?.createJob).not.toHaveProperty('jobTemplateId');
  });

  it('adds rollout, device time, overhead and bakes wave after wave, gates counted apart', () => {
    const p = plan(
      {
        ...fleet,
        waves: [{ percentage: 10, bakeTimeMinutes: 30, requireApproval: true }, { percentage: 100 }],
      },
      [11, 90],
    );
    const d1 = deviceMinutes(11);
    const d2 = deviceMinutes(90);
    // Template rate: 1 a minute, so 10 and 89 minutes of notifications.
    // A wave ends after its last notified device and after its slowest one.
    expect(p.estimate.durationMinutes).toEqual({
      min: Math.floor(
        Math.max(10 + d1.lastMin, d1.slowestMin) + 30 + Math.max(89 + d2.lastMin, d2.slowestMin),
      ),
      max: Math.ceil(1 + 10 + d1.slowestMax + 1 + 30 + 89 + d2.slowestMax + 1),
    });
    expect(p.estimate.gates).toBe(1);
    expect(p.waves[0]?.startsAt).toBe('2026-03-01T10:00:00.000Z');
    expect(Date.parse(p.waves[1]?.startsAt ?? '')).toBeGreaterThan(
      Date.parse(p.waves[0]?.endsAt ?? '') - 60 * 60_000,
    );
    // 90 things: one hangs with probability 1 − 0.998^90 = 16 %; 11 things: 2 %, no warning.
    expect(p.warnings).toEqual([
      {
        code: 'DEVICE_MAY_HANG',
        wave: 2,
        message:
          "Wave 2: with a normal fleet's 0.2% hanging devices, one of its 90 things hangs with probability 16%; the wave then lasts until its job's in-progress timeout after the device's notification (60 minutes), beyond the estimate, which counts devices that finish.",
      },
    ]);
  });

  it("stretches a wave's rollout over its windows' open time only, from the release's start", () => {
    const p = plan({ ...fleet, waves: [{ percentage: 100, timeoutMinutes: 43_200 }] }, [300], {
      schedule: {
        startAt: Date.parse('2026-03-03T00:00Z'),
        windowsByWave: [[{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 }]],
      },
    });
    const wave = p.waves[0];
    // 299 minutes of notifications at 1 a minute: four whole nightly hours and 59 minutes of a fifth.
    expect(wave?.startsAt).toBe('2026-03-03T02:00:00.000Z');
    const lastNotified = Date.parse('2026-03-07T02:59Z');
    expect(Date.parse(wave?.endsAt ?? '')).toBe(
      lastNotified + Math.round((deviceMinutes(300).slowestMax + 1) * 60_000),
    );
    expect(p.estimate.durationMinutes.min).toBe(
      Math.floor((lastNotified - NOW) / 60_000 + deviceMinutes(300).lastMin),
    );
    expect(p.warnings).toEqual([
      {
        code: 'WINDOWS_SPAN_DAYS',
        wave: 1,
        message: "Wave 1's maintenance windows are too short for its rollout: it spans 5 days.",
      },
      expect.objectContaining({ code: 'DEVICE_MAY_HANG', wave: 1 }),
    ]);
  });

  it('warns of windows that never open, and estimates as if open', () => {
    const p = plan({ ...fleet, waves: [{ percentage: 100 }] }, [3], {
      schedule: { windowsByWave: [[{ startTime: 'cron(0 2 1 1 ? 2020)', durationInMinutes: 60 }]] },
    });
    expect(p.warnings.map((w) => w.code)).toEqual(['WINDOWS_NEVER_OPEN']);
    expect(p.waves[0]?.startsAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('warns of an empty cohort, a wave above 1,000 a minute, thresholds a normal fleet trips, and a likely timeout', () => {
    const p = plan(
      {
        ...fleet,
        waves: [
          { percentage: 1 },
          {
            percentage: 100,
            successThresholdPercent: 99,
            failureThresholdPercent: 1,
            timeoutMinutes: 30,
            jobExecutionsRolloutConfig: { maximumPerMinute: 1000 },
          },
        ],
      },
      [0, 5000],
    );
    expect(p.warnings.map((w) => [w.code, w.wave])).toEqual([
      ['EMPTY_COHORT', 1],
      ['ABOVE_IOT_ROLLOUT_RATE', 2],
      ['SUCCESS_THRESHOLD_TOO_HIGH', 2],
      ['FAILURE_THRESHOLD_TOO_LOW', 2],
      ['DEVICE_MAY_HANG', 2],
      ['WAVE_MAY_TIME_OUT', 2],
    ]);
    expect(p.warnings[1]?.message).toContain('at least 5 minutes');
  });

  it("warns of a likely hung device from 26 things, held until the in-progress timeout, else the wave's timeout", () => {
    const bare = { ...template, timeoutConfig: undefined };
    const p = plan(
      { ...fleet, waves: [{ percentage: 50 }, { percentage: 100, timeoutMinutes: 240 }] },
      [25, 26],
      {
        template: bare,
      },
    );
    const hangs = p.warnings.filter((w) => w.code === 'DEVICE_MAY_HANG');
    expect(hangs.map((w) => w.wave)).toEqual([2]);
    expect(hangs[0]?.message).toContain(
      'probability 5%; the wave then lasts until its timeoutMinutes (240 minutes)',
    );
  });

  it('warns of a template without an in-progress timeout, unless every wave sets its own', () => {
    const bare = { ...template, timeoutConfig: undefined };
    const some = plan(
      {
        ...fleet,
        waves: [{ percentage: 50, timeoutConfig: { inProgressTimeoutInMinutes: 30 } }, { percentage: 100 }],
      },
      [5, 5],
      { template: bare },
    );
    expect(some.warnings.map((w) => w.code)).toEqual(['TEMPLATE_WITHOUT_TIMEOUT']);
    expect(some.warnings[0]?.message).toContain('only waves 1 set their own');
    const all = plan(
      { ...fleet, waves: [{ percentage: 100, timeoutConfig: { inProgressTimeoutInMinutes: 30 } }] },
      [5],
      { template: bare },
    );
    expect(all.warnings).toEqual([]);
  });

  it('prices the state transitions at USD 0.025 per 1,000', () => {
    const p = plan({ ...fleet, waves: [{ percentage: 100 }] }, [4]);
    // Start 2, wave 4 + 3 per look (1 to 3 looks), finish 3.
    expect(p.estimate.stepFunctions).toEqual({
      transitions: { min: 12, max: 18 },
      costUsd: { min: 0.0003, max: 0.00045 },
    });
  });
});

describe('plan costs', () => {
  it('count the IoT calls of the checks, the cohorts, the jobs and the clean-up', () => {
    const looks = { min: 1, max: 4 };
    const calls = iotCalls({
      namedGroups: 1,
      namedThings: 2,
      releaseGroupSizes: [600],
      rollbackTemplate: true,
      waves: [
        { percentage: true, thingCount: 60, bakeTimeMinutes: 0, requireApproval: false, looks },
        { percentage: true, thingCount: 540, bakeTimeMinutes: 0, requireApproval: false, looks },
        { percentage: false, thingCount: 2, bakeTimeMinutes: 0, requireApproval: false, looks },
      ],
    });
    expect(calls).toEqual({
      DescribeJobTemplate: { min: 3, max: 3 },
      DescribeThingGroup: { min: 3, max: 3 },
      DescribeThing: { min: 2, max: 2 },
      // Each cohort reads the fleet (3 pages of 250) and its own new group (1 page).
      ListThingsInThingGroup: { min: 8, max: 8 },
      CreateThingGroup: { min: 2, max: 2 },
      AddThingToThingGroup: { min: 600, max: 600 },
      CreateJob: { min: 3, max: 3 },
      DescribeJob: { min: 3, max: 12 },
      DeleteThingGroup: { min: 2, max: 2 },
    });
  });

  it('count a DescribeJob per bake check: one per started hour of bake, as CheckBake looks', () => {
    const looks = { min: 1, max: 3 };
    const wave = (bakeTimeMinutes: number) => ({
      percentage: false,
      thingCount: 2,
      bakeTimeMinutes,
      requireApproval: false,
      looks,
    });
    const calls = iotCalls({
      namedGroups: 0,
      namedThings: 2,
      releaseGroupSizes: [],
      rollbackTemplate: false,
      waves: [wave(0), wave(30), wave(60), wave(150)],
    });
    // Looks 4 × (1..3), bake checks 0 + 1 + 1 + 3.
    expect(calls.DescribeJob).toEqual({ min: 4 + 5, max: 12 + 5 });
  });

  it('count a bake check per hour of bake and two states per gate', () => {
    const looks = { min: 1, max: 1 };
    expect(
      stateTransitions([
        { percentage: true, thingCount: 1, bakeTimeMinutes: 90, requireApproval: true, looks },
      ]),
    ).toEqual({ min: 2 + 7 + 6 + 2 + 3, max: 2 + 7 + 6 + 2 + 3 });
  });
});

describe('composeReleasePlan and the release schedule, as the workflow keeps it', () => {
  const codes = (p: ReturnType<typeof plan>) => p.warnings.map((w) => [w.code, w.wave]);

  it('warns that a wave starting within 46 minutes of the end would not start', () => {
    // Template rate: 1 a minute. Wave 1: 20 things, then a 30-minute bake; wave 2 could start ~10:51 at the earliest.
    const p = plan(
      {
        ...fleet,
        schedulingConfig: { endTime: '2026-03-01T11:30' },
        waves: [{ percentage: 50, bakeTimeMinutes: 30 }, { percentage: 100 }],
      },
      [20, 20],
    );
    expect(codes(p)).toContainEqual(['ENDS_BEFORE_FINISH', 2]);
    expect(p.warnings.find((w) => w.wave === 2 && w.code === 'ENDS_BEFORE_FINISH')?.message).toMatch(
      /^Wave 2 (would|may) not start: no wave starts after 2026-03-01T10:44:00.000Z, 46 minutes before/,
    );
  });

  it('does not warn when every wave starts well before the end', () => {
    const p = plan(
      { ...fleet, schedulingConfig: { endTime: '2026-03-02T10:00' }, waves: [{ percentage: 100 }] },
      [5],
    );
    expect(codes(p).filter(([code]) => code === 'ENDS_BEFORE_FINISH')).toEqual([]);
  });

  it("counts a wave's timeout in open window time, as the workflow does", () => {
    // Nightly 02:00-04:00, planned at 10:00: 30 things at 1 a minute take 30 open minutes, ~16 h of wall time.
    const p = plan(
      {
        ...fleet,
        schedulingConfig: {
          maintenanceWindows: [{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 120 }],
        },
        waves: [{ percentage: 100, timeoutMinutes: 120 }],
      },
      [30],
    );
    expect(p.waves[0]?.durationMinutes.max).toBeGreaterThan(120);
    expect(codes(p)).not.toContainEqual(['WAVE_MAY_TIME_OUT', 1]);
    const tight = plan(
      {
        ...fleet,
        schedulingConfig: {
          maintenanceWindows: [{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 120 }],
        },
        waves: [{ percentage: 100, timeoutMinutes: 20 }],
      },
      [30],
    );
    expect(codes(tight)).toContainEqual(['WAVE_MAY_TIME_OUT', 1]);
  });
});
