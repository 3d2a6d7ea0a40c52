/**
 * Release plans against rehearsals: six differently shaped releases are
 * planned (`POST /releases?dryRun=true`), then run for real on the local
 * stack, over a fleet whose devices keep to the typical device time the plan
 * assumes (the local fleet's default latencies; every device answers). Each
 * rehearsal's cohorts have exactly the plan's sizes, and its virtual
 * duration (created → SUCCEEDED) falls inside the plan's range. And a dry
 * run stores and creates nothing, and refuses what a real request refuses.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListThingGroupsCommand, ListThingsInThingGroupCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes.js';
import type { ReleasePlan } from '../../lib/domain/release-plan.js';
import { releasePlanSchema } from '../../lib/releases/plan-view.js';
import { defaultBehaviourProfiles } from '../../local/fleet/behaviour-profile.js';
import { countIotCallsPerSecond } from '../support/iot-calls-per-second.js';
import { jobIds, statesEntered, useWorkflowStack } from '../support/workflow.js';
import {
  call,
  cliFor,
  createReleaseOk,
  expectThrottledCreate,
  releaseRequest,
  runUntilApi,
} from './releases-support.js';

/** The default profile's latencies, with every device succeeding. */
const healthyFleet = {
  default: { ...defaultBehaviourProfiles.default, outcomes: {} },
  overrides: [],
};

const minuteMs = 60_000;

