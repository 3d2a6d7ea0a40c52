/**
 * Pause with `haltRollout`: the running wave stops now. Its job is canceled
 * without force, so devices already running finish (and count for the
 * wave) while queued ones are never notified; the release is held PAUSED
 * with the wave still IN_PROGRESS once those devices have ended. On resume
 * the wave goes on with a follow-up job `<releaseId>-w01-r1` over exactly
 * the wave's things that never started, and its verdict counts both jobs.
 * Once the release has SUCCEEDED, the follow-up job's group is gone.
 */
import { DescribeJobCommand, ListThingGroupsCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { IotJobs } from '../../../lib/adapters/iot-jobs.js';
import { SfnReleaseExecutions } from '../../../lib/adapters/release-executions.js';
import { followUpJobId } from '../../../lib/domain/wave-halt.js';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { pauseRelease, resumeRelease } from '../../../lib/releases/pause-release.js';
import { fixedProfile } from '../../support/fleet.js';
import { fleetThings, stepUntilMidWave } from '../../support/halt.js';
import {
  jobCounts,
  jobIds,
  runUntilClosed,
  runUntilRead,
  runUntilReleaseStatus,
  startRelease,
  useWorkflowStack,
  type WorkflowStack,
} from '../../support/workflow.js';

describe('release workflow: pause with haltRollout', () => {
  const env = useWorkflowStack({
    fleet: { size: 12, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 2, runSeconds: 30 }),
  });

  function api({ stack, clients }: WorkflowStack) {
    const executions = new SfnReleaseExecutions(clients.sfn, {
      stateMachineArn: stack.stateMachineArn,
      throttleRetryAfterSeconds: 1,
    });
    const jobs = new IotJobs(clients.iot, { throttleRetryAfterSeconds: 1 });
    const deps = { store: clients.repository, executions, jobs };
    const meta = { now: () => stack.clock.now(), actor: 'alice' };
    return {
      jobs,
      halt: (releaseId: string) => pauseRelease(deps, { releaseId, haltRollout: true }, meta),
      resume: (releaseId: string) => resumeRelease(deps, { releaseId }, meta),
    };
  }

  it('cancels the running job without force, holds the wave IN_PROGRESS, then runs exactly the things that never started in -w01-r1', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const things = await fleetThings(clients.iot, 10);
    expect(things).toHaveLength(10);
    // Two notifications a minute: when the halt comes some devices run and the rest are queued.
    const { releaseId, executionArn } = await startRelease(stack, clients, {
      releaseId: 'halt-mid-wave',
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things }, jobExecutionsRolloutConfig: { maximumPerMinute: 2 } }],
    });
    const first = waveJobId(releaseId, 1);
    await runUntilRead(
      stack,
      () => clients.repository.getWave(releaseId, 1),
      (wave) => wave.status === 'IN_PROGRESS',
      'wave 1 to run',
    );
    const atHalt = await stepUntilMidWave(stack, clients.iot, first);
    expect(atHalt.queued).toBeGreaterThanOrEqual(1);
    const runningAtHalt = atHalt.running;
    expect(runningAtHalt).toBeGreaterThanOrEqual(1);

    const { halt, resume, jobs } = api(ws);
    const asked = await halt(releaseId);
    expect(asked.release.pause).toMatchObject({
      haltRollout: true,
      haltedJobId: first,
      requestedBy: 'alice',
    });
    // CancelJob without force: the job is CANCELED, its running devices still run.
    const canceled = await clients.iot.send(new DescribeJobCommand({ jobId: first }));
    expect(canceled.job?.status).toBe('CANCELED');
    expect(canceled.job?.forceCanceled ?? false).toBe(false);
    expect(canceled.job?.jobProcessDetails?.numberOfInProgressThings).toBe(runningAtHalt);
    // A repeat changes nothing.
    const again = await halt(releaseId);
    expect(again.release).toEqual(asked.release);

    const held = await runUntilReleaseStatus(stack, clients, releaseId, 'PAUSED');
    const [wave] = held.waves;
    expect(wave).toMatchObject({ status: 'IN_PROGRESS', halt: { jobId: first } });
    const firstRun = await jobs.listExecutions(first);
    // The devices that were running finished; no execution of the halted job is left running.
    expect(firstRun.filter((e) => e.status === 'IN_PROGRESS' || e.status === 'QUEUED')).toEqual([]);
    const started = firstRun.filter((e) => e.status !== 'CANCELED').map((e) => e.thingName);
    expect(started.length).toBeGreaterThanOrEqual(runningAtHalt);
    expect(started.length).toBeLessThan(things.length);
    expect((await jobIds(clients)).filter((id) => id.startsWith(`${releaseId}-`))).toEqual([first]);

    await resume(releaseId);
    const closed = await runUntilClosed(stack, clients, executionArn);
    expect(closed.status).toBe('SUCCEEDED');

    const followUp = followUpJobId(releaseId, 1, 1);
    expect(followUp).toBe('halt-mid-wave-w01-r1');
    expect((await jobIds(clients)).filter((id) => id.startsWith(`${releaseId}-`))).toEqual([first, followUp]);
    const rest = (await jobs.listExecutions(followUp)).map((e) => e.thingName).sort();
    const neverStarted = things.filter((t) => !started.includes(t)).sort();
    expect(rest).toEqual(neverStarted);
    // No device has the wave twice: the two jobs' things are disjoint and cover the wave.
    expect(rest.filter((t) => started.includes(t))).toEqual([]);
    expect([...started, ...rest].sort()).toEqual([...things].sort());

    const done = await clients.repository.getRelease(releaseId);
    expect(done.release.status).toBe('SUCCEEDED');
    const waveDone = done.waves[0];
    expect(waveDone).toMatchObject({ status: 'SUCCEEDED', jobId: first, followUpJobIds: [followUp] });
    // The verdict counts both jobs: every thing succeeded once, none is left canceled.
    const [a, b] = [await jobCounts(clients, first), await jobCounts(clients, followUp)];
    expect(waveDone?.counts?.numberOfSucceededThings).toBe(
      a.numberOfSucceededThings + b.numberOfSucceededThings,
    );
    expect(waveDone?.counts?.numberOfSucceededThings).toBe(things.length);
    expect(waveDone?.counts?.numberOfCanceledThings).toBe(0);
    // The follow-up job's group (and any cohort group) went with the release's end.
    const left = await clients.iot.send(
      new ListThingGroupsCommand({ namePrefixFilter: `fleetwave-${releaseId}` }),
    );
    expect(left.thingGroups).toEqual([]);
  });
});
