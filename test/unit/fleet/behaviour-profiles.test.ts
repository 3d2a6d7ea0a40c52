import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.js';
import { type BehaviourProfiles, parseBehaviourProfiles } from '../../../local/fleet/behaviour-profile.js';
import { globToRegExp, ProfileResolver } from '../../../local/fleet/profile-resolver.js';
import { eventsOf, type Harness, minute, profile, setUp, thingNames } from './harness.js';

const base = profile({ outcomes: { fail: 0.01 }, startSeconds: 5, runSeconds: 60 });

describe('behaviour profiles: resolution by thing group and thing-name pattern', () => {
  it('gives a thing in a matching group that override’s outcomes, keeping the default for what it does not set', () => {
    const resolver = new ProfileResolver({
      ...base,
      overrides: [{ match: { thingGroup: 'canary-bad' }, outcomes: { fail: 0.4, reject: 0.05 } }],
    });
    const bad = resolver.resolve('gwa-euw-000001', ['eu-west', 'canary-bad']);
    expect(bad.outcomes).toEqual({ fail: 0.4, reject: 0.05, offline: 0, hang: 0 });
    expect(bad.succeed).toBeCloseTo(0.55);
    expect(bad.runLatency).toEqual(base.default.runLatency);
    expect(resolver.resolve('gwa-euw-000002', ['eu-west']).outcomes.fail).toBe(0.01);
  });

  it('matches thing names by whole-name glob and by regular expression', () => {
    expect(globToRegExp('gw?-euw-*').test('gwa-euw-000123')).toBe(true);
    expect(globToRegExp('gw?-euw-*').test('x-gwa-euw-1')).toBe(false);
    expect(globToRegExp('a.b*').test('axb')).toBe(false);
    const resolver = new ProfileResolver({
      ...base,
      overrides: [
        { match: { thingName: 'legacy-*' }, outcomes: { fail: 0, hang: 1 } },
        { match: { thingNameRegex: '^sensor-\\d{3}$' }, outcomes: { offline: 0.5 } },
      ],
    });
    expect(resolver.resolve('legacy-7', []).outcomes.hang).toBe(1);
    expect(resolver.resolve('sensor-123', []).outcomes.offline).toBe(0.5);
    expect(resolver.resolve('sensor-1234', []).outcomes.offline).toBe(0);
  });

  it('layers every matching override in list order, each field from the last override that sets it', () => {
    const resolver = new ProfileResolver({
      ...base,
      overrides: [
        {
          match: { thingGroup: 'ap-southeast' },
          runLatency: { medianSeconds: 600 },
          outcomes: { fail: 0.1 },
        },
        { match: { thingGroup: 'canary-bad' }, outcomes: { fail: 0.4 } },
        { match: { thingGroup: 'canary-bad', thingName: 'zzz-*' }, outcomes: { hang: 1 } },
      ],
    });
    const both = resolver.resolve('gwa-apse-1', ['ap-southeast', 'canary-bad']);
    expect(both.outcomes.fail).toBe(0.4);
    expect(both.outcomes.hang).toBe(0);
    expect(both.runLatency.medianSeconds).toBe(600);
  });

  it('scales layered failure shares that add up to more than 1 down to 1', () => {
    const resolver = new ProfileResolver({
      ...base,
      overrides: [
        { match: { thingGroup: 'a' }, outcomes: { fail: 0.8 } },
        { match: { thingGroup: 'b' }, outcomes: { reject: 0.8 } },
      ],
    });
    const r = resolver.resolve('x', ['a', 'b']);
    expect(r.succeed).toBe(0);
    expect(r.outcomes.fail + r.outcomes.reject + r.outcomes.offline + r.outcomes.hang).toBeCloseTo(1);
  });
});

describe('behaviour profiles: what failing devices report', () => {
  it('reports install-failed and rejected-by-device unless a profile says otherwise', () => {
    const resolver = new ProfileResolver(base);
    expect(resolver.resolve('gwa-euw-000001', []).statusDetails).toEqual({
      fail: { reason: 'install-failed' },
      reject: { reason: 'rejected-by-device' },
    });
  });

  it('replaces each mode’s details as a whole, from the default then every matching override in order', () => {
    const resolver = new ProfileResolver({
      ...base,
      default: { ...base.default, statusDetails: { fail: { reason: 'flash-error', errorCode: 'E42' } } },
      overrides: [
        {
          match: { thingGroup: 'canary-bad' },
          statusDetails: { fail: { reason: 'checksum-mismatch', step: 'verify' } },
        },
        { match: { thingName: 'zzz-*' }, statusDetails: { reject: { error: 'battery-low' } } },
      ],
    });
    expect(resolver.resolve('gwa-1', []).statusDetails).toEqual({
      fail: { reason: 'flash-error', errorCode: 'E42' },
      reject: { reason: 'rejected-by-device' },
    });
    expect(resolver.resolve('zzz-1', ['canary-bad']).statusDetails).toEqual({
      fail: { reason: 'checksum-mismatch', step: 'verify' },
      reject: { error: 'battery-low' },
    });
  });
});