describe('release plans against rehearsals on the local stack', () => {
  const env = useWorkflowStack({ fleet: { size: 400, canaryShare: 0 }, profiles: healthyFleet });

  async function plan(body: Record<string, unknown>): Promise<ReleasePlan> {
    const res = await call(env().stack, 'POST', '/releases?dryRun=true', { body });
    expect(res.status).toBe(200);
    // The answer is exactly what docs/openapi.yaml documents (its schema is generated from this one).
    expect(releasePlanSchema.parse(res.json)).toEqual(res.json);
    return res.json as ReleasePlan;
  }

  /** Plans `body`, runs it to SUCCEEDED, and compares. */
  async function rehearse(body: Record<string, unknown>) {
    const { stack } = env();
    const planned = await plan(body);
    // Counted from here: the real request and its run, not the plan's own look-ups.
    const counter = countIotCallsPerSecond(stack, Object.keys(planned.estimate.iotCalls));
    const releaseId = await createReleaseOk(stack, body);
    const done = await runUntilApi(
      stack,
      releaseId,
      (v) => v.release.status !== 'IN_PROGRESS' && v.release.status !== 'PENDING',
      'ended',
    );
    expect(done.release.status).toBe('SUCCEEDED');
    const history = await call(stack, 'GET', `/releases/${releaseId}/history?limit=500`);
    const ended = history.json.items.find(
      (e: { type: string; to?: string }) => e.type === 'RELEASE_STATUS_CHANGED' && e.to === 'SUCCEEDED',
    );
    const minutes = (Date.parse(ended.at) - Date.parse(done.release.createdAt)) / minuteMs;
    // FinishRelease deletes the cohort groups before it records SUCCEEDED: every call is in.
    counter.stop();
    const calls = Object.fromEntries(
      Object.keys(planned.estimate.iotCalls).map((api) => [api, counter.total(api)]),
    );
    return { planned, done, minutes, calls };
  }

  async function expectHonest(r: Awaited<ReturnType<typeof rehearse>>): Promise<void> {
    const sizes = r.done.waves.map((w: { expectedThings?: number }) => w.expectedThings);
    expect(sizes).toEqual(r.planned.waves.map((w) => w.thingCount));
    const reached = r.done.waves.map(
      (w: { counts: { numberOfSucceededThings: number } }) => w.counts.numberOfSucceededThings,
    );
    expect(reached).toEqual(r.planned.waves.map((w) => w.thingCount));
    const { min, max } = r.planned.estimate.durationMinutes;
    for (const [api, range] of Object.entries(r.planned.estimate.iotCalls)) {
      expect(
        r.calls[api],
        `${api}: ${r.calls[api]} calls, planned ${range.min}–${range.max}`,
      ).toBeGreaterThanOrEqual(range.min);
      expect(
        r.calls[api],
        `${api}: ${r.calls[api]} calls, planned ${range.min}–${range.max}`,
      ).toBeLessThanOrEqual(range.max);
    }
    // Step Functions state transitions: the states the execution entered.
    const entered = (await statesEntered(env().clients, r.done.release.executionArn)).length;
    const { transitions } = r.planned.estimate.stepFunctions;
    expect(entered, `${entered} states entered`).toBeGreaterThanOrEqual(transitions.min);
    expect(entered, `${entered} states entered`).toBeLessThanOrEqual(transitions.max);
    const said = `${r.planned.releaseId} ran ${r.minutes} virtual minutes; planned ${min}–${max}`;
    expect(r.minutes, said).toBeGreaterThanOrEqual(min);
    expect(r.minutes, said).toBeLessThanOrEqual(max);
  }

  it('two percentage waves with an exponential ramp', async () => {
    const r = await rehearse(
      releaseRequest({
        releaseId: 'plan-ramp',
        waves: [
          { percentage: 25 },
          {
            percentage: 100,
            jobExecutionsRolloutConfig: {
              maximumPerMinute: 60,
              exponentialRate: {
                baseRatePerMinute: 5,
                incrementFactor: 2,
                rateIncreaseCriteria: { numberOfNotifiedThings: 20 },
              },
            },
          },
        ],
      }),
    );
    await expectHonest(r);
  });

  it('three percentage waves with a bake', async () => {
    const r = await rehearse(
      releaseRequest({
        releaseId: 'plan-bake',
        waves: [
          { percentage: 5, bakeTimeMinutes: 30 },
          { percentage: 40, bakeTimeMinutes: 45 },
          { percentage: 100 },
        ],
      }),
    );
    await expectHonest(r);
  });

  it('one wave where the exponential ramp dominates: 2 a minute doubling every 40 things', async () => {
    const r = await rehearse(
      releaseRequest({
        releaseId: 'plan-ramp-slow',
        waves: [
          {
            percentage: 100,
            timeoutMinutes: 240,
            jobExecutionsRolloutConfig: {
              maximumPerMinute: 60,
              exponentialRate: {
                baseRatePerMinute: 2,
                incrementFactor: 2,
                rateIncreaseCriteria: { numberOfNotifiedThings: 40 },
              },
            },
          },
        ],
      }),
    );
    await expectHonest(r);
  });

  it('one wave where the rate limit dominates: 400 things at 20 a minute', async () => {
    const r = await rehearse(
      releaseRequest({
        releaseId: 'plan-rate',
        waves: [{ percentage: 100, jobExecutionsRolloutConfig: { maximumPerMinute: 20 } }],
      }),
    );
    await expectHonest(r);
    // About 20 minutes of notifications, then the slowest device: the range is minutes wide, not an hour.
    const { min, max } = r.planned.estimate.durationMinutes;
    expect(max - min).toBeLessThan(30);
  });

  it('a nightly maintenance window too short for the rollout: the release spans two virtual days', async () => {
    const r = await rehearse(
      releaseRequest({
        releaseId: 'plan-nights',
        schedulingConfig: {
          maintenanceWindows: [{ startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 }],
        },
        // 400 things at 5 a minute: 80 minutes of notifications, in two nights' windows.
        waves: [
          { percentage: 100, timeoutMinutes: 4320, jobExecutionsRolloutConfig: { maximumPerMinute: 5 } },
        ],
      }),
    );
    expect(r.planned.warnings).toContainEqual(
      expect.objectContaining({ code: 'WINDOWS_SPAN_DAYS', wave: 1 }),
    );
    expect(r.minutes).toBeGreaterThan(24 * 60);
    await expectHonest(r);
  });

  it('named things at a slow constant rate', async () => {
    const { clients } = env();
    const listed = await clients.iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName: 'fleet', recursive: true, maxResults: 12 }),
    );
    const things = (listed.things ?? []).slice(0, 12);
    const r = await rehearse({
      releaseId: 'plan-named',
      jobTemplateId: 'fw-2-0',
      waves: [
        { targets: { things: things.slice(0, 4) }, jobExecutionsRolloutConfig: { maximumPerMinute: 1 } },
        { targets: { things: things.slice(4) }, jobExecutionsRolloutConfig: { maximumPerMinute: 2 } },
      ],
    });
    await expectHonest(r);
  });
});

