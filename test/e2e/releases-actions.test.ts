/**
 * Acting on releases over HTTP against the local stack: cancel one
 * halfway, approve and reject an approval gate, and concurrent actions
 * where exactly one may win.
 */
import { DescribeJobCommand } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { executionArnOf } from '../../lib/adapters/release-executions.js';
import { waveJobId } from '../../lib/domain/wave-job.js';
import { fixedProfile } from '../support/fleet.js';
import { describeExecution, jobIds, runUntilClosed, useWorkflowStack } from '../support/workflow.js';
import { call, createReleaseOk, releaseRequest, runUntilApi } from './releases-support.js';

const DAY = 86_400_000;

/** The statuses of a release view's waves. */
const waveStatuses = (view: { waves: { status: string }[] }) => view.waves.map((w) => w.status);

describe('releases over HTTP: cancel', () => {
  const env = useWorkflowStack({
    fleet: { size: 20, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 1800 }),
  });

  it('cancels halfway: the running job is canceled, the execution stopped, and no later wave starts', async () => {
    const { stack, clients } = env();
    const lab = stack.seededFleet?.sampleThingNames.slice(0, 1) ?? [];
    const id = await createReleaseOk(
      stack,
      releaseRequest({
        releaseId: 'cancel-mid',
        waves: [{ targets: { things: lab } }, { percentage: 50 }, { percentage: 100 }],
      }),
    );
    await runUntilApi(
      stack,
      id,
      (v) => v.waves[1].status === 'IN_PROGRESS' && (v.waves[1].counts?.numberOfInProgressThings ?? 0) > 0,
      'wave 2 running',
    );

    const res = await call(stack, 'POST', `/releases/${id}/cancel`, {
      body: { force: true, comment: 'battery drain' },
    });
    expect(res.status).toBe(200);
    expect(res.json.release).toMatchObject({
      status: 'CANCELED',
      statusReason: 'Canceled by local: battery drain',
    });
    expect(waveStatuses(res.json)).toEqual(['SUCCEEDED', 'CANCELED', 'CANCELED']);
    expect(res.json.links).not.toHaveProperty('cancel');

    const job = await clients.iot.send(new DescribeJobCommand({ jobId: waveJobId(id, 2) }));
    expect(job.job).toMatchObject({
      status: 'CANCELED',
      forceCanceled: true,
      reasonCode: 'FLEETWAVE_RELEASE_CANCELED',
      comment: 'Canceled by local: battery drain',
    });
    const execution = await describeExecution(clients, executionArnOf(stack.stateMachineArn, id));
    expect(execution.status).toBe('ABORTED');

    // A day later nothing else happened: no third job, the waves as the cancel left them.
    await stack.clock.advance(DAY);
    await stack.workflow.driver.settle();
    expect((await jobIds(clients)).filter((j) => j.startsWith(`${id}-`))).toEqual([
      waveJobId(id, 1),
      waveJobId(id, 2),
    ]);
    const after = await call(stack, 'GET', `/releases/${id}`);
    expect(after.json.release.status).toBe('CANCELED');
    expect(waveStatuses(after.json)).toEqual(['SUCCEEDED', 'CANCELED', 'CANCELED']);

    const history = await call(stack, 'GET', `/releases/${id}/history?limit=500`);
    expect(history.json.items).toContainEqual(
      expect.objectContaining({
        type: 'RELEASE_STATUS_CHANGED',
        to: 'CANCELED',
        reason: 'Canceled by local: battery drain',
      }),
    );
  });

  it('answers 409 to a second cancel and to a cancel of a finished release', async () => {
    const { stack } = env();
    const again = await call(stack, 'POST', '/releases/cancel-mid/cancel?force=true');
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/already CANCELED/);
    expect((await call(stack, 'POST', '/releases/never-was/cancel')).status).toBe(404);
  });

  it('lets exactly one of two concurrent cancels win', async () => {
    const { stack } = env();
    const id = await createReleaseOk(stack, releaseRequest({ releaseId: 'cancel-race' }));
    const answers = await Promise.all([
      call(stack, 'POST', `/releases/${id}/cancel`),
      call(stack, 'POST', `/releases/${id}/cancel`, { body: { comment: 'me too' } }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  });

  it('refuses force given differently in the query and the body', async () => {
    const { stack } = env();
    const id = await createReleaseOk(stack, releaseRequest({ releaseId: 'cancel-force' }));
    const res = await call(stack, 'POST', `/releases/${id}/cancel?force=true`, { body: { force: false } });
    expect(res.status).toBe(400);
    expect(res.json.details[0].path).toBe('force');
  });
});

describe('releases over HTTP: approval gate', () => {
  const env = useWorkflowStack({
    fleet: { size: 10, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 2, runSeconds: 30 }),
  });

  /** A two-wave release whose first wave needs approval, driven to its gate. */
  async function atTheGate(releaseId: string) {
    const { stack } = env();
    const id = await createReleaseOk(
      stack,
      releaseRequest({ releaseId, waves: [{ percentage: 50, requireApproval: true }, { percentage: 100 }] }),
    );
    return runUntilApi(stack, id, (v) => v.release.status === 'WAITING_APPROVAL', 'the gate');
  }

  it('approves the gate: the comment is in the history and the release goes on to SUCCEEDED', async () => {
    const { stack } = env();
    const gated = await atTheGate('gate-yes');
    expect(gated.links).toMatchObject({
      approve: '/releases/gate-yes/approve',
      reject: '/releases/gate-yes/reject',
    });
    expect(gated.waves[0]).toMatchObject({ status: 'SUCCEEDED', waitingFor: 'APPROVAL' });

    const res = await call(stack, 'POST', '/releases/gate-yes/approve', {
      body: { comment: 'canary looks good' },
    });
    expect(res.status).toBe(200);
    expect(res.json.release).toMatchObject({
      status: 'IN_PROGRESS',
      statusReason: 'Approved after wave 1 by local: canary looks good',
    });
    expect(res.json.waves[0]).not.toHaveProperty('waitingFor');

    const done = await runUntilApi(stack, 'gate-yes', (v) => v.release.status === 'SUCCEEDED', 'SUCCEEDED');
    expect(waveStatuses(done)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const history = await call(stack, 'GET', '/releases/gate-yes/history?limit=500');
    const trail = history.json.items
      .filter((e: { type: string }) => e.type.startsWith('RELEASE'))
      .map((e: { to: string; reason?: string }) => [e.to, e.reason]);
    expect(trail).toContainEqual(['IN_PROGRESS', 'Approved after wave 1 by local: canary looks good']);
    expect(trail.map((t: string[]) => t[0])).toEqual([
      'PENDING',
      'IN_PROGRESS',
      'WAITING_APPROVAL',
      'IN_PROGRESS',
      'SUCCEEDED',
    ]);
  });

  it('rejects the gate: the release and its last wave are CANCELED and the workflow ends without a new job', async () => {
    const { stack, clients } = env();
    await atTheGate('gate-no');
    const res = await call(stack, 'POST', '/releases/gate-no/reject', {
      body: { comment: 'boot loop on rev B' },
    });
    expect(res.status).toBe(200);
    expect(res.json.release).toMatchObject({
      status: 'CANCELED',
      statusReason: 'Rejected after wave 1 by local: boot loop on rev B',
    });
    expect(waveStatuses(res.json)).toEqual(['SUCCEEDED', 'CANCELED']);

    const closed = await runUntilClosed(stack, clients, executionArnOf(stack.stateMachineArn, 'gate-no'));
    expect(closed.status).toBe('SUCCEEDED');
    expect((await jobIds(clients)).filter((j) => j.startsWith('gate-no-'))).toEqual([
      waveJobId('gate-no', 1),
    ]);
    const after = await call(stack, 'GET', '/releases/gate-no');
    expect(after.json.release.status).toBe('CANCELED');
  });

  it('lets exactly one of a concurrent approve and reject win; the other is a 409', async () => {
    const { stack } = env();
    await atTheGate('gate-race');
    const answers = await Promise.all([
      call(stack, 'POST', '/releases/gate-race/approve'),
      call(stack, 'POST', '/releases/gate-race/reject'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409);
    expect(loser?.json.code).toBe('ConflictError');
  });

  it('answers 409 to an approval of a release that is not waiting for one', async () => {
    const { stack } = env();
    const id = await createReleaseOk(stack, releaseRequest({ releaseId: 'gate-none' }));
    const res = await call(stack, 'POST', `/releases/${id}/approve`);
    expect(res.status).toBe(409);
    expect(res.json.message).toMatch(/not waiting for approval/);
  });
});
