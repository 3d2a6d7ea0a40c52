/**
 * After a restore from `<data-dir>/iot.json`, every job execution goes on
 * under the rules it had before the process died: its device ends it, its
 * in-progress timeout fires (counted from when it started, not from the
 * restart), and its retries and the job's abort rule count what happened
 * before. The snapshot is taken from one endpoint with its simulator, and
 * put back into a fresh endpoint and simulator on the same virtual time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelJobCommand, CreateJobCommand, type JobProcessDetails } from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import type { BehaviourProfiles } from '../../../local/fleet/behaviour-profile.js';
import type { CreateJobSpec } from '../../../local/iot/jobs/job-records.js';
import { persistIot, readIotSnapshot, restoreIotSnapshot } from '../../../local/resume/iot-snapshot.js';
import { markRegistry } from '../../../local/resume/registry-changes.js';
import { counterSum, fixedProfile, minute, second } from '../../support/fleet.js';
import {
  describeExecution,
  describeJob,
  type FleetEndpoint,
  groupArn,
  seedThings,
  startFleetEndpoint,
} from '../fleet/fleet-endpoint.js';

const open: FleetEndpoint[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const ep of open.splice(0)) await ep.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An endpoint with `count` things `dev-nnnn` in group `line`. */
async function endpoint(profiles: BehaviourProfiles, count: number): Promise<FleetEndpoint> {
  const ep = await startFleetEndpoint({ profiles });
  open.push(ep);
  seedThings(ep, 'line', count, 'dev');
  return ep;
}

/**
 * Writes `ep`'s snapshot as `--data-dir` does, then restores it into a fresh
 * endpoint holding the same things (the seeded fleet is made again at start,
 * not written) and the same profiles. `withoutRuns` drops what the
 * simulator counted of each run, as a snapshot written before it was kept.
 */
async function restart(
  ep: FleetEndpoint,
  profiles: BehaviourProfiles,
  count: number,
  withoutRuns = false,
): Promise<FleetEndpoint> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-restored-executions-'));
  dirs.push(dir);
  const seeded = markRegistry(ep.emulator.registry.things);
  persistIot(ep.emulator, ep.clock, dir, undefined, seeded, ep.fleet.simulator).close();
  const snapshot = readIotSnapshot(dir);
  if (!snapshot) throw new Error('no snapshot written');
  if (withoutRuns) for (const saved of snapshot.jobs) delete saved.run;
  await ep.close();
  open.splice(open.indexOf(ep), 1);
  const fresh = await endpoint(profiles, count);
  await restoreIotSnapshot(fresh.emulator, fresh.clock, snapshot, fresh.fleet.simulator);
  return fresh;
}

/** {@link restart}, then `ms` of virtual time. */
async function restartThenRun(
  ep: FleetEndpoint,
  profiles: BehaviourProfiles,
  count: number,
  ms: number,
): Promise<FleetEndpoint> {
  const after = await restart(ep, profiles, count);
  await after.clock.advance(ms);
  return after;
}

async function createJob(ep: FleetEndpoint, jobId: string, settings: Partial<CreateJobSpec>): Promise<void> {
  await ep.iot.send(
    new CreateJobCommand({ jobId, targets: [groupArn(ep, 'line')], document: '{}', ...settings }),
  );
}

/** Every execution's status, end time and attempt, by thing. */
async function executionsOf(ep: FleetEndpoint, jobId: string, count: number) {
  const things = Array.from({ length: count }, (_, i) => `dev-${String(i).padStart(4, '0')}`);
  return Promise.all(
    things.map(async (thingName) => {
      const e = await describeExecution(ep, jobId, thingName);
      return {
        thingName,
        status: e.status,
        executionNumber: e.executionNumber,
        startedAt: e.startedAt?.getTime(),
        lastUpdatedAt: e.lastUpdatedAt?.getTime(),
      };
    }),
  );
}

/** Aborts once `percentage` % of at least `executed` completed attempts FAILED. */
function abortOnFailed(executed: number, percentage: number): CreateJobSpec['abortConfig'] {
  return {
    criteriaList: [
      {
        action: 'CANCEL',
        failureType: 'FAILED',
        minNumberOfExecutedThings: executed,
        thresholdPercentage: percentage,
      },
    ],
  };
}