describe('a dry run', () => {
  const env = useWorkflowStack({ fleet: { size: 50, canaryShare: 0 } });

  it('answers 200 with the plan and stores, starts and creates nothing', async () => {
    const { stack, clients } = env();
    const res = await call(stack, 'POST', '/releases?dryRun=true', {
      body: releaseRequest({ releaseId: 'dry-1' }),
      headers: { 'Idempotency-Key': 'named-by-its-release-id' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ releaseId: 'dry-1', jobTemplateId: 'fw-2-0' });
    expect(res.json.waves.reduce((sum: number, w: { thingCount: number }) => sum + w.thingCount, 0)).toBe(50);
    expect((await call(stack, 'GET', '/releases')).json.items).toEqual([]);
    expect((await call(stack, 'GET', '/releases/dry-1')).status).toBe(404);
    expect(await jobIds(clients)).toEqual([]);
    const groups = await clients.iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'fleetwave-' }));
    expect(groups.thingGroups ?? []).toEqual([]);
  });

  it('refuses a missing target with the same 400 as a real request', async () => {
    const { stack } = env();
    const body = releaseRequest({ releaseId: 'dry-2', targets: { thingGroups: ['fleet', 'nowhere'] } });
    const dry = await call(stack, 'POST', '/releases?dryRun=true', { body });
    const real = await call(stack, 'POST', '/releases', { body });
    expect(dry.status).toBe(400);
    expect(dry.json).toEqual(real.json);
    expect(dry.json.details).toEqual([
      { path: 'targets.thingGroups.1', message: 'names no thing group (nowhere does not exist)' },
    ]);
  });

  it("fleetwave releases plan -f prints the plan as a table, and with --json the API's answer", async () => {
    const { stack } = env();
    const body = releaseRequest({
      releaseId: 'cli-plan',
      waves: [{ percentage: 20, bakeTimeMinutes: 15 }, { percentage: 100 }],
    });
    const dir = await mkdtemp(join(tmpdir(), 'fleetwave-plan-'));
    try {
      const file = join(dir, 'release.json');
      await writeFile(file, JSON.stringify(body));
      const cli = cliFor(stack);
      const table = await cli(['releases', 'plan', '-f', file]);
      expect(table.err).toBe('');
      expect(table.code).toBe(ExitCode.OK);
      const lines = table.out.split('\n');
      expect(lines[0]).toMatch(
        /^WAVE\s+SHARE\s+THINGS\s+STARTS \(UTC\)\s+ENDS BY \(UTC\)\s+MINUTES\s+BAKE\s+GATE\s+JOB$/,
      );
      expect(lines[1]).toMatch(
        /^1\s+20%\s+\d+\s+2026-01-01 \d\d:\d\d\s+2026-01-01 \d\d:\d\d\s+\d+–\d+\s+15 min\s+-\s+cli-plan-w01$/,
      );
      expect(lines[2]).toMatch(/^2\s+100%\s+\d+\s/);
      expect(table.out).toMatch(/Duration:\s+\d+ min – \d+ min/);
      expect(table.out).toMatch(/IoT calls:\s+DescribeJobTemplate 2, /);
      expect(table.out).toContain('TEMPLATE_WITHOUT_TIMEOUT: Job template fw-2-0 sets no timeoutConfig');

      const json = await cli(['releases', 'plan', '-f', file, '--json']);
      expect(json.code).toBe(ExitCode.OK);
      const api = await call(stack, 'POST', '/releases?dryRun=true', { body });
      expect(JSON.parse(json.out)).toEqual(api.json);
      expect((await call(stack, 'GET', '/releases/cli-plan')).status).toBe(404);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers a throttled IoT look-up with the same 429 and Retry-After as a real request, and plans once IoT answers', async () => {
    const { stack } = env();
    const body = releaseRequest({ releaseId: 'plan-throttled' });
    await expectThrottledCreate(stack, 'DescribeJobTemplate', body, '/releases?dryRun=true');
    await expectThrottledCreate(stack, 'ListThingsInThingGroup', body, '/releases?dryRun=true');
    const planned = await call(stack, 'POST', '/releases?dryRun=true', { body });
    expect(planned.status).toBe(200);
    expect((await call(stack, 'GET', '/releases/plan-throttled')).status).toBe(404);
  });

  it('refuses a dryRun other than true or false', async () => {
    const { stack } = env();
    const res = await call(stack, 'POST', '/releases?dryRun=yes', {
      body: releaseRequest({ releaseId: 'dry-3' }),
    });
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([{ path: 'dryRun', message: "must be 'true' or 'false'" }]);
    expect((await call(stack, 'GET', '/releases/dry-3')).status).toBe(404);
  });
});
