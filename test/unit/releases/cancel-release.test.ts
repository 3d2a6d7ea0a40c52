import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ThrottledError } from '../../../lib/domain/errors.js';
import { answerApproval } from '../../../lib/releases/answer-approval.js';
import { cancelRelease } from '../../../lib/releases/cancel-release.js';
import { moveRelease } from '../../../lib/workflow/release-context.js';
import { fakes, meta, releaseBody, waitingRelease } from './fakes.js';

/** A release on wave 2 of 3: wave 1 SUCCEEDED, wave 2 running job r-w02, wave 3 PENDING. */
function runningRelease(releaseId = 'r-run') {
  const deps = fakes();
  deps.store.seed({ ...releaseBody(), releaseId }, 'IN_PROGRESS', [
    { status: 'SUCCEEDED', jobId: `${releaseId}-w01` },
    { status: 'IN_PROGRESS', jobId: `${releaseId}-w02` },
  ]);
  deps.jobs.jobs.set(`${releaseId}-w01`, 'COMPLETED');
  deps.jobs.jobs.set(`${releaseId}-w02`, 'IN_PROGRESS');
  deps.executions.executions.set(releaseId, { status: 'RUNNING', input: JSON.stringify({ releaseId }) });
  return deps;
}

describe('cancelRelease of a release ended at its end time', () => {
  for (const [behavior, force, jobCanceled] of [
    ['STOP_ROLLOUT', undefined, false],
    ['CANCEL', false, true],
    ['FORCE_CANCEL', true, true],
  ] as const) {
    it(`${behavior}: a cancel with force before the workflow's cleanup keeps to the end behaviour`, async () => {
      const deps = runningRelease();
      await moveRelease(deps.store, 'r-run', {
        to: 'CANCELED',
        reason: 'Ended at its end time.',
        actor: 'fleetwave',
        endedAtEndTime: behavior,
        at: '2026-03-01T10:00:00.000Z',
      });
      await expect(cancelRelease(deps, { releaseId: 'r-run', force: true }, meta('ops'))).rejects.toThrow(
        ConflictError,
      );
      expect(deps.jobs.cancels.map((c) => c.force)).toEqual(jobCanceled ? [force] : []);
      const wave = (await deps.store.getRelease('r-run')).waves[1];
      // STOP_ROLLOUT: no thing ran to an outcome in the seeded wave, so it ends CANCELED, its job left to IoT.
      expect(wave?.status).toBe('CANCELED');
      expect(wave?.reason).toMatch(new RegExp(`^Stopped at the release's end time \\(${behavior}\\)`));
    });
  }
});

