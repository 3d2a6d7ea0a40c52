import { describe, expect, it } from 'vitest';
import { assignCohorts } from '../../../lib/domain/cohorts.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { createRelease, releaseIdForIdempotencyKey } from '../../../lib/releases/create-release.js';
import { planRelease } from '../../../lib/releases/plan-release.js';
import { createReleaseBodySchema } from '../../../lib/releases/schemas.js';
import { cohortOf } from '../../../lib/workflow/cohort-group.js';
import type { ThingGroups } from '../../../lib/workflow/ports.js';
import { fakes, releaseBody } from './fakes.js';

const NOW = Date.UTC(2026, 2, 1, 10);
const doors = Array.from({ length: 300 }, (_, i) => `door-${String(i).padStart(3, '0')}`);

/** Group members in memory; every listing is recorded. */
function memberGroups(members: Record<string, string[]>) {
  const listed: string[] = [];
  const groups: Pick<ThingGroups, 'listThings'> = {
    async listThings(name) {
      listed.push(name);
      return members[name] ?? [];
    },
  };
  return { groups, listed };
}

function planDeps(members: Record<string, string[]> = { doors }) {
  const deps = fakes();
  const groups = memberGroups(members);
  return { deps, listed: groups.listed, plan: { ...deps, groups: groups.groups } };
}

const body = (overrides: Record<string, unknown> = {}) =>
  createReleaseBodySchema.parse(releaseBody({ releaseId: 'r-plan', ...overrides }));