async function expectEnded(
  ep: FleetEndpoint,
  jobId: string,
  ended: { failed: number; succeeded: number },
): Promise<void> {
  expect((await describeJob(ep, jobId)).details).toMatchObject({
    numberOfFailedThings: ended.failed,
    numberOfSucceededThings: ended.succeeded,
  });
}

function expectConsistent(details: JobProcessDetails, count: number): void {
  expect(details.numberOfInProgressThings).toBe(0);
  expect(details.numberOfQueuedThings).toBe(0);
  expect(counterSum(details)).toBe(count);
}

describe('executions restored from a snapshot go on under the rules they had', () => {
  it('CancelJob without force: the IN_PROGRESS executions end by their device or by their timeout after a restart', async () => {
    // dev-0000..dev-0002 hang; the others take 5 minutes; 10 notified per minute.
    const profiles = fixedProfile({ startSeconds: 1, runSeconds: 5 * 60 }, [
      { match: { thingNameRegex: '^dev-000[0-2]$' }, outcomes: { hang: 1 } },
    ]);
    const before = await endpoint(profiles, 20);
    await createJob(before, 'soft', {
      jobExecutionsRolloutConfig: { maximumPerMinute: 10 },
      timeoutConfig: { inProgressTimeoutInMinutes: 10 },
    });
    await before.clock.advance(90 * second);
    await before.iot.send(new CancelJobCommand({ jobId: 'soft', comment: 'stop the wave' }));
    const canceled = await describeJob(before, 'soft');
    const running = canceled.details.numberOfInProgressThings;
    expect(running).toBeGreaterThan(3);

    const after = await restart(before, profiles, 20);
    expect((await describeJob(after, 'soft')).details.numberOfInProgressThings).toBe(running);
    await after.clock.advance(30 * minute);

    const job = await describeJob(after, 'soft');
    expect(job.status).toBe('CANCELED');
    expectConsistent(job.details, 20);
    expect(job.details).toMatchObject({
      numberOfTimedOutThings: 3,
      numberOfSucceededThings: running - 3,
      numberOfCanceledThings: 20 - running,
    });
    for (const e of await executionsOf(after, 'soft', 20)) {
      if (e.status === 'TIMED_OUT') expect(e.lastUpdatedAt, e.thingName).toBe(e.startedAt! + 10 * minute);
      if (e.status === 'SUCCEEDED') expect(e.lastUpdatedAt, e.thingName).toBe(e.startedAt! + 5 * minute);
    }
    // The simulator notified nobody after the restart: the job had ended.
    expect(after.events.filter((e) => e.type === 'notified')).toEqual([]);
  });

  it('an aborted job: its IN_PROGRESS executions end after a restart, the job stays CANCELED by the abort', async () => {
    // All start at 1 s; dev-0000..dev-0004 fail after 10 s, the others take 5 minutes: the abort comes at 11 s.
    const profiles = fixedProfile({ startSeconds: 1, runSeconds: 5 * 60 }, [
      {
        match: { thingNameRegex: '^dev-000[0-4]$' },
        outcomes: { fail: 1 },
        runLatency: { medianSeconds: 10 },
      },
    ]);
    const before = await endpoint(profiles, 20);
    await createJob(before, 'aborted', {
      abortConfig: abortOnFailed(4, 50),
    });
    await before.clock.advance(30 * second);
    const aborted = await describeJob(before, 'aborted');
    expect(aborted.status).toBe('CANCELED');
    expect(aborted.details).toMatchObject({ numberOfFailedThings: 5, numberOfInProgressThings: 15 });

    const after = await restartThenRun(before, profiles, 20, 10 * minute);

    const job = await describeJob(after, 'aborted');
    expect(job).toMatchObject({ status: 'CANCELED', reasonCode: aborted.reasonCode });
    expectConsistent(job.details, 20);
    expect(job.details.numberOfSucceededThings).toBe(aborted.details.numberOfInProgressThings);
  });

  it.each([
    ['', false],
    [' (a snapshot without the runs: retries read from the attempt number)', true],
  ])(
    'a running job: a device mid-update finishes it, its timeout counts from its start, its retries are not granted again%s',
    async (_, withoutRuns) => {
      // dev-0000 fails every attempt after 2 minutes; dev-0001 hangs; the others take 5 minutes.
      const profiles = fixedProfile({ startSeconds: 1, runSeconds: 5 * 60 }, [
        { match: { thingName: 'dev-0000' }, outcomes: { fail: 1 }, runLatency: { medianSeconds: 120 } },
        { match: { thingName: 'dev-0001' }, outcomes: { hang: 1 } },
      ]);
      const before = await endpoint(profiles, 6);
      await createJob(before, 'running', {
        timeoutConfig: { inProgressTimeoutInMinutes: 10 },
        jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
      });
      await before.clock.advance(3 * minute);
      const kept = await executionsOf(before, 'running', 6);
      // The first attempt of dev-0000 failed and its one retry runs.
      expect(kept[0]).toMatchObject({ status: 'IN_PROGRESS', executionNumber: 2 });
      expect(kept.every((e) => e.status === 'IN_PROGRESS')).toBe(true);

      const after = await restart(before, profiles, 6, withoutRuns);
      await after.clock.advance(30 * minute);

      const job = await describeJob(after, 'running');
      expect(job.status).toBe('COMPLETED');
      expectConsistent(job.details, 6);
      const ended = await executionsOf(after, 'running', 6);
      expect(ended[0]).toMatchObject({ status: 'FAILED', executionNumber: 2 });
      expect(ended[1]).toMatchObject({
        status: 'TIMED_OUT',
        executionNumber: 1,
        lastUpdatedAt: kept[1]!.startedAt! + 10 * minute,
      });
      for (const [i, e] of ended.entries()) {
        if (i < 2) continue;
        expect(e).toMatchObject({ status: 'SUCCEEDED', startedAt: kept[i]!.startedAt });
        expect(e.lastUpdatedAt).toBe(kept[i]!.startedAt! + 5 * minute);
      }
    },
  );

  it('a running job: the abort rule counts the attempts completed before the restart', async () => {
    // dev-0000..dev-0002 fail after 1 minute, dev-0003 succeeds after 1 minute, dev-0004 fails after 10 minutes.
    const profiles = fixedProfile({ startSeconds: 1, runSeconds: 60 }, [
      { match: { thingNameRegex: '^dev-000[0-2]$' }, outcomes: { fail: 1 } },
      { match: { thingName: 'dev-0004' }, outcomes: { fail: 1 }, runLatency: { medianSeconds: 600 } },
      { match: { thingNameRegex: '^dev-00(0[5-9]|1.)$' }, runLatency: { medianSeconds: 3600 } },
    ]);
    const before = await endpoint(profiles, 12);
    await createJob(before, 'abortable', {
      abortConfig: abortOnFailed(5, 60),
    });
    await before.clock.advance(5 * minute);
    // 3 of 4 completed attempts failed: 75 %, but fewer than 5 completed.
    await expectEnded(before, 'abortable', { failed: 3, succeeded: 1 });

    const after = await restartThenRun(before, profiles, 12, 10 * minute);

    // dev-0004 fails: 4 of 5, the rule is met and the job is aborted, as it would have been without the restart.
    const job = await describeJob(after, 'abortable');
    expect(job.status).toBe('CANCELED');
    expect(job.details.numberOfFailedThings).toBe(4);
  });

  it('a running job: an attempt retried before the restart still counts for the abort rule', async () => {
    // dev-0000 fails every attempt after 1 minute (one retry), dev-0001 succeeds after 1 minute,
    // dev-0002 fails after 10 minutes, the others take an hour.
    const profiles = fixedProfile({ startSeconds: 1, runSeconds: 3600 }, [
      { match: { thingName: 'dev-0000' }, outcomes: { fail: 1 }, runLatency: { medianSeconds: 60 } },
      { match: { thingName: 'dev-0001' }, runLatency: { medianSeconds: 60 } },
      { match: { thingName: 'dev-0002' }, outcomes: { fail: 1 }, runLatency: { medianSeconds: 600 } },
    ]);
    const before = await endpoint(profiles, 8);
    await createJob(before, 'retried', {
      jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
      abortConfig: abortOnFailed(4, 60),
    });
    await before.clock.advance(3 * minute);
    // Three attempts completed (two of dev-0000, failed; one of dev-0001), the executions show two.
    expect(before.fleet.simulator.jobStats('retried')?.completed).toMatchObject({ FAILED: 2, SUCCEEDED: 1 });
    await expectEnded(before, 'retried', { failed: 1, succeeded: 1 });

    const after = await restartThenRun(before, profiles, 8, 9 * minute);

    // dev-0002's failure is the fourth attempt completed, the third failed: 75 %, the job is aborted at once.
    const job = await describeJob(after, 'retried');
    expect(job.status).toBe('CANCELED');
    expect(await describeExecution(after, 'retried', 'dev-0002')).toMatchObject({
      status: 'FAILED',
      executionNumber: 1,
    });
  });

  it('a running CONTINUOUS job reaches a thing that joins its group after the restart', async () => {
    const profiles = fixedProfile({ startSeconds: 1, runSeconds: 60 });
    const before = await endpoint(profiles, 3);
    await createJob(before, 'continuous', { targetSelection: 'CONTINUOUS' });
    await before.clock.advance(5 * minute);

    const after = await restart(before, profiles, 3);
    const registry = after.emulator.registry.things;
    registry.createThing({ thingName: 'late-0001' });
    registry.addThingToThingGroup('late-0001', 'line');
    await after.clock.advance(5 * minute);

    expect(await describeExecution(after, 'continuous', 'late-0001')).toMatchObject({ status: 'SUCCEEDED' });
    const job = await describeJob(after, 'continuous');
    expect(job.status).toBe('IN_PROGRESS');
    expect(job.details).toMatchObject({ numberOfSucceededThings: 4, numberOfInProgressThings: 0 });
  });
});

