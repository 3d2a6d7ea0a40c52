/**
 * An approval, a rejection or a resume that comes once a scheduled
 * release's end time has come is refused with 409: the workflow ends the
 * release by its end behaviour then, and an answer getting in first would
 * let it go on past its end. Before the end time they go through.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../lib/domain/errors.js';
import { answerApproval } from '../../../lib/releases/answer-approval.js';
import { refuseAfterEndTime } from '../../../lib/releases/end-time-guard.js';
import { pauseRelease, resumeRelease } from '../../../lib/releases/pause-release.js';
import { fakes, meta, releaseBody, waitingRelease } from './fakes.js';

/** The requests' clock (`meta`) is 2026-03-01T10:01Z. */
const ENDED = { schedulingConfig: { endTime: '2026-03-01T10:01' } };
const ENDS_LATER = { schedulingConfig: { endTime: '2026-03-01T11:00' } };

async function heldRelease(overrides: Record<string, unknown>) {
  const deps = fakes();
  deps.store.seed({ ...releaseBody(overrides), releaseId: 'r-p' }, 'IN_PROGRESS', [
    { status: 'IN_PROGRESS', jobId: 'r-p-w01' },
  ]);
  deps.executions.executions.set('r-p', { status: 'RUNNING', input: JSON.stringify({ releaseId: 'r-p' }) });
  await pauseRelease(deps, { releaseId: 'r-p' }, meta('alice'));
  await deps.store.holdRelease('r-p', { token: 'hold-1', where: 'before wave 2' });
  deps.executions.openTokens.add('hold-1');
  return deps;
}

describe('answers at the end time', () => {
  it('refuses an approval and a rejection at the end time with 409, sending nothing', async () => {
    const deps = waitingRelease('r-gate', ENDED);
    for (const decision of ['approve', 'reject'] as const) {
      const answer = answerApproval(deps, { releaseId: 'r-gate', decision }, meta('alice'));
      await expect(answer).rejects.toThrow(ConflictError);
      await expect(answerApproval(deps, { releaseId: 'r-gate', decision }, meta('alice'))).rejects.toThrow(
        /ended at its end time 2026-03-01T10:01 UTC/,
      );
    }
    expect(deps.executions.successes).toEqual([]);
    expect(deps.store.tokenOf('r-gate', 1)).toBe('token-1');
    expect((await deps.store.getRelease('r-gate')).release.status).toBe('WAITING_APPROVAL');
  });

  it('takes an approval before the end time', async () => {
    const deps = waitingRelease('r-gate', ENDS_LATER);
    const view = await answerApproval(deps, { releaseId: 'r-gate', decision: 'approve' }, meta('alice'));
    expect(view.release.status).toBe('IN_PROGRESS');
  });

  it('refuses a resume at the end time with 409, the release held as it was', async () => {
    const deps = await heldRelease(ENDED);
    await expect(resumeRelease(deps, { releaseId: 'r-p' }, meta('bob'))).rejects.toThrow(
      /ended at its end time/,
    );
    expect(deps.executions.successes).toEqual([]);
    expect((await deps.store.getRelease('r-p')).release.status).toBe('PAUSED');
    const later = await heldRelease(ENDS_LATER);
    expect((await resumeRelease(later, { releaseId: 'r-p' }, meta('bob'))).release.status).not.toBe('PAUSED');
  });

  it('names the end of its lifetime when a release without an end time outlived it', () => {
    const release = { releaseId: 'r-old', createdAt: '2025-03-01T10:00:00.000Z' };
    const lifetimeEnd = Date.parse(release.createdAt) + 364 * 24 * 3_600_000;
    expect(() => refuseAfterEndTime(release, lifetimeEnd - 1, 'the approval')).not.toThrow();
    expect(() => refuseAfterEndTime(release, lifetimeEnd, 'the approval')).toThrow(
      'Release r-old ended at the end of its lifetime 2026-02-28T10:00 UTC; the approval comes too late.',
    );
  });
});
