import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ThrottledError, UpstreamError } from '../../../lib/domain/errors.js';
import { answerApproval } from '../../../lib/releases/answer-approval.js';
import { fakes, meta, releaseBody, waitingRelease } from './fakes.js';

const approve = (comment?: string) => ({ releaseId: 'r-gate', decision: 'approve' as const, comment });
const reject = (comment?: string) => ({ releaseId: 'r-gate', decision: 'reject' as const, comment });

describe('answerApproval: approve', () => {
  it('moves the release back to IN_PROGRESS, records the comment, and sends the token the answer', async () => {
    const deps = waitingRelease();
    const view = await answerApproval(deps, approve('lab looks good'), meta('alice'));
    expect(view.release.status).toBe('IN_PROGRESS');
    expect(view.release.statusReason).toBe('Approved after wave 1 by alice: lab looks good');
    expect(view.links).not.toHaveProperty('approve');
    expect(deps.executions.successes).toEqual([
      {
        token: 'token-1',
        output: {
          approved: true,
          waveNumber: 1,
          reason: 'Approved after wave 1 by alice: lab looks good',
          approvedBy: 'alice',
          comment: 'lab looks good',
        },
      },
    ]);
    expect(deps.store.tokenOf('r-gate', 1)).toBeUndefined();
    expect(deps.store.history.at(-1)).toMatchObject({
      type: 'RELEASE_STATUS_CHANGED',
      from: 'WAITING_APPROVAL',
      to: 'IN_PROGRESS',
      reason: 'Approved after wave 1 by alice: lab looks good',
    });
  });

  it('refuses a release that is not waiting for approval with 409', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-gate' }, 'IN_PROGRESS');
    await expect(answerApproval(deps, approve(), meta())).rejects.toThrow(
      /is IN_PROGRESS; it is not waiting/,
    );
  });

  it('refuses with 409 while the gate has not stored its token yet', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-gate' }, 'WAITING_APPROVAL', [{ status: 'SUCCEEDED' }]);
    await expect(answerApproval(deps, approve(), meta())).rejects.toThrow(/no approval gate open yet/);
  });

  it('answers a missing release with NotFoundError', async () => {
    await expect(answerApproval(fakes(), approve(), meta())).rejects.toThrow(NotFoundError);
  });

  it('lets exactly one of a concurrent approve and reject win; the other is a 409', async () => {
    const deps = waitingRelease();
    const results = await Promise.allSettled([
      answerApproval(deps, approve(), meta('alice')),
      answerApproval(deps, reject(), meta('bob')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ConflictError);
    expect(deps.executions.successes.length + deps.executions.failures.length).toBe(1);
  });

  it('puts the status and the token back when SendTaskSuccess is throttled, so answering again works', async () => {
    const deps = waitingRelease();
    deps.executions.faults.fail('sendTaskSuccess', new ThrottledError('SFN is throttling'));
    await expect(answerApproval(deps, approve('first try'), meta())).rejects.toThrow(ThrottledError);
    expect(deps.store.releases.get('r-gate')?.status).toBe('WAITING_APPROVAL');
    expect(deps.store.tokenOf('r-gate', 1)).toBe('token-1');

    const view = await answerApproval(deps, approve('second try'), meta());
    expect(view.release.status).toBe('IN_PROGRESS');
    expect(deps.executions.successes).toHaveLength(1);
  });

  it('changes nothing when recording the approval is throttled', async () => {
    const deps = waitingRelease();
    deps.store.faults.fail('approveGate', new ThrottledError('DynamoDB is throttling'));
    await expect(answerApproval(deps, approve(), meta())).rejects.toThrow(ThrottledError);
    expect(deps.store.tokenOf('r-gate', 1)).toBe('token-1');
    expect(deps.store.releases.get('r-gate')?.status).toBe('WAITING_APPROVAL');
    expect(deps.executions.successes).toEqual([]);
  });

  it('is accepted once delivered, even when recording the move is throttled: the workflow makes it', async () => {
    const deps = waitingRelease();
    deps.store.faults.fail('transitionRelease', new ThrottledError('DynamoDB is throttling'));
    await expect(answerApproval(deps, approve(), meta())).resolves.toBeDefined();
    expect(deps.executions.successes).toHaveLength(1);
  });

  it('takes the approval while a restarted workflow opens the gate again, and that gate goes through', async () => {
    const deps = waitingRelease();
    // The token on the wave belongs to the execution the stop killed; a new one runs the release.
    deps.executions.openTokens.clear();
    const view = await answerApproval(deps, approve('after restart'), meta('alice'));
    expect(view.release.status).toBe('IN_PROGRESS');
    const approval = await deps.store.openGate('r-gate', 1, { token: 'token-2' });
    expect(approval).toMatchObject({
      reason: 'Approved after wave 1 by alice: after restart',
      actor: 'alice',
    });
    expect(deps.store.tokenOf('r-gate', 1)).toBeUndefined();
    const approvals = deps.store.history.filter(
      (e) => e.to === 'IN_PROGRESS' && e.from === 'WAITING_APPROVAL',
    );
    expect(approvals).toHaveLength(1);
  });

  it('answers 409 and changes nothing when the gate closed and no workflow runs the release', async () => {
    const deps = waitingRelease();
    deps.executions.openTokens.clear();
    deps.executions.executions.set('r-gate', { status: 'ABORTED', input: '' });
    const before = deps.store.history.length;
    await expect(answerApproval(deps, approve(), meta())).rejects.toThrow(/closed before the answer arrived/);
    expect(deps.store.releases.get('r-gate')?.status).toBe('WAITING_APPROVAL');
    expect(deps.store.tokenOf('r-gate', 1)).toBe('token-1');
    expect(await deps.store.approvalOf('r-gate', 1)).toBeUndefined();
    expect(deps.store.history).toHaveLength(before);
  });

  it('loses to a cancel that lands before the approval moves the release: 409, and no approval in the history', async () => {
    const deps = waitingRelease();
    deps.store.faults.before('transitionRelease', async () => {
      await deps.store.transitionRelease('r-gate', { to: 'CANCELED', reason: 'canceled' });
    });
    await expect(answerApproval(deps, approve(), meta())).rejects.toThrow(ConflictError);
    expect(deps.store.releases.get('r-gate')?.status).toBe('CANCELED');
    expect(deps.store.history.some((e) => e.reason?.startsWith('Approved'))).toBe(false);
  });
});