describe('a scheduled job restored from a snapshot keeps to its schedule', () => {
  const hour = 60 * minute;
  /** 02:00–03:00 UTC every day. */
  const nightly = { startTime: 'cron(0 2 * * ? *)', durationInMinutes: 60 };
  const profiles = fixedProfile({ startSeconds: 1, runSeconds: 10 });

  it('restarted before its start and again inside a window: SCHEDULED until 02:00, then notified only inside windows', async () => {
    let ep = await endpoint(profiles, 200);
    await createJob(ep, 'nightly', {
      jobExecutionsRolloutConfig: { maximumPerMinute: 2 },
      schedulingConfig: { startTime: '2026-01-01T01:00', maintenanceWindows: [nightly] },
    });
    await ep.clock.advance(30 * minute);
    ep = await restart(ep, profiles, 200);
    expect((await describeJob(ep, 'nightly')).status).toBe('SCHEDULED');
    await ep.clock.advance(2 * hour);
    expect((await describeJob(ep, 'nightly')).status).toBe('IN_PROGRESS');
    ep = await restart(ep, profiles, 200);
    await ep.clock.advance(3 * 24 * hour);
    const notified = ep.events.filter((e) => e.type === 'notified').map((e) => e.at);
    // 60 were notified before the restart, at 02:00–02:30.
    expect(notified).toHaveLength(140);
    for (const at of notified) expect(new Date(at).getUTCHours()).toBe(2);
    const { status, details } = await describeJob(ep, 'nightly');
    expect(status).toBe('COMPLETED');
    expect(details.numberOfSucceededThings).toBe(200);
  });

  it('a rollout its end time stopped stays stopped after a restart: only devices notified but not started hear of it again, and the job completes', async () => {
    // Devices start 15 minutes after their notification: those notified from 00:16 on are still QUEUED at the restart.
    const slowStart = fixedProfile({ startSeconds: 900, runSeconds: 60 });
    let ep = await endpoint(slowStart, 100);
    await createJob(ep, 'stopped', {
      jobExecutionsRolloutConfig: { maximumPerMinute: 2 },
      schedulingConfig: { endTime: '2026-01-01T00:30', endBehavior: 'STOP_ROLLOUT' },
    });
    await ep.clock.advance(31 * minute);
    const before = await describeJob(ep, 'stopped');
    const queued = before.details.numberOfQueuedThings!;
    expect(queued).toBeGreaterThan(20);
    expect(before.details.numberOfCanceledThings).toBeGreaterThan(30);
    ep = await restart(ep, slowStart, 100);
    await ep.clock.advance(30 * minute);
    // Their plans went with the old process: they are told again, and nobody else is (had the restart
    // lost that the rollout stopped, the canceled ones would stay canceled but the count would differ).
    const notified = ep.events.filter((e) => e.type === 'notified');
    expect(notified).toHaveLength(queued);
    expect(notified.every((e) => e.at === notified[0]!.at)).toBe(true);
    const { status, details } = await describeJob(ep, 'stopped');
    expect(status).toBe('COMPLETED');
    expect(details.numberOfQueuedThings).toBe(0);
    expect(details.numberOfCanceledThings).toBe(before.details.numberOfCanceledThings);
    expect(details.numberOfSucceededThings).toBe(100 - details.numberOfCanceledThings!);
  });
});
