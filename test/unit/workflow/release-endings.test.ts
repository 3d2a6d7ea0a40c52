/**
 * How releases end, with in-memory fakes: a failed wave (job canceled once,
 * the rest CANCELED, the release FAILED), the approval gate under a
 * concurrent cancel, a refused approval, the catch-all failure record, a
 * cancel through the API, and success after approving the last wave.
 */
import { describe, expect, it } from 'vitest';
import { PacedError, ThrottledError } from '../../../lib/domain/errors.js';
import { cancelRelease } from '../../../lib/workflow/cancel-release.js';
import { ReleaseCanceledError } from '../../../lib/workflow/errors.js';
import { failWave } from '../../../lib/workflow/fail-wave.js';
import { finishRelease } from '../../../lib/workflow/finish-release.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { causeMessage, recordFailure } from '../../../lib/workflow/record-failure.js';
import { refuseApproval } from '../../../lib/workflow/refuse-approval.js';
import { requestApproval } from '../../../lib/workflow/request-approval.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { startWave } from '../../../lib/workflow/start-wave.js';
import type { WorkflowState } from '../../../lib/workflow/workflow-state.js';
import { type FakeWorkflow, fakeWorkflow, NOW } from './fakes.js';

/** A three-wave release whose first wave runs (its job created). */
async function running(deps: FakeWorkflow, requireApproval = false): Promise<WorkflowState> {
  await deps.store.seed({
    releaseId: 'r1',
    jobTemplateId: 'fw-2-0',
    waves: [
      { targets: { things: ['a', 'b'] }, requireApproval },
      { targets: { things: ['c'] } },
      { targets: { things: ['d'] } },
    ],
  });
  const started = await startRelease(deps, { state: { releaseId: 'r1' }, now: NOW });
  return startWave(deps, { state: await prepareWave(deps, { state: started, now: NOW }), now: NOW });
}

const failure = {
  waveStatus: 'FAILED',
  cause: 'FAILURE_THRESHOLD',
  reason: '1 of 2 things failed.',
} as const;

