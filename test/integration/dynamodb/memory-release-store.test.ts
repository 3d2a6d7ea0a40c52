/**
 * The in-memory release store the unit tests use (test/support) against the
 * DynamoDB repository it stands in for: the same calls, with times given
 * out of write order, leave the same release, the same waves and the same
 * history, listed in the same order.
 */
import { describe, expect, it } from 'vitest';
import type { ReleaseStore } from '../../../lib/domain/release-store.js';
import { MemoryReleaseStore } from '../../support/memory-release-store.js';
import { counts, ManualClock, releaseRequest, uniqueId, useRepository } from './fixtures.js';

/**
 * A release whose events are written in one order and timed in another: a
 * wave started at a time before the release's own move, and a wave moved to
 * BAKING at a time before the observation written just before it.
 */
async function play(store: ReleaseStore, releaseId: string, t0: number): Promise<void> {
  const s = (seconds: number) => t0 + seconds * 1000;
  await store.createRelease(releaseRequest(releaseId));
  await store.transitionRelease(releaseId, { to: 'IN_PROGRESS', currentWave: 1, at: s(2) });
  await store.startWave(releaseId, 1, { jobId: `${releaseId}-w01`, expectedThings: 10, at: s(1) });
  await store.recordWaveProgress(releaseId, 1, {
    counts: counts({ numberOfSucceededThings: 10 }),
    jobStatus: 'COMPLETED',
    polledAt: s(5),
  });
  await store.transitionWave(releaseId, 1, 'BAKING', { at: s(4), reason: 'baking' });
  await store.storeTaskToken(releaseId, 1, { token: 'secret', purpose: 'APPROVAL', at: s(6) });
  await store.finishWave(releaseId, 1, 'SUCCEEDED', { at: s(10) });
  // A retried move changes nothing and writes nothing.
  await store.finishWave(releaseId, 1, 'SUCCEEDED', { at: s(11) });
  await store.markRemainingWavesCanceled(releaseId, { at: s(12), reason: 'stopped' });
  await store.transitionRelease(releaseId, { to: 'CANCELED', at: s(12), reason: 'stopped' });
}

/** A pause asked for, held, entered again, resumed, a resume that is undone, and a resume again. */
async function playPause(
  store: ReleaseStore,
  releaseId: string,
  t0: number,
  clock: ManualClock,
): Promise<string[]> {
  const s = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
  const taken: string[] = [];
  clock.ms = t0;
  await store.createRelease(releaseRequest(releaseId));
  await store.transitionRelease(releaseId, { to: 'IN_PROGRESS', currentWave: 1, at: s(1) });
  await store.requestPause(releaseId, { at: s(2), actor: 'alice', comment: 'look first' });
  await store.requestPause(releaseId, { at: s(3), actor: 'bob' });
  await store.holdRelease(releaseId, { token: 'hold-1', where: 'before wave 2', at: s(4) });
  await store.holdRelease(releaseId, { token: 'hold-2', where: 'before wave 2', at: s(5) });
  const undone = await store.resumeRelease(releaseId, { at: s(6), actor: 'carol' });
  taken.push(undone.taken ?? '');
  // An undo takes the store's own time.
  clock.ms = t0 + 7000;
  await store.withdrawResume(releaseId, undone.undo);
  const resumed = await store.resumeRelease(releaseId, { at: s(8), actor: 'carol', comment: 'go' });
  taken.push(resumed.taken ?? '');
  return taken;
}

describe('MemoryReleaseStore against the DynamoDB repository', () => {
  const clock = new ManualClock();
  const store = useRepository(clock);

  it('leaves the same release, waves and history, in the same order, for the same calls', async () => {
    const releaseId = uniqueId('twin');
    const memory = new MemoryReleaseStore(() => clock.now());
    await play(store.repo, releaseId, clock.now());
    await play(memory, releaseId, clock.now());

    const history = async (s: ReleaseStore) =>
      (await s.listHistory(releaseId, { limit: 100 })).items.map(({ seq: _seq, ...event }) => event);
    const fromRepository = await history(store.repo);
    expect(fromRepository.map((e) => `${e.at.slice(17, 19)} ${e.type} ${e.to ?? ''}`)).toEqual([
      '00 RELEASE_CREATED PENDING',
      '01 WAVE_STATUS_CHANGED IN_PROGRESS',
      '02 RELEASE_STATUS_CHANGED IN_PROGRESS',
      '04 WAVE_STATUS_CHANGED BAKING',
      '05 WAVE_PROGRESS ',
      '10 WAVE_STATUS_CHANGED SUCCEEDED',
      '12 WAVE_STATUS_CHANGED CANCELED',
      '12 WAVE_STATUS_CHANGED CANCELED',
      '12 RELEASE_STATUS_CHANGED CANCELED',
    ]);
    expect(await history(memory)).toEqual(fromRepository);
    expect(await memory.getRelease(releaseId)).toEqual(await store.repo.getRelease(releaseId));
  });

  it('pauses, holds, resumes and undoes a resume alike: the same release, history and tokens', async () => {
    const releaseId = uniqueId('twin-pause');
    const memory = new MemoryReleaseStore(() => clock.now());
    const t0 = clock.now();
    const fromRepository = await playPause(store.repo, releaseId, t0, clock);
    expect(fromRepository).toEqual(['hold-2', 'hold-2']);
    expect(await playPause(memory, releaseId, t0, clock)).toEqual(fromRepository);

    const trail = async (s: ReleaseStore) =>
      (await s.listHistory(releaseId, { limit: 100 })).items.map(
        (e) => `${e.from ?? ''}>${e.to} ${e.actor ?? ''}`,
      );
    expect(await trail(store.repo)).toEqual([
      '>PENDING fleetwave',
      'PENDING>IN_PROGRESS fleetwave',
      'IN_PROGRESS>PAUSED alice',
      'PAUSED>IN_PROGRESS carol',
      'IN_PROGRESS>PAUSED alice',
      'PAUSED>IN_PROGRESS carol',
    ]);
    expect(await trail(memory)).toEqual(await trail(store.repo));
    const { release } = await store.repo.getRelease(releaseId);
    expect(release).toMatchObject({ status: 'IN_PROGRESS', version: 8 });
    expect(release.pause).toBeUndefined();
    expect(await memory.getRelease(releaseId)).toEqual(await store.repo.getRelease(releaseId));
  });
});
