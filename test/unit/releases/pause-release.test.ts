import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, UpstreamError } from '../../../lib/domain/errors.js';
import { pauseRelease, resumeRelease } from '../../../lib/releases/pause-release.js';
import { fakes, meta, releaseBody } from './fakes.js';

const input = (comment?: string) => ({ releaseId: 'r-p', comment });

/** A release running wave 1, its execution running. */
function runningRelease() {
  const deps = fakes();
  deps.store.seed({ ...releaseBody(), releaseId: 'r-p' }, 'IN_PROGRESS', [
    { status: 'IN_PROGRESS', jobId: 'r-p-w01' },
  ]);
  deps.executions.executions.set('r-p', { status: 'RUNNING', input: JSON.stringify({ releaseId: 'r-p' }) });
  return deps;
}

/** A release the workflow holds PAUSED with `hold-1` (its task open). */
async function heldRelease() {
  const deps = runningRelease();
  await pauseRelease(deps, input('support calls'), meta('alice'));
  await deps.store.holdRelease('r-p', { token: 'hold-1', where: 'before wave 2' });
  deps.executions.openTokens.add('hold-1');
  return deps;
}

describe('pauseRelease', () => {
  it('records the pause on a running release in one write, which goes on until the workflow holds it', async () => {
    const deps = runningRelease();
    const writes = deps.store.writes;
    const view = await pauseRelease(deps, input('support calls'), meta('alice'));
    expect(view.release.status).toBe('IN_PROGRESS');
    expect(view.release.pause).toEqual({
      requestedAt: '2026-03-01T10:01:00.000Z',
      requestedBy: 'alice',
      comment: 'support calls',
    });
    expect(view.links).toMatchObject({ resume: '/releases/r-p/resume' });
    expect(view.links).not.toHaveProperty('pause');
    expect(deps.store.writes).toBe(writes + 1);
    expect(deps.executions.successes).toEqual([]);
  });

  it('answers a pause asked for again, or of a held release, unchanged', async () => {
    const deps = await heldRelease();
    const before = await deps.store.getRelease('r-p');
    const writes = deps.store.writes;
    const view = await pauseRelease(deps, input('again'), meta('bob'));
    expect(view.release).toMatchObject({ status: 'PAUSED', pause: before.release.pause });
    expect(deps.store.writes).toBe(writes);
  });

  it('refuses a release that has ended with 409, and a missing one with 404', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-p' }, 'SUCCEEDED');
    await expect(pauseRelease(deps, input(), meta())).rejects.toThrow(ConflictError);
    await expect(pauseRelease(deps, { releaseId: 'nope' }, meta())).rejects.toThrow(NotFoundError);
  });
});

describe('the hold (the workflow side of a pause)', () => {
  it('moves the release PAUSED, keeps the token unseen, and says where and who asked in the history', async () => {
    const deps = await heldRelease();
    const { release } = await deps.store.getRelease('r-p');
    expect(release.status).toBe('PAUSED');
    expect(release.pause?.heldAt).toBeDefined();
    expect(JSON.stringify(release)).not.toContain('hold-1');
    expect(deps.store.holdTokenOf('r-p')).toBe('hold-1');
    expect(deps.store.history.at(-1)).toMatchObject({
      from: 'IN_PROGRESS',
      to: 'PAUSED',
      actor: 'alice',
      reason: 'Held before wave 2, as asked at 2026-03-01T10:01:00.000Z by alice: support calls',
    });
  });

  it('stores nothing when no pause is asked for (it was withdrawn)', async () => {
    const deps = runningRelease();
    const held = await deps.store.holdRelease('r-p', { token: 'hold-1', where: 'before wave 2' });
    expect(held).toMatchObject({ held: false, moved: false });
    expect(deps.store.holdTokenOf('r-p')).toBeUndefined();
  });

  it('entered again for a PAUSED release, takes the new token without a second status change', async () => {
    const deps = await heldRelease();
    const events = deps.store.history.length;
    const again = await deps.store.holdRelease('r-p', { token: 'hold-2', where: 'before wave 2' });
    expect(again).toMatchObject({ held: true, moved: false });
    expect(deps.store.holdTokenOf('r-p')).toBe('hold-2');
    expect(deps.store.history).toHaveLength(events);
  });
});

