/**
 * A release under way whose execution is gone (the local stack restarted:
 * its Step Functions executions live in memory) is resumed by a new
 * execution with the same input. A wave that was BAKING bakes for what is
 * left of its bake and is checked, without its job being run again; a
 * release WAITING_APPROVAL waits at its gate again, and an approval through
 * the new gate takes it on.
 */
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { SfnReleaseExecutions } from '../../../lib/adapters/release-executions.js';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { answerApproval } from '../../../lib/releases/answer-approval.js';
import { fixedProfile } from '../../support/fleet.js';
import {
  approve,
  jobIds,
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

describe('release workflow: resuming a release whose execution is gone', () => {
  const env = useWorkflowStack({
    fleet: { size: 10, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 2, runSeconds: 30 }),
  });

  const ownJobs = async ({ clients }: WorkflowStack, releaseId: string) =>
    (await jobIds(clients)).filter((id) => id.startsWith(`${releaseId}-`));

  /** Starts a release of two waves of two things each; `first` shapes wave 1. */
  function startTwoWaves({ stack, clients }: WorkflowStack, releaseId: string, first: object) {
    const things = stack.seededFleet?.sampleThingNames ?? [];
    return startRelease(stack, clients, {
      releaseId,
      jobTemplateId: 'fw-2-0',
      waves: [
        { targets: { things: things.slice(0, 2) }, ...first },
        { targets: { things: things.slice(2, 4) } },
      ],
    });
  }

  it('bakes a BAKING wave for the rest of its bake, from when baking began, then checks it and goes on', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const releaseId = 'resume-bake';
    const { executionArn } = await startTwoWaves(ws, releaseId, { bakeTimeMinutes: 30 });
    const baking = await runUntilRead(
      stack,
      () => clients.repository.getWave(releaseId, 1),
      (wave) => wave.status === 'BAKING',
      'wave 1 to bake',
    );
    const bakeStart = Date.parse(baking.statusChangedAt ?? '');
    stack.clock.advance(10 * MINUTE);

    const resumedArn = await restartExecution(ws, releaseId, executionArn);
    const done = await runUntilClosed(stack, clients, resumedArn);
    expect(done.status).toBe('SUCCEEDED');

    expect(await ownJobs(ws, releaseId)).toEqual([waveJobId(releaseId, 1), waveJobId(releaseId, 2)]);
    const history = await releaseHistory(clients, releaseId);
    expect(statusTrail(history).filter((s) => s.startsWith('W1:'))).toEqual([
      'W1:IN_PROGRESS',
      'W1:BAKING',
      'W1:SUCCEEDED',
    ]);
    const baked = history.find(
      (e) => e.type === 'WAVE_STATUS_CHANGED' && e.waveNumber === 1 && e.to === 'SUCCEEDED',
    );
    // The bake ends 30 minutes after it began, not 30 minutes after the restart.
    expect(Date.parse(baked?.at ?? '') - bakeStart).toBe(30 * MINUTE);
    const entered = await statesEntered(clients, resumedArn);
    expect(entered.slice(0, 4)).toEqual(['StartRelease', 'AfterStartRelease', 'BakeWave', 'CheckBake']);
    expect(entered.filter((s) => s === 'PrepareWave')).toHaveLength(1);
  });

  it('waits again at the approval gate of a release WAITING_APPROVAL, and an approval takes it on', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const releaseId = 'resume-gate';
    const { executionArn } = await startTwoWaves(ws, releaseId, { requireApproval: true });
    const gated = await runUntilReleaseStatus(stack, clients, releaseId, 'WAITING_APPROVAL');
    const staleSince = gated.waves[0]?.waitingSince;
    stack.clock.advance(60 * MINUTE);

    const resumedArn = await restartExecution(ws, releaseId, executionArn);
    const regated = await runUntilRead(
      stack,
      () => clients.repository.getRelease(releaseId),
      ({ waves }) => waves[0]?.waitingFor === 'APPROVAL' && waves[0].waitingSince !== staleSince,
      'the new gate to keep its token',
    );
    expect(regated.release).toMatchObject({ status: 'WAITING_APPROVAL', currentWave: 1 });
    expect(regated.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'PENDING']);
    expect(await ownJobs(ws, releaseId)).toEqual([waveJobId(releaseId, 1)]);

    await approve(clients, releaseId, 1);
    const done = await runUntilClosed(stack, clients, resumedArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(await ownJobs(ws, releaseId)).toEqual([waveJobId(releaseId, 1), waveJobId(releaseId, 2)]);
    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(release.status).toBe('SUCCEEDED');
    expect(waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  /** The API's answer to the gate, with the release's running execution being `runningArn` (the resumed one). */
  function answer(ws: WorkflowStack, releaseId: string, runningArn: () => string | undefined) {
    const { stack, clients } = ws;
    const sfnExecutions = new SfnReleaseExecutions(clients.sfn, {
      stateMachineArn: stack.stateMachineArn,
      throttleRetryAfterSeconds: 1,
    });
    const executions = Object.assign(Object.create(sfnExecutions) as SfnReleaseExecutions, {
      isRunning: async () => {
        const arn = runningArn();
        if (!arn) return false;
        return (
          (await clients.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status === 'RUNNING'
        );
      },
    });
    const jobs = { cancel: async () => true };
    const groups = { delete: async () => {}, describe: async () => undefined };
    return answerApproval(
      { store: clients.repository, executions, jobs, groups },
      { releaseId, decision: 'approve', comment: 'looks good' },
      { now: () => stack.clock.now(), actor: 'alice' },
    );
  }

  const approvalsIn = (trail: string[]) =>
    trail.filter((step, i) => step === 'R:IN_PROGRESS' && trail[i - 1] === 'R:WAITING_APPROVAL');

  it('takes an approval sent after the restart, before the new gate opened: the release moves on once', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const releaseId = 'resume-gate-early';
    const { executionArn } = await startTwoWaves(ws, releaseId, { requireApproval: true });
    await runUntilReleaseStatus(stack, clients, releaseId, 'WAITING_APPROVAL');

    // The old execution is gone, its token still on the wave; the new one has not reached the gate.
    const resumedArn = await restartExecution(ws, releaseId, executionArn);
    const view = await answer(ws, releaseId, () => resumedArn);
    expect(view.release.status).toBe('IN_PROGRESS');

    const done = await runUntilClosed(stack, clients, resumedArn);
    expect(done.status).toBe('SUCCEEDED');
    const trail = statusTrail(await releaseHistory(clients, releaseId));
    expect(approvalsIn(trail)).toHaveLength(1);
    expect(trail.filter((step) => step === 'R:WAITING_APPROVAL')).toHaveLength(1);
    expect(await ownJobs(ws, releaseId)).toEqual([waveJobId(releaseId, 1), waveJobId(releaseId, 2)]);
  });

  it('a gate opened again finds the approval recorded before the stop and goes through with it', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const releaseId = 'resume-gate-recorded';
    const { executionArn } = await startTwoWaves(ws, releaseId, { requireApproval: true });
    await runUntilReleaseStatus(stack, clients, releaseId, 'WAITING_APPROVAL');
    // The API recorded the approval, and the stop came before it was sent or the release moved.
    await clients.repository.approveGate(releaseId, 1, {
      reason: 'Approved after wave 1 by alice: looks good',
      actor: 'alice',
      at: new Date(stack.clock.now()).toISOString(),
    });

    const resumedArn = await restartExecution(ws, releaseId, executionArn);
    const done = await runUntilClosed(stack, clients, resumedArn);
    expect(done.status).toBe('SUCCEEDED');
    const history = await releaseHistory(clients, releaseId);
    const moved = history.find((e) => e.from === 'WAITING_APPROVAL' && e.to === 'IN_PROGRESS');
    expect(moved).toMatchObject({ reason: 'Approved after wave 1 by alice: looks good', actor: 'alice' });
    expect(approvalsIn(statusTrail(history))).toHaveLength(1);
    expect(await statesEntered(clients, resumedArn)).toContain('AwaitApproval');
  });

  it('refuses with 409 and changes nothing when no execution runs the release to take the approval', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const releaseId = 'resume-gate-nobody';
    const { executionArn } = await startTwoWaves(ws, releaseId, { requireApproval: true });
    await runUntilReleaseStatus(stack, clients, releaseId, 'WAITING_APPROVAL');
    await clients.sfn.send(new StopExecutionCommand({ executionArn, cause: 'stopped by hand' }));
    const before = await releaseHistory(clients, releaseId);

    await expect(answer(ws, releaseId, () => undefined)).rejects.toThrow(/no workflow runs the release/);
    const after = await clients.repository.getRelease(releaseId);
    expect(after.release.status).toBe('WAITING_APPROVAL');
    expect(after.waves[0]?.waitingFor).toBe('APPROVAL');
    expect(await clients.repository.approvalOf(releaseId, 1)).toBeUndefined();
    expect(await releaseHistory(clients, releaseId)).toEqual(before);
  });
});