describe('answerApproval: reject', () => {
  it('cancels the release and its remaining waves and fails the gate with ApprovalRejected', async () => {
    const deps = waitingRelease();
    const view = await answerApproval(deps, reject('crash loop on 3 devices'), meta('bob'));
    expect(view.release.status).toBe('CANCELED');
    expect(view.release.statusReason).toBe('Rejected after wave 1 by bob: crash loop on 3 devices');
    expect(view.waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'CANCELED', 'CANCELED']);
    expect(deps.executions.failures).toEqual([
      {
        token: 'token-1',
        error: 'ApprovalRejected',
        cause: 'Rejected after wave 1 by bob: crash loop on 3 devices',
      },
    ]);
    // Told of the rejection, the workflow ends by itself: it is not stopped.
    expect(deps.executions.stops).toEqual([]);
  });

  it('stops the execution when the gate no longer listens', async () => {
    const deps = waitingRelease();
    deps.executions.openTokens.clear();
    const view = await answerApproval(deps, reject(), meta());
    expect(view.release.status).toBe('CANCELED');
    expect(deps.executions.stops).toHaveLength(1);
  });

  it('stops the execution when SendTaskFailure fails', async () => {
    const deps = waitingRelease();
    deps.executions.faults.fail('sendTaskFailure', new UpstreamError('down', 'InternalFailure'));
    await answerApproval(deps, reject(), meta());
    expect(deps.executions.stops).toHaveLength(1);
  });

  it('lets one of two concurrent rejections win', async () => {
    const deps = waitingRelease();
    const results = await Promise.allSettled([
      answerApproval(deps, reject(), meta()),
      answerApproval(deps, reject(), meta()),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(deps.executions.failures).toHaveLength(1);
  });
});