describe('cancelRelease', () => {
  it('marks the release and its remaining waves CANCELED, cancels the running job and stops the execution', async () => {
    const deps = runningRelease();
    const view = await cancelRelease(
      deps,
      { releaseId: 'r-run', force: true, comment: 'bad batch' },
      meta('ops'),
    );
    expect(view.release.status).toBe('CANCELED');
    expect(view.release.statusReason).toBe('Canceled by ops: bad batch');
    expect(view.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'CANCELED', 'CANCELED']);
    expect(view.links).not.toHaveProperty('cancel');
    expect(deps.jobs.cancels).toEqual([
      {
        jobId: 'r-run-w02',
        reasonCode: 'FLEETWAVE_RELEASE_CANCELED',
        comment: 'Canceled by ops: bad batch',
        force: true,
      },
    ]);
    expect(deps.executions.stops).toEqual([
      { releaseId: 'r-run', error: 'ReleaseCanceled', cause: 'Canceled by ops: bad batch' },
    ]);
  });

  it('deletes the thing groups the release created once its execution is stopped', async () => {
    const deps = runningRelease();
    await cancelRelease(deps, { releaseId: 'r-run', force: false }, meta());
    expect(deps.groups.deleted).toEqual([
      'fleetwave-r-run-w01',
      'fleetwave-r-run-w02',
      'fleetwave-r-run-w03',
    ]);
  });

  it('answers 200 when DeleteThingGroup fails, and reports each group left with the release id', async () => {
    const deps = runningRelease();
    deps.groups.failWith = new ThrottledError('Rate exceeded');
    const warnings: Record<string, unknown>[] = [];
    const view = await cancelRelease(
      deps,
      { releaseId: 'r-run', force: false },
      { ...meta(), warn: (_message, fields) => warnings.push(fields) },
    );
    expect(view.release.status).toBe('CANCELED');
    expect(deps.executions.executions.get('r-run')?.status).toBe('ABORTED');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toEqual({
      releaseId: 'r-run',
      thingGroupName: 'fleetwave-r-run-w01',
      cause: 'ThrottledError: Rate exceeded',
    });
  });

  it('leaves the groups to the workflow while its execution goes on (the stop failed)', async () => {
    const deps = runningRelease();
    deps.executions.faults.fail('stop', new ThrottledError('SFN is throttling'));
    await cancelRelease(deps, { releaseId: 'r-run', force: false }, meta());
    expect(deps.groups.deleted).toEqual([]);
  });

  it('passes force: false to CancelJob unless asked', async () => {
    const deps = runningRelease();
    await cancelRelease(deps, { releaseId: 'r-run', force: false }, meta());
    expect(deps.jobs.cancels[0]?.force).toBe(false);
  });

  it('cancels a PENDING release whose execution never started', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-new' }, 'PENDING');
    const view = await cancelRelease(deps, { releaseId: 'r-new', force: false }, meta());
    expect(view.release.status).toBe('CANCELED');
    expect(view.waves.every((w) => w.status === 'CANCELED')).toBe(true);
    expect(deps.executions.stops).toEqual([]);
  });

  it('refuses a finished release with 409', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-ok' }, 'SUCCEEDED');
    await expect(cancelRelease(deps, { releaseId: 'r-ok', force: false }, meta())).rejects.toThrow(
      /r-ok is SUCCEEDED; only a release that has not finished can be canceled/,
    );
  });

  it('answers a missing release with NotFoundError', async () => {
    await expect(cancelRelease(fakes(), { releaseId: 'nope', force: false }, meta())).rejects.toThrow(
      NotFoundError,
    );
  });

  it('lets one of two concurrent cancels win; the other is a 409', async () => {
    const deps = runningRelease();
    const results = await Promise.allSettled([
      cancelRelease(deps, { releaseId: 'r-run', force: false }, meta('a')),
      cancelRelease(deps, { releaseId: 'r-run', force: false }, meta('b')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
      ConflictError,
    );
    expect(
      deps.store.history.filter((e) => e.to === 'CANCELED' && e.type === 'RELEASE_STATUS_CHANGED'),
    ).toHaveLength(1);
  });

  it('loses to an approval answered between its read and its write (409), and the approval stands', async () => {
    const deps = waitingRelease();
    deps.store.faults.before('transitionRelease', () =>
      answerApproval(deps, { releaseId: 'r-gate', decision: 'approve' }, meta('approver')).then(
        () => undefined,
      ),
    );
    await expect(cancelRelease(deps, { releaseId: 'r-gate', force: false }, meta())).rejects.toThrow(
      ConflictError,
    );
    expect(deps.store.releases.get('r-gate')?.status).toBe('IN_PROGRESS');
    expect(deps.executions.successes).toHaveLength(1);
  });

  it('is still canceled when a workflow move lands between its read and its write', async () => {
    const deps = runningRelease();
    deps.store.faults.before('transitionRelease', async () => {
      await deps.store.transitionRelease('r-run', { to: 'WAITING_APPROVAL' });
    });
    const view = await cancelRelease(deps, { releaseId: 'r-run', force: false }, meta());
    expect(view.release.status).toBe('CANCELED');
  });

  it('answers 200 once decided even when CancelJob is throttled, leaving the execution to finish the cleanup', async () => {
    const deps = runningRelease();
    deps.jobs.faults.fail('cancel', new ThrottledError('IoT is throttling'));
    const view = await cancelRelease(deps, { releaseId: 'r-run', force: true }, meta());
    // The decision stands; the wave whose job could not be canceled is still running, and so is
    // the execution, whose cancel path (it reads the release before each step) finishes the cleanup.
    expect(view.release.status).toBe('CANCELED');
    expect(deps.store.waveItems.get('r-run#2')?.status).toBe('IN_PROGRESS');
    expect(deps.store.waveItems.get('r-run#3')?.status).toBe('CANCELED');
    expect(deps.jobs.jobs.get('r-run-w02')).toBe('IN_PROGRESS');
    expect(deps.executions.executions.get('r-run')?.status).toBe('RUNNING');

    // A cancel sent again finishes it too, and says the release was already canceled.
    await expect(cancelRelease(deps, { releaseId: 'r-run', force: true }, meta())).rejects.toThrow(
      /already CANCELED/,
    );
    expect(deps.jobs.jobs.get('r-run-w02')).toBe('CANCELED');
    expect(deps.store.waveItems.get('r-run#2')?.status).toBe('CANCELED');
    expect(deps.executions.executions.get('r-run')?.status).toBe('ABORTED');
  });

  it('answers 200 when StopExecution is throttled after the job was canceled; a cancel sent again stops it', async () => {
    const deps = runningRelease();
    deps.executions.faults.fail('stop', new ThrottledError('SFN is throttling'));
    const view = await cancelRelease(deps, { releaseId: 'r-run', force: false }, meta());
    expect(view.release.status).toBe('CANCELED');
    expect(deps.jobs.jobs.get('r-run-w02')).toBe('CANCELED');
    expect(deps.executions.executions.get('r-run')?.status).toBe('RUNNING');
    await expect(cancelRelease(deps, { releaseId: 'r-run', force: false }, meta())).rejects.toThrow(
      ConflictError,
    );
    expect(deps.executions.executions.get('r-run')?.status).toBe('ABORTED');
  });

  it('passes DynamoDB throttling on the decision through, having changed nothing', async () => {
    const deps = runningRelease();
    deps.store.faults.fail('transitionRelease', new ThrottledError('DynamoDB is throttling'));
    await expect(cancelRelease(deps, { releaseId: 'r-run', force: false }, meta())).rejects.toThrow(
      ThrottledError,
    );
    expect(deps.store.releases.get('r-run')?.status).toBe('IN_PROGRESS');
    expect(deps.jobs.cancels).toEqual([]);
    expect(deps.executions.stops).toEqual([]);
  });

  it('records the running wave CANCELED even when its job had already ended or never got created', async () => {
    const deps = runningRelease();
    deps.jobs.jobs.delete('r-run-w02');
    const view = await cancelRelease(deps, { releaseId: 'r-run', force: false }, meta());
    expect(view.waves[1]?.status).toBe('CANCELED');
  });

  it('closes an open approval gate so a late answer finds nothing', async () => {
    const deps = waitingRelease();
    await cancelRelease(deps, { releaseId: 'r-gate', force: false }, meta());
    expect(deps.store.tokenOf('r-gate', 1)).toBeUndefined();
    await expect(answerApproval(deps, { releaseId: 'r-gate', decision: 'approve' }, meta())).rejects.toThrow(
      /is CANCELED; it is not waiting for approval/,
    );
  });
});
