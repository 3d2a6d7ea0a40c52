/**
 * The release maps in configuration: parsed and checked by the webhooks
 * that read them, once per configuration, so a bad map fails the webhook's
 * first invocation naming the variable and the field, and no other function.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../lib/config.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { parseReleaseMap } from '../../../lib/triggers/release-map.js';
import { releaseMapOf } from '../../../lib/triggers/release-maps.js';

const mapsOf = (env: Record<string, string>) => {
  const config = loadConfig(env);
  const github = releaseMapOf(config, 'github');
  const gitlab = releaseMapOf(config, 'gitlab');
  return { ...(github && { github }), ...(gitlab && { gitlab }) };
};

const base = { AWS_REGION: 'us-east-1' };
const plan = { jobTemplateId: 'fw', targets: { thingGroups: ['fleet'] }, waves: [{ percentage: 100 }] };

describe('release map configuration', () => {
  it('loads the GitHub and GitLab maps with the request defaults filled in', () => {
    const c = mapsOf({
      ...base,
      FLEETWAVE_GITHUB_RELEASE_MAP: JSON.stringify({ 'acme/fw': plan }),
      FLEETWAVE_GITLAB_RELEASE_MAP: JSON.stringify({ 'acme/sub/fw': { ...plan, tagPattern: '^v' } }),
    });
    expect(c.github?.['acme/fw']?.waves[0]?.successThresholdPercent).toBe(90);
    expect(c.gitlab?.['acme/sub/fw']?.tagPattern).toBe('^v');
  });

  it('takes maintenance windows in a map, and refuses its absolute start and end times, which go stale', () => {
    const nightly = { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 120 };
    const map = parseReleaseMap(
      JSON.stringify({ 'acme/fw': { ...plan, schedulingConfig: { maintenanceWindows: [nightly] } } }),
    );
    expect(map['acme/fw']?.schedulingConfig).toEqual({ maintenanceWindows: [nightly] });
    for (const stale of [
      { startTime: '2026-06-01T00:00' },
      { endTime: '2026-06-01T00:00', endBehavior: 'CANCEL' },
    ]) {
      const json = JSON.stringify({ 'acme/fw': { ...plan, schedulingConfig: stale } });
      expect(() => parseReleaseMap(json)).toThrow(ValidationError);
      try {
        parseReleaseMap(json);
      } catch (error) {
        expect((error as ValidationError).details[0]?.path).toBe('acme/fw.schedulingConfig');
      }
    }
  });

  it('treats an unset or empty map as no map', () => {
    expect(mapsOf(base)).toEqual({});
    expect(mapsOf({ ...base, FLEETWAVE_GITHUB_RELEASE_MAP: '' })).toEqual({});
  });

  it("leaves every other function's configuration, and the other provider's map, readable with a bad map", () => {
    const config = loadConfig({
      ...base,
      FLEETWAVE_GITHUB_RELEASE_MAP: '{nope',
      FLEETWAVE_GITLAB_RELEASE_MAP: JSON.stringify({ 'acme/fw': plan }),
    });
    expect(releaseMapOf(config, 'gitlab')).toHaveProperty(['acme/fw']);
    expect(() => releaseMapOf(config, 'github')).toThrow(/FLEETWAVE_GITHUB_RELEASE_MAP/);
  });

  it('fails on malformed JSON, naming the variable', () => {
    expect(() => mapsOf({ ...base, FLEETWAVE_GITHUB_RELEASE_MAP: '{nope' })).toThrow(
      new ConfigError('Invalid environment: FLEETWAVE_GITHUB_RELEASE_MAP must be valid JSON'),
    );
  });

  it('fails on a plan that breaks a release rule, naming the repository and field', () => {
    const bad = JSON.stringify({ 'acme/fw': { ...plan, waves: [{ percentage: 50 }] } });
    expect(() => mapsOf({ ...base, FLEETWAVE_GITLAB_RELEASE_MAP: bad })).toThrow(
      /FLEETWAVE_GITLAB_RELEASE_MAP\.acme\/fw\.waves\.0\.percentage the last percentage wave must be 100/,
    );
  });

  it.each([
    ['a key that is not a repository path', { firmware: plan }, 'firmware'],
    ['a tagPattern that does not compile', { 'acme/fw': { ...plan, tagPattern: '(' } }, 'acme/fw.tagPattern'],
    ['a plan naming its own releaseId', { 'acme/fw': { ...plan, releaseId: 'r1' } }, 'acme/fw'],
  ])('refuses %s', (_, value, path) => {
    let error: unknown;
    try {
      parseReleaseMap(JSON.stringify(value));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details.map((d) => d.path)).toContain(path);
  });
});
