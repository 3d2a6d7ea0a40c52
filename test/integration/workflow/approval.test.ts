/**
 * Scenario 3: the approval gate. A wave that requires approval leaves the
 * release WAITING_APPROVAL, with no next job, until the API answers the
 * task token: SendTaskSuccess lets the release go on; SendTaskFailure, or
 * no answer within the gate's 7 days, ends it FAILED.
 */
import { describe, expect, it } from 'vitest';
import { waveJobId } from '../../../lib/domain/wave-job.js';
import { fixedProfile } from '../../support/fleet.js';
import {
  approve,
  jobIds,
  notificationTrail,
  refuse,
  releaseHistory,
  runUntilClosed,
  runUntilReleaseStatus,
  startRelease,
  statusTrail,
  useWorkflowStack,
  type WorkflowStack,
} from '../../support/workflow.js';

const DAY = 86_400_000;

describe('release workflow: approval gate', () => {
  const env = useWorkflowStack({
    fleet: { size: 10, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 2, runSeconds: 30 }),
  });

  /** Starts a two-wave release whose first wave needs approval and drives it to the gate. */
  async function atTheGate({ stack, clients }: WorkflowStack, releaseId: string) {
    const things = stack.seededFleet?.sampleThingNames ?? [];
    const started = await startRelease(stack, clients, {
      releaseId,
      jobTemplateId: 'fw-2-0',
      waves: [
        { targets: { things: things.slice(0, 2) }, requireApproval: true },
        { targets: { things: things.slice(2, 5) } },
      ],
    });
    const gated = await runUntilReleaseStatus(stack, clients, releaseId, 'WAITING_APPROVAL');
    return { ...started, gated };
  }

  const ownJobs = async ({ clients }: WorkflowStack, releaseId: string) =>
    (await jobIds(clients)).filter((id) => id.startsWith(`${releaseId}-`));

  it('waits in WAITING_APPROVAL, with no next job, until SendTaskSuccess; then goes on to SUCCEEDED', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn, gated } = await atTheGate(ws, 'gate-ok');
    expect(gated.waves.map((w) => [w.status, w.waitingFor])).toEqual([
      ['SUCCEEDED', 'APPROVAL'],
      ['PENDING', undefined],
    ]);
    expect(gated.release.currentWave).toBe(1);

    // A day later nothing has moved: the gate waits for a person, not for time.
    await stack.clock.advance(DAY);
    await stack.workflow.driver.settle();
    expect((await clients.repository.getRelease(releaseId)).release.status).toBe('WAITING_APPROVAL');
    expect(await ownJobs(ws, releaseId)).toEqual([waveJobId(releaseId, 1)]);

    await approve(clients, releaseId, 1, { approvedBy: 'alice', comment: 'canary looks good' });
    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(release.status).toBe('SUCCEEDED');
    expect(waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(await ownJobs(ws, releaseId)).toEqual([waveJobId(releaseId, 1), waveJobId(releaseId, 2)]);
    const history = await releaseHistory(clients, releaseId);
    expect(statusTrail(history)).toEqual([
      'R:PENDING',
      'R:IN_PROGRESS',
      'W1:IN_PROGRESS',
      'W1:SUCCEEDED',
      'R:WAITING_APPROVAL',
      'R:IN_PROGRESS',
      'W2:IN_PROGRESS',
      'W2:SUCCEEDED',
      'R:SUCCEEDED',
    ]);
    const resumed = history.filter(
      (e) => e.type === 'RELEASE_STATUS_CHANGED' && e.from === 'WAITING_APPROVAL',
    );
    expect(resumed[0]?.reason).toBe('Wave 1 approved by alice: canary looks good');
    expect(notificationTrail(stack, releaseId)).toEqual([
      'Release Started',
      'Wave Started1',
      'Wave Succeeded1',
      'Release Awaiting Approval1',
      'Wave Started2',
      'Wave Succeeded2',
      'Release Succeeded',
    ]);
  });

  it('ends the release FAILED, the next wave CANCELED and never started, on SendTaskFailure', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn } = await atTheGate(ws, 'gate-no');
    await refuse(clients, releaseId, 1, { error: 'ApprovalRejected', cause: 'bob: battery drain on rev-b' });
    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ReleaseFailed' });
    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(release.status).toBe('FAILED');
    expect(release.statusReason).toBe(
      'The approval after wave 1 was refused (ApprovalRejected): bob: battery drain on rev-b',
    );
    expect(waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'CANCELED']);
    expect(await ownJobs(ws, releaseId)).toEqual([waveJobId(releaseId, 1)]);
    expect(notificationTrail(stack, releaseId).slice(-2)).toEqual([
      'Release Awaiting Approval1',
      'Release Failed',
    ]);
  });

  it('ends the release FAILED when nobody answers within the 7-day gate timeout', async () => {
    const ws = env();
    const { stack, clients } = ws;
    const { releaseId, executionArn, gated } = await atTheGate(ws, 'gate-lost');
    const waitingSince = Date.parse(gated.waves[0]?.waitingSince ?? '');
    const done = await runUntilClosed(stack, clients, executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ReleaseFailed' });
    expect(done.stopDate?.getTime()).toBe(waitingSince + 7 * DAY);
    const { release, waves } = await clients.repository.getRelease(releaseId);
    expect(release.statusReason).toBe('The approval after wave 1 was not given within 7 days.');
    expect(waves.map((w) => [w.status, w.waitingFor])).toEqual([
      ['SUCCEEDED', undefined],
      ['CANCELED', undefined],
    ]);
  });
});