describe('behaviour profiles: the JSON format', () => {
  const invalid = (profiles: unknown): string[] => {
    try {
      parseBehaviourProfiles(profiles);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).details.map((d) => d.path);
    }
    throw new Error('accepted');
  };

  it('accepts the documented example', () => {
    const example: BehaviourProfiles = {
      default: {
        outcomes: { fail: 0.01, reject: 0.005, offline: 0.005, hang: 0.002 },
        startLatency: { medianSeconds: 20, spread: 0.6 },
        runLatency: { medianSeconds: 180, spread: 0.5 },
      },
      overrides: [
        {
          name: 'bad canaries',
          match: { thingGroup: 'canary-bad' },
          outcomes: { fail: 0.4, reject: 0.05 },
          statusDetails: { fail: { reason: 'checksum-mismatch', step: 'verify' } },
        },
        { match: { thingName: 'gwa-*' }, runLatency: { medianSeconds: 600, spread: 0.8 } },
        { match: { thingNameRegex: '^legacy-' }, outcomes: { hang: 0.5 } },
      ],
    };
    expect(parseBehaviourProfiles(example)).toEqual(example);
  });

  it('rejects shares over 1, bad regular expressions, empty matches and unknown fields, naming each field', () => {
    expect(invalid({ ...base, default: { ...base.default, outcomes: { fail: 0.6, hang: 0.5 } } })).toEqual([
      'default.outcomes',
    ]);
    expect(invalid({ ...base, overrides: [{ match: { thingNameRegex: '(' } }] })).toEqual([
      'overrides.0.match.thingNameRegex',
    ]);
    expect(invalid({ ...base, overrides: [{ match: {} }] })).toEqual(['overrides.0.match']);
    expect(invalid({ ...base, default: { ...base.default, succeed: 1 } })).toEqual(['default']);
    expect(invalid({ ...base, default: { ...base.default, runLatency: { medianSeconds: -1 } } })).toEqual([
      'default.runLatency.medianSeconds',
    ]);
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    expect(
      invalid({ ...base, overrides: [{ match: { thingName: 'a' }, statusDetails: { fail: eleven } }] }),
    ).toEqual(['overrides.0.statusDetails.fail']);
    expect(
      invalid({ ...base, default: { ...base.default, statusDetails: { fail: { 'bad key': 'v' } } } }),
    ).toEqual(['default.statusDetails.fail.bad key']);
    expect(invalid({ ...base, default: { ...base.default, statusDetails: { timeout: {} } } })).toEqual([
      'default.statusDetails',
    ]);
  });
});

describe('behaviour profiles in the simulator', () => {
  let h: Harness;
  afterEach(() => h.simulator.stop());

  it('makes things in the canary-bad group fail 40% and reject 5% while the rest succeed', async () => {
    const canaries = thingNames('canary', 2000);
    const others = thingNames('fine', 200);
    h = setUp({
      profiles: profile({}, [{ match: { thingGroup: 'canary-bad' }, outcomes: { fail: 0.4, reject: 0.05 } }]),
      groups: Object.fromEntries([
        ...canaries.map((t) => [t, ['eu-west', 'canary-bad']]),
        ...others.map((t) => [t, ['eu-west']]),
      ]),
    });
    h.store.createJob({ jobId: 'canary', things: [...canaries, ...others] });
    await h.clock.advance(10 * minute);
    const status = (t: string) => h.store.getExecution('canary', t)!.status;
    const share = (s: string) => canaries.filter((t) => status(t) === s).length / canaries.length;
    expect(share('FAILED')).toBeGreaterThan(0.36);
    expect(share('FAILED')).toBeLessThan(0.44);
    expect(share('REJECTED')).toBeGreaterThan(0.03);
    expect(share('REJECTED')).toBeLessThan(0.07);
    expect(others.every((t) => status(t) === 'SUCCEEDED')).toBe(true);
  });

  it('makes things whose names match a pattern hang, and uses new profiles for attempts notified after setProfiles', async () => {
    h = setUp({
      profiles: profile({}, [{ match: { thingNameRegex: '^legacy-\\d+$' }, outcomes: { hang: 1 } }]),
    });
    h.store.createJob({
      jobId: 'p',
      things: ['legacy-1', 'modern-1'],
      jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
    });
    await h.clock.advance(1000);
    h.simulator.setProfiles(profile({ outcomes: { reject: 1 } }));
    await h.clock.advance(3 * minute);
    expect(h.store.getExecution('p', 'legacy-1')!.status).toBe('IN_PROGRESS');
    expect(h.store.getExecution('p', 'modern-1')!.status).toBe('REJECTED');
    expect(eventsOf(h.events, 'notified').map((e) => e.outcome)).toEqual(['hang', 'reject']);
    expect(h.simulator.getProfiles().default.outcomes).toEqual({ reject: 1 });
  });

  it('refuses invalid profiles and keeps the ones it had', () => {
    h = setUp();
    const before = h.simulator.getProfiles();
    expect(() =>
      h.simulator.setProfiles({ ...before, overrides: [{ match: {} }] } as BehaviourProfiles),
    ).toThrow(ValidationError);
    expect(h.simulator.getProfiles()).toEqual(before);
  });
});