describe('resumeRelease', () => {
  it('moves a held release back to IN_PROGRESS in one write, then sends the hold its resume', async () => {
    const deps = await heldRelease();
    const view = await resumeRelease(deps, input('false alarm'), meta('bob'));
    expect(view.release.status).toBe('IN_PROGRESS');
    expect(view.release.pause).toBeUndefined();
    expect(view.links).toMatchObject({ pause: '/releases/r-p/pause' });
    expect(deps.executions.successes).toEqual([
      {
        token: 'hold-1',
        output: {
          resumed: true,
          resumedAt: '2026-03-01T10:01:00.000Z',
          resumedBy: 'bob',
          comment: 'false alarm',
        },
      },
    ]);
    expect(deps.store.holdTokenOf('r-p')).toBeUndefined();
    expect(deps.store.history.at(-1)).toMatchObject({
      from: 'PAUSED',
      to: 'IN_PROGRESS',
      actor: 'bob',
      reason: 'Resumed by bob: false alarm',
    });
  });

  it('withdraws a pause not held yet: the release goes on, nothing is sent', async () => {
    const deps = runningRelease();
    await pauseRelease(deps, input(), meta('alice'));
    const view = await resumeRelease(deps, input(), meta('alice'));
    expect(view.release).toMatchObject({ status: 'IN_PROGRESS' });
    expect(view.release.pause).toBeUndefined();
    expect(deps.executions.successes).toEqual([]);
  });

  it('refuses a release that is not paused with 409, changing nothing', async () => {
    const deps = runningRelease();
    const writes = deps.store.writes;
    await expect(resumeRelease(deps, input(), meta())).rejects.toThrow(
      /not paused; there is nothing to resume/,
    );
    expect(deps.store.writes).toBe(writes);
  });

  it('a second resume is a 409: the first one took the token', async () => {
    const deps = await heldRelease();
    await resumeRelease(deps, input(), meta('bob'));
    await expect(resumeRelease(deps, input(), meta('carol'))).rejects.toThrow(ConflictError);
    expect(deps.executions.successes).toHaveLength(1);
  });

  it('keeps a resume the hold did not take while an execution runs (it is coming back to the hold)', async () => {
    const deps = await heldRelease();
    deps.executions.openTokens.clear();
    const view = await resumeRelease(deps, input(), meta('bob'));
    expect(view.release.status).toBe('IN_PROGRESS');
  });

  it('puts the release back as it was, token and all, when no execution runs to take the resume', async () => {
    const deps = await heldRelease();
    const before = await deps.store.getRelease('r-p');
    deps.executions.openTokens.clear();
    deps.executions.executions.set('r-p', { status: 'ABORTED', input: '' });
    await expect(resumeRelease(deps, input(), meta('bob'))).rejects.toThrow(/no workflow runs it/);
    const after = await deps.store.getRelease('r-p');
    expect(after.release).toMatchObject({ status: 'PAUSED', pause: before.release.pause });
    expect(deps.store.holdTokenOf('r-p')).toBe('hold-1');
  });

  it('puts the release back when the send fails, so the same resume can be sent again', async () => {
    const deps = await heldRelease();
    deps.executions.faults.fail('sendTaskSuccess', new UpstreamError('Step Functions is down'));
    await expect(resumeRelease(deps, input(), meta('bob'))).rejects.toThrow(UpstreamError);
    expect((await deps.store.getRelease('r-p')).release.status).toBe('PAUSED');
    const view = await resumeRelease(deps, input(), meta('bob'));
    expect(view.release.status).toBe('IN_PROGRESS');
    expect(deps.executions.successes).toHaveLength(1);
  });
});
