/** The waits between looks at a wave, and the ARNs of a wave's targets. */
import { describe, expect, it } from 'vitest';
import { parseReleaseRequest } from '../../../lib/domain/release-request.js';
import { iotArnPrefix, sameTargets, waveTargetArns } from '../../../lib/workflow/release-context.js';
import { bakeWaitSeconds, firstPollSeconds, waitPolicyFor } from '../../../lib/workflow/wave-timing.js';

describe('wave timing', () => {
  it("keeps the domain's adaptive wait for waves up to ~42 hours, and bounds the polls of longer ones", () => {
    expect(waitPolicyFor({ timeoutMinutes: 1440 })).toEqual({
      initialSeconds: 15,
      factor: 2,
      maxSeconds: 300,
    });
    expect(waitPolicyFor({ timeoutMinutes: 43_200 }).maxSeconds).toBe(5184);
  });

  it('bakes in waits of at most an hour, at least a second', () => {
    expect(bakeWaitSeconds(30 * 60_000)).toBe(1800);
    expect(bakeWaitSeconds(7 * 86_400_000)).toBe(3600);
    expect(bakeWaitSeconds(-5)).toBe(1);
    expect(bakeWaitSeconds(1)).toBe(1);
  });

  it('cuts the first poll at the deadline', () => {
    const policy = waitPolicyFor({ timeoutMinutes: 1 });
    expect(firstPollSeconds(60_000, 0, policy)).toBe(15);
    expect(firstPollSeconds(60_000, 52_500, policy)).toBe(8);
  });
});

describe('wave targets', () => {
  const template = 'arn:aws:iot:eu-west-1:111122223333:jobtemplate/fw';
  const release = parseReleaseRequest({
    releaseId: 'r',
    jobTemplateId: 'fw',
    targets: { thingGroups: ['fleet'] },
    waves: [{ targets: { thingGroups: ['lab'], things: ['t1'] } }, { percentage: 100 }],
  });

  it("builds ARNs in the template's account and region", () => {
    expect(iotArnPrefix(template)).toBe('arn:aws:iot:eu-west-1:111122223333:');
    const wave = { releaseId: 'r', waveNumber: 1, status: 'IN_PROGRESS' as const, version: 1 };
    expect(waveTargetArns(template, release.waves[0]!, wave)).toEqual([
      'arn:aws:iot:eu-west-1:111122223333:thinggroup/lab',
      'arn:aws:iot:eu-west-1:111122223333:thing/t1',
    ]);
    expect(
      waveTargetArns(template, release.waves[1]!, {
        ...wave,
        waveNumber: 2,
        thingGroupName: 'fleetwave-r-w02',
      }),
    ).toEqual(['arn:aws:iot:eu-west-1:111122223333:thinggroup/fleetwave-r-w02']);
  });

  it('refuses a template ARN that is not IoT', () => {
    expect(() => iotArnPrefix('arn:aws:s3:::bucket')).toThrow(/Not an AWS IoT ARN/);
  });

  it('compares targets as sets', () => {
    expect(sameTargets(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameTargets(['a'], ['a', 'b'])).toBe(false);
  });
});
