import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.js';
import {
  parseReleaseRequest,
  type ReleaseRequestInput,
  releaseRequestHash,
} from '../../../lib/domain/release-request.js';

const valid: ReleaseRequestInput = {
  releaseId: 'fw-2-4-1',
  jobTemplateId: 'firmware-2-4-1',
  targets: { thingGroups: ['sensors'] },
  waves: [
    { percentage: 1 },
    { percentage: 10, bakeTimeMinutes: 30 },
    { percentage: 100, requireApproval: true },
  ],
};

/** The problems of an invalid request, as `path: message`. */
function problems(input: unknown): string[] {
  try {
    parseReleaseRequest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details.map((d) => `${d.path}: ${d.message}`);
  }
  throw new Error('expected the request to be rejected');
}

function withWaves(waves: unknown[]): unknown {
  return { ...valid, waves };
}

describe('parseReleaseRequest', () => {
  it('accepts a percentage rollout and fills in the wave defaults', () => {
    const request = parseReleaseRequest(valid);
    expect(request.waves[0]).toEqual({
      percentage: 1,
      successThresholdPercent: 90,
      failureThresholdPercent: 10,
      minExecutedThings: 100,
      timeoutMinutes: 1440,
      bakeTimeMinutes: 0,
      requireApproval: false,
    });
    expect(request.waves[2]?.requireApproval).toBe(true);
  });

  it('accepts waves with their own targets and no release fleet', () => {
    const request = parseReleaseRequest({
      releaseId: 'canary',
      jobTemplateId: 'tpl',
      waves: [{ targets: { things: ['lab-1', 'lab-2'] } }, { targets: { thingGroups: ['all-sensors'] } }],
    });
    expect(request.targets).toBeUndefined();
    expect(request.waves).toHaveLength(2);
  });

  it('accepts IoT overrides with IoT field names', () => {
    const request = parseReleaseRequest(
      withWaves([
        {
          percentage: 100,
          jobExecutionsRolloutConfig: { maximumPerMinute: 100 },
          abortConfig: {
            criteriaList: [
              {
                failureType: 'FAILED',
                action: 'CANCEL',
                thresholdPercentage: 5,
                minNumberOfExecutedThings: 10,
              },
            ],
          },
          timeoutConfig: { inProgressTimeoutInMinutes: 30 },
          jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 2 }] },
        },
      ]),
    );
    expect(request.waves[0]?.timeoutConfig).toEqual({ inProgressTimeoutInMinutes: 30 });
  });

  it('rejects a release id longer than 56 characters, leaving room for the job id suffixes -w<nn>-r<k>', () => {
    expect(problems({ ...valid, releaseId: 'a'.repeat(57) })).toEqual([
      'releaseId: must be at most 56 characters',
    ]);
    expect(() => parseReleaseRequest({ ...valid, releaseId: 'a'.repeat(56) })).not.toThrow();
  });

  it('rejects ids with characters IoT does not allow', () => {
    expect(problems({ ...valid, releaseId: 'fw 2.4', jobTemplateId: 'tpl/1' })).toEqual([
      'releaseId: must match [a-zA-Z0-9_-]+',
      'jobTemplateId: must match [a-zA-Z0-9_-]+',
    ]);
  });

  it('names unknown fields at every level', () => {
    const found = problems({ ...valid, colour: 'blue', waves: [{ percentage: 100, bake: 5 }] });
    expect(found).toContain(': Unrecognized key: "colour"');
    expect(found).toContain('waves.0: Unrecognized key: "bake"');
  });

  it('names every bad field of every wave at once', () => {
    const found = problems(
      withWaves([
        { percentage: 10, successThresholdPercent: 101, timeoutMinutes: 0 },
        { percentage: 100, failureThresholdPercent: -1, bakeTimeMinutes: 1.5, requireApproval: 'yes' },
      ]),
    );
    expect(found).toEqual([
      'waves.0.successThresholdPercent: must be at most 100',
      'waves.0.timeoutMinutes: must be at least 1',
      'waves.1.failureThresholdPercent: must be at least 0',
      'waves.1.bakeTimeMinutes: must be an integer',
      'waves.1.requireApproval: Invalid input: expected boolean, received string',
    ]);
  });

  it('rejects thresholds with more than two decimals', () => {
    expect(problems(withWaves([{ percentage: 100, failureThresholdPercent: 2.555 }]))).toEqual([
      'waves.0.failureThresholdPercent: must have at most two digits after the decimal point',
    ]);
  });

  it('requires at least one wave and at most 50', () => {
    expect(problems(withWaves([]))).toEqual(['waves: must hold at least 1 wave']);
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ targets: { things: [`t${i}`] } }));
    expect(problems(withWaves(tooMany))).toEqual(['waves: must hold at most 50 waves']);
  });

  it('requires each wave to set exactly one of targets and percentage', () => {
    expect(problems(withWaves([{ percentage: 100, targets: { things: ['a'] } }, {}]))).toEqual([
      'waves.0: must set exactly one of targets and percentage',
      'waves.1: must set exactly one of targets and percentage',
    ]);
  });

  it('requires cumulative percentages to rise strictly', () => {
    expect(
      problems(withWaves([{ percentage: 10 }, { percentage: 10 }, { percentage: 5 }, { percentage: 100 }])),
    ).toEqual([
      "waves.1.percentage: must be greater than wave 1's 10 (percentages are cumulative)",
      "waves.2.percentage: must be greater than wave 2's 10 (percentages are cumulative)",
    ]);
  });

  it('rejects a rollout whose last percentage wave stops short of 100', () => {
    expect(problems(withWaves([{ percentage: 1 }, { percentage: 50 }]))).toEqual([
      'waves.1.percentage: the last percentage wave must be 100, or part of the fleet is never updated',
    ]);
  });

  it('requires a release fleet when a wave takes a percentage of it', () => {
    expect(problems({ ...valid, targets: undefined })).toEqual([
      'targets: must name at least 1 thing group or thing when a wave takes a percentage of the fleet',
    ]);
    expect(problems({ ...valid, targets: { things: [] } })).toEqual([
      'targets: must name at least 1 thing group or thing when a wave takes a percentage of the fleet',
    ]);
  });

  it('limits a wave with its own targets to one IoT job: 1 to 100 targets', () => {
    const things = Array.from({ length: 60 }, (_, i) => `t${i}`);
    const thingGroups = Array.from({ length: 41 }, (_, i) => `g${i}`);
    expect(problems(withWaves([{ targets: {} }, { targets: { things, thingGroups } }]))).toEqual([
      'waves.0.targets: must name at least 1 target',
      'waves.1.targets: must name at most 100 targets in all (one IoT job)',
    ]);
  });

  it('rejects bad and repeated target names', () => {
    expect(
      problems({ ...valid, targets: { thingGroups: ['ok', 'not ok', 'ok'], things: ['x'.repeat(129)] } }),
    ).toEqual([
      'targets.thingGroups.1: must match [a-zA-Z0-9:_-]+',
      'targets.thingGroups.2: repeats ok',
      'targets.things.0: must be at most 128 characters',
    ]);
  });

  it('rejects repeated tag keys and malformed tags', () => {
    expect(
      problems({
        ...valid,
        tags: [
          { Key: 'team', Value: 'a' },
          { Key: 'team', Value: 'b' },
          { Key: '', Value: 'c' },
        ],
      }),
    ).toEqual(['tags.2.Key: must be at least 1 character', 'tags.1.Key: repeats team']);
  });

  it('checks overrides with the IoT limits', () => {
    expect(
      problems(
        withWaves([
          {
            percentage: 100,
            jobExecutionsRolloutConfig: { maximumPerMinute: 1001 },
            timeoutConfig: { x: 1 },
          },
        ]),
      ),
    ).toEqual([
      'waves.0.jobExecutionsRolloutConfig.maximumPerMinute: must be at most 1000',
      'waves.0.timeoutConfig: Unrecognized key: "x"',
    ]);
  });

  it('reports a malformed body as a whole', () => {
    expect(problems('release please')).toEqual([': Invalid input: expected object, received string']);
  });
});

describe('releaseRequestHash', () => {
  it('is the same whatever the key order and whether defaults are spelled out', () => {
    const spelled = parseReleaseRequest({
      waves: valid.waves.map((w) => ({ successThresholdPercent: 90, minExecutedThings: 100, ...w })),
      targets: valid.targets,
      jobTemplateId: valid.jobTemplateId,
      releaseId: valid.releaseId,
    });
    expect(releaseRequestHash(spelled)).toBe(releaseRequestHash(parseReleaseRequest(valid)));
  });

  it('differs when any setting differs', () => {
    const other = parseReleaseRequest({ ...valid, description: 'hotfix' });
    expect(releaseRequestHash(other)).not.toBe(releaseRequestHash(parseReleaseRequest(valid)));
  });
});