describe('ending a release', () => {
  it('FailWave records the wave FAILED, cancels its job once, cancels the rest and fails the release; a re-run changes nothing', async () => {
    const deps = fakeWorkflow();
    const state = { ...(await running(deps)), next: 'fail' as const, failure };
    expect(await failWave(deps, { state, now: NOW })).toMatchObject({ next: 'failed' });
    const { release, waves } = await deps.store.getRelease('r1');
    expect(release).toMatchObject({ status: 'FAILED', statusReason: 'Wave 1 failed: 1 of 2 things failed.' });
    expect(waves.map((w) => w.status)).toEqual(['FAILED', 'CANCELED', 'CANCELED']);
    expect(deps.jobs.jobs.get('r1-w01')?.status).toBe('CANCELED');
    const writes = deps.store.writes;
    await failWave(deps, { state, now: NOW });
    expect(deps.store.writes).toBe(writes);
    expect(deps.jobs.calls.filter((c) => c === 'cancel')).toHaveLength(1);
    expect(deps.notifier.types.slice(-2)).toEqual(['Wave Failed 1', 'Release Failed']);
  });

  it('FailWave keeps a cancellation the API made meanwhile and hands over to the cancel path', async () => {
    const deps = fakeWorkflow();
    const state = { ...(await running(deps)), failure };
    deps.store.interleave(() => {
      const release = deps.store.releases.get('r1');
      if (release)
        deps.store.releases.set('r1', { ...release, status: 'CANCELED', statusReason: 'by alice' });
    });
    expect((await failWave(deps, { state, now: NOW })).next).toBe('canceled');
    expect((await deps.store.getRelease('r1')).release).toMatchObject({
      status: 'CANCELED',
      statusReason: 'by alice',
    });
  });

  it('RequestApproval keeps the token on the wave and moves the release to WAITING_APPROVAL', async () => {
    const deps = fakeWorkflow();
    const state = { ...(await running(deps, true)), nextWaveNumber: 2 };
    await requestApproval(deps, { state, now: NOW, taskToken: 'token-1' });
    const { release, waves } = await deps.store.getRelease('r1');
    expect(release).toMatchObject({ status: 'WAITING_APPROVAL', currentWave: 1 });
    expect(waves[0]).toMatchObject({ waitingFor: 'APPROVAL', waitingSince: NOW });
    expect(deps.store.tokenOf('r1', 1)).toBe('token-1');
    expect(deps.notifier.types.at(-1)).toBe('Release Awaiting Approval 1');
  });

  it('RequestApproval leaves the gate at once (ReleaseCanceled) when the API cancels while it runs', async () => {
    const deps = fakeWorkflow();
    const state = { ...(await running(deps, true)), nextWaveNumber: 2 };
    deps.store.interleave(() => {
      const release = deps.store.releases.get('r1');
      if (release) deps.store.releases.set('r1', { ...release, status: 'CANCELED' });
    });
    await expect(requestApproval(deps, { state, now: NOW, taskToken: 't' })).rejects.toBeInstanceOf(
      ReleaseCanceledError,
    );
    expect((await deps.store.getRelease('r1')).release.status).toBe('CANCELED');
  });

  it('after approval, PrepareWave takes the release back to IN_PROGRESS with who approved', async () => {
    const deps = fakeWorkflow();
    const state = { ...(await running(deps, true)), nextWaveNumber: 2 };
    await requestApproval(deps, { state, now: NOW, taskToken: 't' });
    const out = await prepareWave(deps, { state: { ...state, approval: { approvedBy: 'alice' } }, now: NOW });
    expect(out).toMatchObject({ next: 'start', waveNumber: 2 });
    expect((await deps.store.getRelease('r1')).release).toMatchObject({
      status: 'IN_PROGRESS',
      statusReason: 'Wave 1 approved by alice',
      currentWave: 2,
    });
  });

  const approval = { reason: 'Approved after wave 1 by alice', actor: 'alice', at: NOW };

  it('RequestApproval on a gate whose approval is recorded sends it to itself, and asks nobody', async () => {
    const deps = fakeWorkflow();
    const state = { ...(await running(deps, true)), nextWaveNumber: 2, afterApproval: 'wave' as const };
    await requestApproval(deps, { state, now: NOW, taskToken: 'stale' });
    await deps.store.approveGate('r1', 1, approval);
    const announced = deps.notifier.events.length;

    await requestApproval(deps, { state, now: NOW, taskToken: 'token-2' });
    expect(deps.waker.wakes).toEqual([
      {
        taskToken: 'token-2',
        output: { approved: true, waveNumber: 1, reason: approval.reason, approvedBy: 'alice' },
      },
    ]);
    expect(deps.store.tokenOf('r1', 1)).toBeUndefined();
    expect(deps.notifier.events).toHaveLength(announced);
    const out = await prepareWave(deps, {
      state: { ...state, approval: deps.waker.wakes[0]?.output },
      now: NOW,
    });
    expect(out).toMatchObject({ next: 'start', waveNumber: 2 });
    expect((await deps.store.getRelease('r1')).release).toMatchObject({
      status: 'IN_PROGRESS',
      statusReason: approval.reason,
      statusActor: 'alice',
    });
  });

  it('RefuseApproval lets an approval recorded as the gate closed stand: the release goes on', async () => {
    const deps = fakeWorkflow();
    const state = { ...(await running(deps, true)), nextWaveNumber: 2, afterApproval: 'wave' as const };
    await requestApproval(deps, { state, now: NOW, taskToken: 't' });
    await deps.store.approveGate('r1', 1, approval);
    const error = { Error: 'States.Timeout', Cause: 'the gate timed out' };
    expect(await refuseApproval(deps, { state: { ...state, error }, now: NOW })).toMatchObject({
      next: 'wave',
      nextWaveNumber: 2,
      approval: { approved: true, reason: approval.reason },
    });
    expect((await deps.store.getRelease('r1')).release.status).toBe('WAITING_APPROVAL');
  });

  it('an approval that comes after RefuseApproval closed the gate is refused and records nothing', async () => {
    const deps = fakeWorkflow();
    const state = { ...(await running(deps, true)), nextWaveNumber: 2, afterApproval: 'wave' as const };
    await requestApproval(deps, { state, now: NOW, taskToken: 't' });
    const error = { Error: 'States.Timeout', Cause: 'the gate timed out' };
    expect(await refuseApproval(deps, { state: { ...state, error }, now: NOW })).toMatchObject({
      next: 'failed',
    });
    await expect(deps.store.approveGate('r1', 1, approval)).rejects.toThrow(/is not open/);
    expect(await deps.store.approvalOf('r1', 1)).toBeUndefined();
    expect((await deps.store.getRelease('r1')).release.status).toBe('FAILED');
  });

  it('RefuseApproval fails the release with the refusal, drops the token and cancels the rest', async () => {
    const deps = fakeWorkflow();
    const state = { ...(await running(deps, true)), nextWaveNumber: 2 };
    await requestApproval(deps, { state, now: NOW, taskToken: 't' });
    const error = { Error: 'ApprovalRejected', Cause: 'battery drain' };
    expect(await refuseApproval(deps, { state: { ...state, error }, now: NOW })).toMatchObject({
      next: 'failed',
    });
    const { release, waves } = await deps.store.getRelease('r1');
    expect(release.statusReason).toBe(
      'The approval after wave 1 was refused (ApprovalRejected): battery drain',
    );
    expect(waves.map((w) => w.status)).toEqual(['IN_PROGRESS', 'CANCELED', 'CANCELED']);
    expect(deps.store.tokenOf('r1', 1)).toBeUndefined();
  });

  it('RecordFailure fails the running wave and the release with the error, and cancels only its own job', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    const error = {
      Error: 'NotFoundError',
      Cause: JSON.stringify({
        errorType: 'NotFoundError',
        errorMessage: 'Thing c cannot be found.',
        trace: [],
      }),
    };
    expect(await recordFailure(deps, { state: { ...state, error }, now: NOW })).toMatchObject({
      next: 'failed',
    });
    const { release, waves } = await deps.store.getRelease('r1');
    expect(release).toMatchObject({
      status: 'FAILED',
      statusReason: 'The release workflow stopped on NotFoundError: Thing c cannot be found.',
    });
    expect(waves.map((w) => w.status)).toEqual(['FAILED', 'CANCELED', 'CANCELED']);
    expect(deps.jobs.jobs.get('r1-w01')?.status).toBe('CANCELED');
    expect(deps.notifier.events.at(-1)?.detail).toMatchObject({ error: { name: 'NotFoundError' } });
  });

  it('RecordFailure writes the release FAILED before it touches IoT, so an IoT outage cannot leave it IN_PROGRESS', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    deps.jobs.failNext('describe', new ThrottledError('slow down', 1));
    await expect(
      recordFailure(deps, { state: { ...state, error: { Error: 'UpstreamError' } }, now: NOW }),
    ).rejects.toBeInstanceOf(ThrottledError);
    const { release, waves } = await deps.store.getRelease('r1');
    expect(release.status).toBe('FAILED');
    expect(waves.map((w) => w.status)).toEqual(['FAILED', 'CANCELED', 'CANCELED']);
    // The retry finds every record in place and only cancels the job.
    const writes = deps.store.writes;
    await recordFailure(deps, { state: { ...state, error: { Error: 'UpstreamError' } }, now: NOW });
    expect(deps.store.writes).toBe(writes);
    expect(deps.jobs.jobs.get('r1-w01')?.status).toBe('CANCELED');
  });

  it('RecordFailure leaves a foreign job with the wave id alone', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    deps.jobs.progress('r1-w01', {});
    const job = deps.jobs.jobs.get('r1-w01');
    if (job)
      deps.jobs.jobs.set('r1-w01', { ...job, jobTemplateArn: 'arn:aws:iot:us-east-1:1:jobtemplate/other' });
    await recordFailure(deps, { state: { ...state, error: { Error: 'ForeignJobError' } }, now: NOW });
    expect(deps.jobs.jobs.get('r1-w01')?.status).toBe('IN_PROGRESS');
    expect(deps.jobs.calls).not.toContain('cancel');
  });

  it('RecordFailure records a release that never started (PENDING) as FAILED, and ignores one that does not exist', async () => {
    const deps = fakeWorkflow();
    await deps.store.seed({
      releaseId: 'r2',
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things: ['a'] } }],
    });
    await recordFailure(deps, { state: { releaseId: 'r2', error: { Error: 'States.Runtime' } }, now: NOW });
    expect((await deps.store.getRelease('r2')).release.status).toBe('FAILED');
    expect(await recordFailure(deps, { state: { releaseId: 'nope' }, now: NOW })).toMatchObject({
      next: 'failed',
    });
  });

  it('CancelRelease ends the running wave and its job, cancels the rest, and keeps the status the API wrote', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    await deps.store.transitionRelease('r1', { to: 'CANCELED', reason: 'by alice' });
    const writes = deps.store.history.filter((e) => e.type === 'RELEASE_STATUS_CHANGED').length;
    await cancelRelease(deps, { state, now: NOW });
    const { release, waves } = await deps.store.getRelease('r1');
    expect(release).toMatchObject({ status: 'CANCELED', statusReason: 'by alice' });
    expect(deps.store.history.filter((e) => e.type === 'RELEASE_STATUS_CHANGED')).toHaveLength(writes);
    expect(waves.map((w) => w.status)).toEqual(['CANCELED', 'CANCELED', 'CANCELED']);
    expect(deps.jobs.jobs.get('r1-w01')?.status).toBe('CANCELED');
    expect(deps.notifier.types.at(-1)).toBe('Release Canceled');
  });

  it('CancelRelease run again after it recorded the wave but could not stop its job stops the job then', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    await deps.store.transitionRelease('r1', { to: 'CANCELED', reason: 'by alice' });
    // The first run records the wave CANCELED, then its DescribeJob must wait for a budget slot.
    deps.jobs.failNext('describe', new PacedError('paced', 'DescribeJob', Date.parse(NOW) + 1_000));
    await expect(cancelRelease(deps, { state, now: NOW })).rejects.toBeInstanceOf(PacedError);
    expect((await deps.store.getRelease('r1')).waves[0]?.status).toBe('CANCELED');
    expect(deps.jobs.jobs.get('r1-w01')?.status).toBe('IN_PROGRESS');

    await cancelRelease(deps, { state, now: NOW });
    expect(deps.jobs.jobs.get('r1-w01')?.status).toBe('CANCELED');
    // A third run finds the job stopped and cancels nothing again.
    await cancelRelease(deps, { state, now: NOW });
    expect(deps.jobs.calls.filter((c) => c === 'cancel')).toHaveLength(1);
  });

  it('FinishRelease refuses to succeed while a wave has not', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    await expect(finishRelease(deps, { state, now: NOW })).rejects.toThrow(/wave 1 is IN_PROGRESS/);
  });

  it('reads the message of a Lambda error cause, or keeps a plain cause', () => {
    expect(causeMessage('{"errorType":"X","errorMessage":"boom","trace":[]}')).toBe('boom');
    expect(causeMessage('plain words')).toBe('plain words');
    expect(causeMessage(undefined)).toBe('');
  });
});
