import { describe, expect, it } from 'vitest';
import { resourceIdSchema } from '../../../lib/domain/iot-job-settings.js';
import {
  parseReleaseRequest,
  RELEASE_ID_MAX_LENGTH,
  type ReleaseRequestInput,
} from '../../../lib/domain/release-request.js';
import { buildWaveJobOverrides, waveJobId, waveLabel } from '../../../lib/domain/wave-job.js';

function wave(fields: Record<string, unknown>) {
  const input: ReleaseRequestInput = {
    releaseId: 'r1',
    jobTemplateId: 'tpl',
    waves: [{ targets: { things: ['t1'] }, ...fields }],
  };
  const parsed = parseReleaseRequest(input).waves[0];
  if (!parsed) throw new Error('no wave');
  return parsed;
}

describe('wave job ids', () => {
  it('are <releaseId>-w<nn> with a two-digit wave number', () => {
    expect(waveJobId('fw-2-4-1', 1)).toBe('fw-2-4-1-w01');
    expect(waveJobId('fw-2-4-1', 50)).toBe('fw-2-4-1-w50');
  });

  it('stay valid IoT job ids for the longest release id', () => {
    expect(resourceIdSchema.safeParse(waveJobId('x'.repeat(RELEASE_ID_MAX_LENGTH), 50)).success).toBe(true);
  });

  it('refuse wave numbers outside 1–50', () => {
    expect(() => waveLabel(0)).toThrow(RangeError);
    expect(() => waveLabel(51)).toThrow(RangeError);
    expect(() => waveLabel(1.5)).toThrow(RangeError);
  });
});

describe('buildWaveJobOverrides', () => {
  it('turns the failure threshold into an IoT abort criterion and leaves the rest to the template', () => {
    expect(buildWaveJobOverrides(wave({ failureThresholdPercent: 12.5, minExecutedThings: 20 }))).toEqual({
      abortConfig: {
        criteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 12.5, minNumberOfExecutedThings: 20 },
        ],
      },
    });
  });

  it('passes a 0 % threshold to IoT as its smallest positive share', () => {
    const overrides = buildWaveJobOverrides(wave({ failureThresholdPercent: 0 }));
    expect(overrides.abortConfig.criteriaList[0]?.thresholdPercentage).toBe(0.01);
  });

  it("adds the wave's own abort criteria of other failure types", () => {
    const own = {
      failureType: 'REJECTED',
      action: 'CANCEL',
      thresholdPercentage: 1,
      minNumberOfExecutedThings: 5,
    };
    const overrides = buildWaveJobOverrides(wave({ abortConfig: { criteriaList: [own] } }));
    expect(overrides.abortConfig.criteriaList).toEqual([
      { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 100 },
      own,
    ]);
  });

  it("lets the wave's own ALL criterion replace the generated one", () => {
    const own = {
      failureType: 'ALL',
      action: 'CANCEL',
      thresholdPercentage: 3,
      minNumberOfExecutedThings: 50,
    };
    expect(buildWaveJobOverrides(wave({ abortConfig: { criteriaList: [own] } })).abortConfig).toEqual({
      criteriaList: [own],
    });
  });

  it('passes the rollout, timeout and retry overrides through unchanged', () => {
    const fields = {
      jobExecutionsRolloutConfig: {
        exponentialRate: {
          baseRatePerMinute: 10,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfSucceededThings: 5 },
        },
      },
      timeoutConfig: { inProgressTimeoutInMinutes: 15 },
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
    };
    expect(buildWaveJobOverrides(wave(fields))).toMatchObject(fields);
  });
});