describe('planRelease', () => {
  it('sizes each cohort by the release rule, reading the fleet once, and stores nothing', async () => {
    const { deps, listed, plan } = planDeps();
    const result = await planRelease(plan, { body: body(), nowMs: NOW });
    const cohorts = assignCohorts('r-plan', doors, [
      { percentage: 10 },
      { percentage: 50 },
      { percentage: 100 },
    ]);
    expect(result.waves.map((w) => w.thingCount)).toEqual([1, 2, 3].map((n) => cohorts.get(n)?.length));
    expect(result.waves.reduce((sum, w) => sum + w.thingCount, 0)).toBe(300);
    expect(listed).toEqual(['doors']);
    await expect(deps.store.listReleases()).resolves.toMatchObject({ items: [] });
    expect(deps.executions.executions.size).toBe(0);
  });

  it("shows each wave's CreateJob: deterministic id, the cohort group's ARN, the abort criterion, the template merged in", async () => {
    const { plan } = planDeps();
    const result = await planRelease(plan, {
      body: body({ waves: [{ percentage: 100, failureThresholdPercent: 5 }] }),
      nowMs: NOW,
    });
    expect(result.waves[0]?.createJob).toEqual({
      jobId: 'r-plan-w01',
      jobTemplateArn: 'arn:aws:iot:us-east-1:123456789012:jobtemplate/fw-2-4',
      targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/fleetwave-r-plan-w01'],
      targetSelection: 'SNAPSHOT',
      description: 'fleetwave release r-plan, wave 1 of 1',
      abortConfig: {
        criteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 5, minNumberOfExecutedThings: 100 },
        ],
      },
    });
  });

  it('counts a named wave by its things and its groups members, child groups included, once each', async () => {
    const { plan } = planDeps({ doors: ['door-1', 'door-3', 'door-4'] });
    const result = await planRelease(plan, {
      body: body({
        targets: undefined,
        waves: [{ targets: { things: ['door-1', 'door-2'], thingGroups: ['doors'] } }],
      }),
      nowMs: NOW,
    });
    expect(result.waves[0]?.thingCount).toBe(4);
    expect(result.waves[0]?.createJob.targets).toEqual([
      'arn:aws:iot:us-east-1:123456789012:thinggroup/doors',
      'arn:aws:iot:us-east-1:123456789012:thing/door-1',
      'arn:aws:iot:us-east-1:123456789012:thing/door-2',
    ]);
  });

  it('refuses a missing target with the very error a real request gets', async () => {
    const wrong = body({ targets: { thingGroups: ['doors', 'gone'] } });
    const { plan } = planDeps();
    const planned = await planRelease(plan, { body: wrong, nowMs: NOW }).catch((e: unknown) => e);
    const real = await createRelease(fakes(), { body: wrong }).catch((e: unknown) => e);
    expect(planned).toBeInstanceOf(ValidationError);
    expect(planned).toEqual(real);
    expect((planned as ValidationError).details).toEqual([
      { path: 'targets.thingGroups.1', message: 'names no thing group (gone does not exist)' },
    ]);
  });

  it('refuses a missing template as a real request does', async () => {
    const { plan } = planDeps();
    await expect(
      planRelease(plan, { body: body({ jobTemplateId: 'nope' }), nowMs: NOW }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      details: [{ path: 'jobTemplateId', message: 'names no job template (nope does not exist)' }],
    });
  });

  it('draws a release id when none is given, and says so', async () => {
    const { plan } = planDeps();
    const result = await planRelease(plan, { body: body({ releaseId: undefined }), nowMs: NOW });
    expect(result.releaseId).toMatch(/^rel-/);
    expect(result.warnings.map((w) => w.code)).toContain('RELEASE_ID_DRAWN');
  });

  describe('with an Idempotency-Key', () => {
    const KEY = 'fw-2-4-doors';
    const keyed = (overrides: Record<string, unknown> = {}) => body({ releaseId: undefined, ...overrides });

    it('plans the release the key names, with its cohorts, and draws no id', async () => {
      const { plan } = planDeps();
      const result = await planRelease(plan, { body: keyed(), idempotencyKey: KEY, nowMs: NOW });
      const id = releaseIdForIdempotencyKey(KEY);
      expect(result.releaseId).toBe(id);
      const cohorts = assignCohorts(id, doors, [{ percentage: 10 }, { percentage: 50 }, { percentage: 100 }]);
      expect(result.waves.map((w) => w.thingCount)).toEqual([1, 2, 3].map((n) => cohorts.get(n)?.length));
      expect(result.waves[0]?.createJob.jobId).toBe(`${id}-w01`);
      expect(result.warnings.map((w) => w.code)).not.toContain('RELEASE_ID_DRAWN');
    });

    it('refuses a key used for another body with the very conflict a real request gets', async () => {
      const { deps, plan } = planDeps();
      await createRelease(deps, { body: keyed(), idempotencyKey: KEY, now: NOW });
      const other = keyed({ waves: [{ percentage: 100 }] });
      const planned = await planRelease(plan, { body: other, idempotencyKey: KEY, nowMs: NOW }).catch(
        (e: unknown) => e,
      );
      const real = await createRelease(deps, { body: other, idempotencyKey: KEY, now: NOW }).catch(
        (e: unknown) => e,
      );
      expect(planned).toMatchObject({ name: 'ConflictError' });
      expect(planned).toEqual(real);
    });

    it('plans a release already made by the same request, warning that a real request starts nothing', async () => {
      const { deps, plan } = planDeps();
      await createRelease(deps, { body: keyed(), idempotencyKey: KEY, now: NOW });
      const started = deps.executions.executions.size;
      const result = await planRelease(plan, { body: keyed(), idempotencyKey: KEY, nowMs: NOW });
      expect(result.releaseId).toBe(releaseIdForIdempotencyKey(KEY));
      expect(result.warnings).toContainEqual(
        expect.objectContaining({ code: 'RELEASE_EXISTS', message: expect.stringContaining('PENDING') }),
      );
      expect(deps.executions.executions.size).toBe(started);
      await expect(deps.store.listReleases()).resolves.toMatchObject({ items: [{}] });
    });
  });

  it('refuses a start time in the past as a real request does', async () => {
    const { plan } = planDeps();
    const past = body({ schedulingConfig: { startTime: '2026-03-01T09:00' } });
    const planned = await planRelease(plan, { body: past, nowMs: NOW }).catch((e: unknown) => e);
    const real = await createRelease(fakes(), { body: past, now: NOW }).catch((e: unknown) => e);
    expect(planned).toMatchObject({ name: 'ValidationError' });
    expect(planned).toEqual(real);
  });

  describe('with many waves', () => {
    const fleet = Array.from({ length: 2000 }, (_, i) => `lock-${i}`);
    const waves = Array.from({ length: 40 }, (_, i) => ({ percentage: (i + 1) * 2.5 }));
    const many = () => body({ targets: { thingGroups: ['doors', 'fleet'], things: ['door-1'] }, waves });

    /** A group's members, counting how many times the list is read through. */
    function countedList(things: string[]): { list: string[]; reads: () => number } {
      let reads = 0;
      const list = [...things];
      Object.defineProperty(list, Symbol.iterator, {
        value() {
          reads++;
          return Array.prototype[Symbol.iterator].call(list);
        },
      });
      return { list, reads: () => reads };
    }

    it("gives each wave exactly the things the workflow's cohortOf gives it", async () => {
      const members = { doors, fleet: [...fleet, ...doors.slice(0, 50)] };
      const { deps, plan } = planDeps(members);
      const result = await planRelease(plan, { body: many(), nowMs: NOW });
      await createRelease(deps, { body: many(), now: NOW });
      const { release } = await deps.store.getRelease('r-plan');
      const reader = { listThings: async (name: string) => members[name as keyof typeof members] ?? [] };
      const groups = new Proxy(reader, {
        get: (target, key) => (key === 'listThings' ? target.listThings : () => Promise.reject()),
      }) as unknown as ThingGroups;
      const expected = await Promise.all(
        waves.map(async (_, i) => (await cohortOf(groups, release, i + 1)).length),
      );
      expect(result.waves.map((w) => w.thingCount)).toEqual(expected);
      expect(expected.reduce((a, b) => a + b, 0)).toBe(new Set([...members.fleet, ...doors, 'door-1']).size);
    });

    it('reads the fleet through once for all its waves, not once per wave', async () => {
      const counted = countedList(fleet);
      const { plan } = planDeps({ doors, fleet: counted.list });
      await planRelease(plan, { body: many(), nowMs: NOW });
      expect(counted.reads()).toBe(1);
    });
  });

  it('refuses, as a real request does, a job template whose windows fleetwave cannot read: a 400, not a failure later', async () => {
    const { deps, plan } = planDeps();
    // AWS's own check may pass what fleetwave's cron reader refuses (here: day-of-week 8).
    deps.templates.windows.set('fw-2-4', [{ startTime: 'cron(0 2 ? * 8 *)', durationInMinutes: 60 }]);
    const planned = planRelease(plan, { body: body(), nowMs: NOW });
    await expect(planned).rejects.toThrow(ValidationError);
    await expect(planRelease(plan, { body: body(), nowMs: NOW })).rejects.toMatchObject({
      details: [{ path: 'jobTemplate.maintenanceWindows.0.startTime' }],
    });
    await expect(createRelease(deps, { body: body(), now: NOW })).rejects.toMatchObject({
      details: [{ path: 'jobTemplate.maintenanceWindows.0.startTime' }],
    });
    await expect(deps.store.listReleases()).resolves.toMatchObject({ items: [] });
  });
});
