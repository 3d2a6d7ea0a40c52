/**
 * A release with `schedulingConfig.startTime`: SCHEDULED from its first
 * step until its start, with no job and nothing running meanwhile (one
 * Wait state), then on as any release. A cancel while it waits ends it at
 * once; a pause asked for while it waits holds it at its start, before any
 * job.
 */
import { describe, expect, it } from 'vitest';
import { IotJobs } from '../../../lib/adapters/iot-jobs.js';
import { IotThingGroups } from '../../../lib/adapters/iot-thing-groups.js';
import { SfnReleaseExecutions } from '../../../lib/adapters/release-executions.js';
import { formatScheduleTime } from '../../../lib/domain/schedule-time.js';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { cancelRelease } from '../../../lib/releases/cancel-release.js';
import { pauseRelease, resumeRelease } from '../../../lib/releases/pause-release.js';
import { fixedProfile } from '../../support/fleet.js';
import {
  describeExecution,
  jobIds,
  notificationTrail,
  releaseHistory,
  runUntilClosed,
  runUntilReleaseStatus,
  startRelease,
  statesEntered,
  statusTrail,
  useWorkflowStack,
  WORKFLOW_T0,
  type WorkflowStack,
} from '../../support/workflow.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('release workflow: a scheduled start', () => {
  const env = useWorkflowStack({
    fleet: { size: 6, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 2, runSeconds: 20 }),
  });

  /** A release of two waves starting two hours (to the minute) after the clock's now. */
  async function startScheduled({ stack, clients }: WorkflowStack, releaseId: string) {
    const things = stack.seededFleet?.sampleThingNames ?? [];
    const startMs = Math.ceil((stack.clock.now() + 2 * HOUR) / MINUTE) * MINUTE;
    const startTime = formatScheduleTime(startMs);
    const started = await startRelease(stack, clients, {
      releaseId,
      jobTemplateId: 'fw-2-0',
      schedulingConfig: { startTime },
      waves: [{ targets: { things: things.slice(0, 2) } }, { targets: { things: things.slice(2, 4) } }],
    });
    return { ...started, startTime, startMs };
  }

  /** The API's cancel, pause and resume on this stack, `alice` asking. */
  function api({ stack, clients }: WorkflowStack) {
    const executions = new SfnReleaseExecutions(clients.sfn, {
      stateMachineArn: stack.stateMachineArn,
      throttleRetryAfterSeconds: 1,
    });
    const jobs = new IotJobs(clients.iot, { throttleRetryAfterSeconds: 1 });
    const groups = new IotThingGroups(clients.iot, { throttleRetryAfterSeconds: 1 });
    const deps = { store: clients.repository, executions, jobs, groups };
    const meta = { now: () => stack.clock.now(), actor: 'alice' };
    return {
      cancel: (releaseId: string) => cancelRelease(deps, { releaseId, force: false }, meta),
      pause: (releaseId: string) => pauseRelease(deps, { releaseId }, meta),
      resume: (releaseId: string) => resumeRelease(deps, { releaseId }, meta),
    };
  }

  const ownJobs = async ({ clients }: WorkflowStack, releaseId: string) =>
    (await jobIds(clients)).filter((id) => id.startsWith(`${releaseId}-`));

  it('is SCHEDULED with no job until its start time, then runs its waves', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn, startTime, startMs } = await startScheduled(ws, 'sched-1');
    expect(startMs).toBe(WORKFLOW_T0 + 2 * HOUR);

    const { release: scheduled } = await runUntilReleaseStatus(stack, clients, releaseId, 'SCHEDULED');
    expect(scheduled.statusReason).toBe(`Scheduled to start at ${startTime} UTC.`);
    expect(scheduled.executionArn).toBe(executionArn);
    expect(stack.clock.now()).toBeLessThan(startMs);
    expect(await ownJobs(ws, releaseId)).toEqual([]);
    expect(notificationTrail(stack, releaseId)).toEqual([]);

    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(release.status).toBe('SUCCEEDED');
    expect(Date.parse(waves[0]?.startedAt ?? '')).toBeGreaterThanOrEqual(startMs);
    expect(await ownJobs(ws, releaseId)).toEqual([waveJobId(releaseId, 1), waveJobId(releaseId, 2)]);
    expect(statusTrail(await releaseHistory(clients, releaseId)).slice(0, 4)).toEqual([
      'R:PENDING',
      'R:SCHEDULED',
      'R:IN_PROGRESS',
      'W1:IN_PROGRESS',
    ]);
    // The wait is one Wait state: StartRelease, its Choice, WaitForStart, then StartRelease again.
    const states = await statesEntered(clients, executionArn);
    expect(states.slice(0, 5)).toEqual([
      'StartRelease',
      'AfterStartRelease',
      'WaitForStart',
      'StartRelease',
      'AfterStartRelease',
    ]);
    expect(notificationTrail(stack, releaseId)[0]).toBe('Release Started');
  });

  it('ends at once when canceled while SCHEDULED: the execution stops, no job is ever created', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn, startMs } = await startScheduled(ws, 'sched-cancel');
    await runUntilReleaseStatus(stack, clients, releaseId, 'SCHEDULED');
    const canceledAt = stack.clock.now();

    const view = await api(ws).cancel(releaseId);
    expect(view.release.status).toBe('CANCELED');
    const done = await describeExecution(clients, executionArn);
    expect(done.status).toBe('ABORTED');
    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(release).toMatchObject({ status: 'CANCELED', statusReason: 'Canceled by alice' });
    expect(waves.map((w) => w.status)).toEqual(['CANCELED', 'CANCELED']);
    expect(Date.parse(release.updatedAt)).toBe(canceledAt);
    expect(canceledAt).toBeLessThan(startMs);
    expect(await ownJobs(ws, releaseId)).toEqual([]);
  });

  it('holds a release paused while SCHEDULED at its start, before any job, until resumed', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn, startMs } = await startScheduled(ws, 'sched-pause');
    await runUntilReleaseStatus(stack, clients, releaseId, 'SCHEDULED');

    const asked = await api(ws).pause(releaseId);
    expect(asked.release.status).toBe('SCHEDULED');
    const { release: held } = await runUntilReleaseStatus(stack, clients, releaseId, 'PAUSED');
    expect(Date.parse(held.updatedAt)).toBeGreaterThanOrEqual(startMs);
    expect(await ownJobs(ws, releaseId)).toEqual([]);

    await api(ws).resume(releaseId);
    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(await ownJobs(ws, releaseId)).toHaveLength(2);
  });
});
