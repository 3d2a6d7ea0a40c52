/**
 * A release under way whose execution is gone (the local stack restarted:
 * its Step Functions executions live in memory) is resumed by a new
 * execution with the same input. A wave that was BAKING bakes for what is
 * left of its bake and is checked, without its job being run again; a
 * release WAITING_APPROVAL waits at its gate again, and an approval through
 * the new gate takes it on.
 */
import { StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { fixedProfile } from '../../support/fleet.js';
import { historyOf } from '../../support/stepfunctions.js';
import {
  approve,
  jobIds,
  releaseHistory,
  runUntilClosed,
  runUntilRead,
  runUntilReleaseStatus,
  startRelease,
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

  /** Stops the release's execution, as a restart loses it, and starts a new one with the same input. */
  async function restart({ stack, clients }: WorkflowStack, releaseId: string, executionArn: string) {
    await clients.sfn.send(new StopExecutionCommand({ executionArn, cause: 'the stack stopped' }));
    const out = await clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stack.stateMachineArn,
        name: `${releaseId}-resumed`,
        input: JSON.stringify({ releaseId }),
      }),
    );
    if (!out.executionArn) throw new Error('StartExecution answered without an execution ARN');
    return out.executionArn;
  }

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

  /** The states the execution entered, in order. */
  async function statesEntered({ clients }: WorkflowStack, executionArn: string): Promise<string[]> {
    return (await historyOf(clients.sfn, executionArn)).flatMap((e) =>
      e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : [],
    );
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

    const resumedArn = await restart(ws, releaseId, executionArn);
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
    const entered = await statesEntered(ws, resumedArn);
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

    const resumedArn = await restart(ws, releaseId, executionArn);
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
});
