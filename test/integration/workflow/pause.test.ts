/**
 * Pause and resume. A pause asked for while a wave runs lets the wave go on
 * to its verdict (its thresholds still apply), then holds the release
 * PAUSED at the wave boundary on a task token: no next job, nothing polls,
 * however long it is held. A resume sends the token and the release goes
 * on from where it stood. A pause in a bake holds the wave BAKING; a pause
 * at an approval gate lets the gate be answered and holds the release
 * before the next wave. A pause survives the loss of its execution (the
 * local stack restarting): the new execution holds the release again, and
 * a resume recorded meanwhile lets it go on at once.
 */
import { ListThingsCommand } from '@aws-sdk/client-iot';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { IotJobs } from '../../../lib/adapters/iot-jobs.js';
import { SfnReleaseExecutions } from '../../../lib/adapters/release-executions.js';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { pauseRelease, resumeRelease } from '../../../lib/releases/pause-release.js';
import { fixedProfile } from '../../support/fleet.js';
import { historyOf } from '../../support/stepfunctions.js';
import {
  approve,
  jobIds,
  notificationTrail,
  releaseHistory,
  restartExecution,
  runUntilClosed,
  runUntilRead,
  runUntilReleaseStatus,
  startRelease,
  statesEntered,
  statusTrail,
  useWorkflowStack,
  type WorkflowStack,
} from '../../support/workflow.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('release workflow: pause and resume', () => {
  const env = useWorkflowStack({
    fleet: { size: 12, canaryShare: 0 },
    // The fleet's last thing (index 11) always fails its job.
    profiles: fixedProfile({ startSeconds: 2, runSeconds: 30 }, [
      { name: 'broken', match: { thingNameRegex: '-0*11$' }, outcomes: { fail: 1 } },
    ]),
  });

  const ownJobs = async ({ clients }: WorkflowStack, releaseId: string) =>
    (await jobIds(clients)).filter((id) => id.startsWith(`${releaseId}-`));

  /** A release of three waves of two things each; `first` shapes wave 1. */
  function startThreeWaves({ stack, clients }: WorkflowStack, releaseId: string, first: object = {}) {
    const things = stack.seededFleet?.sampleThingNames ?? [];
    return startRelease(stack, clients, {
      releaseId,
      jobTemplateId: 'fw-2-0',
      waves: [
        { targets: { things: things.slice(0, 2) }, ...first },
        { targets: { things: things.slice(2, 4) } },
        { targets: { things: things.slice(4, 5) } },
      ],
    });
  }

  /**
   * The API's use cases on this stack, `alice` asking; the release's running
   * execution is `runningArn` when given (a resumed one has another name).
   */
  function api({ stack, clients }: WorkflowStack, runningArn?: string) {
    const sfnExecutions = new SfnReleaseExecutions(clients.sfn, {
      stateMachineArn: stack.stateMachineArn,
      throttleRetryAfterSeconds: 1,
    });
    const executions = runningArn
      ? Object.assign(Object.create(sfnExecutions) as SfnReleaseExecutions, {
          isRunning: async () =>
            (await clients.sfn.send(new DescribeExecutionCommand({ executionArn: runningArn }))).status ===
            'RUNNING',
        })
      : sfnExecutions;
    const jobs = new IotJobs(clients.iot, { throttleRetryAfterSeconds: 1 });
    const deps = { store: clients.repository, executions, jobs };
    const meta = { now: () => stack.clock.now(), actor: 'alice' };
    return {
      pause: (releaseId: string, comment?: string) => pauseRelease(deps, { releaseId, comment }, meta),
      resume: (releaseId: string, comment?: string) => resumeRelease(deps, { releaseId, comment }, meta),
    };
  }

  const waveRunning = (ws: WorkflowStack, releaseId: string, waveNumber: number) =>
    runUntilRead(
      ws.stack,
      () => ws.clients.repository.getWave(releaseId, waveNumber),
      (wave) => wave.status === 'IN_PROGRESS',
      `wave ${waveNumber} to run`,
    );

  /** A three-wave release paused while wave 1 runs, driven until it is held. */
  async function heldAfterWave1(ws: WorkflowStack, id: string) {
    const started = await startThreeWaves(ws, id);
    await waveRunning(ws, started.releaseId, 1);
    await api(ws).pause(started.releaseId);
    await runUntilReleaseStatus(ws.stack, ws.clients, started.releaseId, 'PAUSED');
    return started;
  }

  it('holds the release PAUSED after the running wave succeeds, with no next job however long, until resumed', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn } = await startThreeWaves(ws, 'pause-boundary');
    await waveRunning(ws, releaseId, 1);

    const asked = await api(ws).pause(releaseId, 'support calls');
    expect(asked.release).toMatchObject({
      status: 'IN_PROGRESS',
      pause: { requestedBy: 'alice', comment: 'support calls' },
    });
    expect(asked.links.resume).toBe(`/releases/${releaseId}/resume`);
    expect(asked.links.pause).toBeUndefined();

    const held = await runUntilReleaseStatus(stack, clients, releaseId, 'PAUSED');
    expect(held.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'PENDING', 'PENDING']);
    expect(held.release.pause?.heldAt).toBeDefined();
    // Pausing again changes nothing.
    const again = await api(ws).pause(releaseId);
    expect(again.release).toMatchObject({
      status: 'PAUSED',
      pause: held.release.pause,
      updatedAt: held.release.updatedAt,
    });

    // A week later nothing moved, no job was created, and the execution made no step.
    const stepsBefore = (await historyOf(clients.sfn, executionArn)).length;
    await stack.clock.advance(6 * DAY);
    await stack.workflow.driver.settle();
    expect((await clients.repository.getRelease(releaseId)).release.status).toBe('PAUSED');
    expect(await ownJobs(ws, releaseId)).toEqual([waveJobId(releaseId, 1)]);
    expect((await historyOf(clients.sfn, executionArn)).length).toBe(stepsBefore);

    const resumed = await api(ws).resume(releaseId, 'false alarm');
    expect(resumed.release.status).toBe('IN_PROGRESS');
    expect(resumed.release.pause).toBeUndefined();
    await expect(api(ws).resume(releaseId)).rejects.toMatchObject({ name: 'ConflictError' });

    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(await ownJobs(ws, releaseId)).toEqual([1, 2, 3].map((n) => waveJobId(releaseId, n)));
    // The pause cost one hold and one continue, nothing per day held.
    const entered = await statesEntered(clients, executionArn);
    expect(entered.filter((s) => s === 'HoldRelease')).toHaveLength(1);
    expect(entered.filter((s) => s === 'ContinueRelease')).toHaveLength(1);
    const history = await releaseHistory(clients, releaseId);
    expect(statusTrail(history)).toEqual([
      'R:PENDING',
      'R:IN_PROGRESS',
      'W1:IN_PROGRESS',
      'W1:SUCCEEDED',
      'R:PAUSED',
      'R:IN_PROGRESS',
      'W2:IN_PROGRESS',
      'W2:SUCCEEDED',
      'W3:IN_PROGRESS',
      'W3:SUCCEEDED',
      'R:SUCCEEDED',
    ]);
    expect(history.find((e) => e.to === 'PAUSED')).toMatchObject({ actor: 'alice' });
    expect(history.find((e) => e.to === 'PAUSED')?.reason).toMatch(
      /^Held before wave 2, as asked at .+ by alice: support calls$/,
    );
    expect(history.find((e) => e.from === 'PAUSED')).toMatchObject({
      reason: 'Resumed by alice: false alarm',
      actor: 'alice',
    });
    expect(notificationTrail(stack, releaseId)).toEqual([
      'Release Started',
      'Wave Started1',
      'Wave Succeeded1',
      'Release Paused',
      'Release Resumed',
      'Wave Started2',
      'Wave Succeeded2',
      'Wave Started3',
      'Wave Succeeded3',
      'Release Succeeded',
    ]);
    await expect(api(ws).pause(releaseId)).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('still fails a running wave that crosses its failure threshold: the release ends FAILED, not PAUSED', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const things = stack.seededFleet?.sampleThingNames ?? [];
    const listed = await clients.iot.send(new ListThingsCommand({ maxResults: 100 }));
    const broken = (listed.things ?? []).flatMap((t) =>
      /-0*11$/.test(t.thingName ?? '') ? [t.thingName ?? ''] : [],
    );
    expect(broken).toHaveLength(1);
    const { releaseId, executionArn } = await startRelease(stack, clients, {
      releaseId: 'pause-failing',
      jobTemplateId: 'fw-2-0',
      waves: [
        { targets: { things: [things[0] ?? '', ...broken] } },
        { targets: { things: things.slice(2, 4) } },
      ],
    });
    await waveRunning(ws, releaseId, 1);
    await api(ws).pause(releaseId);
    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done.status).toBe('FAILED');
    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(release.status).toBe('FAILED');
    expect(release.pause).toBeUndefined();
    expect(waves.map((w) => w.status)).toEqual(['FAILED', 'CANCELED']);
    expect(statusTrail(await releaseHistory(clients, releaseId))).not.toContain('R:PAUSED');
  });

  it('holds a baking wave in its bake; the bake clock runs on, and a resume finishes what is left of it', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn } = await startThreeWaves(ws, 'pause-bake', { bakeTimeMinutes: 180 });
    const baking = await runUntilRead(
      stack,
      () => clients.repository.getWave(releaseId, 1),
      (wave) => wave.status === 'BAKING',
      'wave 1 to bake',
    );
    const bakeStart = Date.parse(baking.statusChangedAt ?? '');
    await api(ws).pause(releaseId);
    const held = await runUntilReleaseStatus(stack, clients, releaseId, 'PAUSED');
    expect(held.waves.map((w) => w.status)).toEqual(['BAKING', 'PENDING', 'PENDING']);
    // Held at the bake's next look, within the hour.
    expect(Date.parse(held.release.pause?.heldAt ?? '') - bakeStart).toBeLessThanOrEqual(60 * MINUTE);

    stack.clock.advance(DAY);
    await api(ws).resume(releaseId);
    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const history = await releaseHistory(clients, releaseId);
    expect(history.find((e) => e.to === 'PAUSED')?.reason).toMatch(/^Held in the bake of wave 1/);
    const baked = history.find(
      (e) => e.type === 'WAVE_STATUS_CHANGED' && e.waveNumber === 1 && e.to === 'SUCCEEDED',
    );
    const resumedAt = Date.parse(history.find((e) => e.from === 'PAUSED')?.at ?? '');
    // The bake was over while held: the wave succeeds at the resume's first look, not 3 hours later.
    expect(Date.parse(baked?.at ?? '')).toBeLessThan(resumedAt + MINUTE);
    expect(statusTrail(history).filter((s) => s.startsWith('W1:'))).toEqual([
      'W1:IN_PROGRESS',
      'W1:BAKING',
      'W1:SUCCEEDED',
    ]);
  });

  it('at an approval gate: the gate may still be answered, and the release is held before the next wave', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn } = await startThreeWaves(ws, 'pause-gate', { requireApproval: true });
    await runUntilReleaseStatus(stack, clients, releaseId, 'WAITING_APPROVAL');
    const asked = await api(ws).pause(releaseId);
    expect(asked.release.status).toBe('WAITING_APPROVAL');

    await approve(clients, releaseId, 1);
    const held = await runUntilReleaseStatus(stack, clients, releaseId, 'PAUSED');
    expect(held.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'PENDING', 'PENDING']);
    expect(await ownJobs(ws, releaseId)).toEqual([waveJobId(releaseId, 1)]);

    await api(ws).resume(releaseId);
    expect((await runUntilClosed(stack, clients, executionArn)).status).toBe('SUCCEEDED');
    expect(statusTrail(await releaseHistory(clients, releaseId)).filter((s) => s.startsWith('R:'))).toEqual([
      'R:PENDING',
      'R:IN_PROGRESS',
      'R:WAITING_APPROVAL',
      'R:IN_PROGRESS',
      'R:PAUSED',
      'R:IN_PROGRESS',
      'R:SUCCEEDED',
    ]);
  });

  it('a resume before the boundary withdraws the pause: the release is never held', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn } = await startThreeWaves(ws, 'pause-withdrawn');
    await waveRunning(ws, releaseId, 1);
    await api(ws).pause(releaseId);
    const view = await api(ws).resume(releaseId);
    expect(view.release).toMatchObject({ status: 'IN_PROGRESS' });
    expect(view.release.pause).toBeUndefined();
    expect((await runUntilClosed(stack, clients, executionArn)).status).toBe('SUCCEEDED');
    expect(statusTrail(await releaseHistory(clients, releaseId))).not.toContain('R:PAUSED');
    expect(notificationTrail(stack, releaseId)).not.toContain('Release Paused');
  });

  it('a paused release whose execution is gone is held again by the new one, and a resume takes it on', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn } = await heldAfterWave1(ws, 'pause-restart');

    const resumedArn = await restartExecution(ws, releaseId, executionArn);
    await stack.workflow.driver.settle();
    expect(await statesEntered(clients, resumedArn)).toEqual([
      'StartRelease',
      'AfterStartRelease',
      'HoldRelease',
    ]);
    expect((await clients.repository.getRelease(releaseId)).release.status).toBe('PAUSED');

    await api(ws, resumedArn).resume(releaseId);
    expect((await runUntilClosed(stack, clients, resumedArn)).status).toBe('SUCCEEDED');
    expect(await ownJobs(ws, releaseId)).toEqual([1, 2, 3].map((n) => waveJobId(releaseId, n)));
    const trail = statusTrail(await releaseHistory(clients, releaseId));
    expect(trail.filter((s) => s === 'R:PAUSED')).toHaveLength(1);
  });

  it('a resume recorded after the restart, before the new execution reached the hold, lets it go on at once', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn } = await heldAfterWave1(ws, 'pause-restart-early');

    // The old execution is gone, its token still on the release; the new one has not reached the hold.
    const resumedArn = await restartExecution(ws, releaseId, executionArn);
    const view = await api(ws, resumedArn).resume(releaseId);
    expect(view.release.status).toBe('IN_PROGRESS');
    expect((await runUntilClosed(stack, clients, resumedArn)).status).toBe('SUCCEEDED');
    const trail = statusTrail(await releaseHistory(clients, releaseId));
    expect(trail.filter((s) => s === 'R:PAUSED')).toHaveLength(1);
    expect(await ownJobs(ws, releaseId)).toEqual([1, 2, 3].map((n) => waveJobId(releaseId, n)));
  });

  it('refuses a resume with 409 and changes nothing when no execution runs the release to take it', async () => {
    const ws = env();
    const { clients } = ws;
    const { releaseId, executionArn } = await heldAfterWave1(ws, 'pause-nobody');
    await clients.sfn.send(new StopExecutionCommand({ executionArn, cause: 'stopped by hand' }));
    const before = await clients.repository.getRelease(releaseId);

    await expect(api(ws).resume(releaseId)).rejects.toThrow(/no workflow runs it/);
    const after = await clients.repository.getRelease(releaseId);
    expect(after.release.status).toBe('PAUSED');
    expect(after.release.pause).toEqual(before.release.pause);
  });
});
