/**
 * The API side of a pause with `haltRollout`: the running wave's job is
 * recorded on the pause in one write, then canceled without force; the
 * failure modes leave the halt recorded for whoever comes next.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ThrottledError } from '../../../lib/domain/errors.js';
import { followUpJobId, HALT_REASON_CODE, MAX_FOLLOW_UP_JOBS } from '../../../lib/domain/wave-halt.js';
import { pauseRelease } from '../../../lib/releases/pause-release.js';
import { fakes, meta, releaseBody } from './fakes.js';

const halt = { releaseId: 'r-h', haltRollout: true };

/** A release running wave 1 (its job `r-h-w01` running in IoT), `followUps` follow-up jobs before it. */
function runningWave(followUps = 0) {
  const deps = fakes();
  const followUpJobIds = Array.from({ length: followUps }, (_, i) => followUpJobId('r-h', 1, i + 1));
  deps.store.seed({ ...releaseBody(), releaseId: 'r-h' }, 'IN_PROGRESS', [
    { status: 'IN_PROGRESS', jobId: 'r-h-w01', ...(followUps > 0 && { followUpJobIds }) },
  ]);
  const release = deps.store.releases.get('r-h');
  if (release) release.currentWave = 1;
  const running = followUpJobIds.at(-1) ?? 'r-h-w01';
  deps.jobs.jobs.set(running, 'IN_PROGRESS');
  return { deps, running };
}

describe('pauseRelease with haltRollout', () => {
  it('records the halted job on the pause in one write, then cancels it without force', async () => {
    const { deps } = runningWave();
    const writes = deps.store.writes;
    let writesBeforeCancel = 0;
    deps.jobs.faults.before('cancel', () => {
      writesBeforeCancel = deps.store.writes;
    });
    const view = await pauseRelease(deps, { ...halt, comment: 'incident' }, meta('alice'));
    expect(view.release).toMatchObject({
      status: 'IN_PROGRESS',
      pause: { requestedBy: 'alice', comment: 'incident', haltRollout: true, haltedJobId: 'r-h-w01' },
    });
    // One write of the release before the cancel (then the wave's record after it).
    expect(writesBeforeCancel).toBe(writes + 1);
    expect(deps.store.writes).toBe(writes + 2);
    expect(
      deps.jobs.cancels.map((c) => ({ jobId: c.jobId, reasonCode: c.reasonCode, force: c.force ?? false })),
    ).toEqual([{ jobId: 'r-h-w01', reasonCode: HALT_REASON_CODE, force: false }]);
    expect(deps.jobs.jobs.get('r-h-w01')).toBe('CANCELED');
    // The halt is on the wave too, where it outlives the pause should a resume come first.
    expect(view.waves[0]).toMatchObject({ status: 'IN_PROGRESS', halt: { jobId: 'r-h-w01' } });
  });

  it('leaves a follow-up job not created yet to the workflow, the halt recorded', async () => {
    const { deps, running } = runningWave(1);
    deps.jobs.jobs.delete(running);
    const view = await pauseRelease(deps, halt, meta());
    expect(view.release.pause?.haltedJobId).toBe(running);
    expect(view.waves[0]?.halt).toBeUndefined();
  });

  it('halts the running follow-up job of a wave halted before', async () => {
    const { deps, running } = runningWave(2);
    const view = await pauseRelease(deps, halt, meta());
    expect(view.release.pause?.haltedJobId).toBe('r-h-w01-r2');
    expect(deps.jobs.cancels.map((c) => c.jobId)).toEqual([running]);
  });

  it('answers a repeat 200 unchanged, with nothing written', async () => {
    const { deps } = runningWave();
    const first = await pauseRelease(deps, halt, meta('alice'));
    const writes = deps.store.writes;
    const again = await pauseRelease(deps, halt, meta('bob'));
    expect(again.release).toEqual(first.release);
    expect(deps.store.writes).toBe(writes);
  });

  it('halts a release whose pause was asked for without halt (the later ask is the stronger)', async () => {
    const { deps } = runningWave();
    const plain = await pauseRelease(deps, { releaseId: 'r-h', comment: 'first' }, meta('alice'));
    expect(plain.release.pause?.haltRollout).toBeUndefined();
    expect(deps.jobs.cancels).toEqual([]);
    const halted = await pauseRelease(deps, halt, meta('bob'));
    expect(halted.release.pause).toMatchObject({
      requestedBy: 'alice',
      comment: 'first',
      requestedAt: plain.release.pause?.requestedAt,
      haltRollout: true,
      haltedJobId: 'r-h-w01',
    });
    expect(deps.jobs.cancels.map((c) => c.jobId)).toEqual(['r-h-w01']);
  });

  it('keeps the halt recorded when CancelJob is throttled; a repeat of the pause finishes it', async () => {
    const { deps } = runningWave();
    deps.jobs.faults.fail('cancel', new ThrottledError('IoT is throttling', 1));
    await expect(pauseRelease(deps, halt, meta('alice'))).rejects.toThrow(ThrottledError);
    const { release } = await deps.store.getRelease('r-h');
    expect(release.pause).toMatchObject({ haltRollout: true, haltedJobId: 'r-h-w01' });
    expect(deps.jobs.jobs.get('r-h-w01')).toBe('IN_PROGRESS');
    const retried = await pauseRelease(deps, halt, meta('alice'));
    expect(retried.release.pause).toEqual(release.pause);
    expect(deps.jobs.jobs.get('r-h-w01')).toBe('CANCELED');
  });

  it('is a plain pause when no wave job runs (between waves, held), with nothing canceled', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-h' }, 'IN_PROGRESS', [
      { status: 'SUCCEEDED', jobId: 'r-h-w01' },
    ]);
    const view = await pauseRelease(deps, halt, meta());
    expect(view.release.pause).toBeDefined();
    expect(view.release.pause?.haltRollout).toBeUndefined();
    expect(deps.jobs.cancels).toEqual([]);
  });

  it('refuses a 100th halt of a wave with 409, nothing stored', async () => {
    const { deps } = runningWave(MAX_FOLLOW_UP_JOBS);
    const writes = deps.store.writes;
    await expect(pauseRelease(deps, halt, meta())).rejects.toThrow(ConflictError);
    expect(deps.store.writes).toBe(writes);
    expect(deps.jobs.cancels).toEqual([]);
  });

  it('refuses to halt a release whose id is from before the 56-character limit (no follow-up id fits), nothing stored', async () => {
    const deps = fakes();
    const id = `legacy-${'x'.repeat(52)}`;
    deps.store.seed({ ...releaseBody(), releaseId: 'r-h' }, 'IN_PROGRESS', [
      { status: 'IN_PROGRESS', jobId: `${id}-w01` },
    ]);
    const seeded = deps.store.releases.get('r-h');
    if (!seeded) throw new Error('not seeded');
    deps.store.releases.delete('r-h');
    deps.store.releases.set(id, { ...seeded, releaseId: id, currentWave: 1 });
    const wave = deps.store.waves.get('r-h#1');
    if (!wave) throw new Error('no wave');
    deps.store.waves.set(`${id}#1`, { ...wave, releaseId: id });
    const writes = deps.store.writes;
    await expect(pauseRelease(deps, { releaseId: id, haltRollout: true }, meta())).rejects.toThrow(
      /cannot be halted. Pause it without haltRollout/,
    );
    expect(deps.store.writes).toBe(writes);
    expect(deps.jobs.cancels).toEqual([]);
  });

  it('refuses an ended release with 409 and a missing one with 404', async () => {
    const deps = fakes();
    deps.store.seed({ ...releaseBody(), releaseId: 'r-h' }, 'FAILED');
    await expect(pauseRelease(deps, halt, meta())).rejects.toThrow(ConflictError);
    await expect(pauseRelease(deps, { releaseId: 'nope', haltRollout: true }, meta())).rejects.toThrow(
      NotFoundError,
    );
    expect(deps.jobs.cancels).toEqual([]);
  });
});
