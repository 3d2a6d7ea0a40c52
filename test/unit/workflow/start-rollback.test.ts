/**
 * The automatic rollback (`onFailure.rollback`) with in-memory fakes: a
 * failed wave starts exactly one rollback release over the succeeded
 * things, announced after *Release Failed*; a retried FailWave finishes
 * what an interrupted one began; no rollback without devices that took the
 * version, without the option, or after a cancel.
 */
import { describe, expect, it } from 'vitest';
import { ThrottledError } from '../../../lib/domain/errors.js';
import type { ReleaseRequestInput } from '../../../lib/domain/release-request.js';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { failWave } from '../../../lib/workflow/fail-wave.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { startWave } from '../../../lib/workflow/start-wave.js';
import { type FakeWorkflow, fakeWorkflow, NOW } from './fakes.js';

const failure = {
  waveStatus: 'FAILED',
  cause: 'FAILURE_THRESHOLD',
  reason: '3 of 10 things failed.',
} as const;

/** Wave 1 of `r1` running, with `succeeded` of its things SUCCEEDED so far. */
async function failing(deps: FakeWorkflow, succeeded: number, extra: Partial<ReleaseRequestInput> = {}) {
  await deps.store.seed({
    releaseId: 'r1',
    jobTemplateId: 'fw-2-0',
    waves: [{ targets: { things: ['a', 'b'] } }, { targets: { things: ['c'] } }],
    onFailure: { rollback: { jobTemplateId: 'fw-1-9', waves: [{ percentage: 50 }, { percentage: 100 }] } },
    ...extra,
  });
  const started = await startRelease(deps, { state: { releaseId: 'r1' }, now: NOW });
  const state = await startWave(deps, {
    state: await prepareWave(deps, { state: started, now: NOW }),
    now: NOW,
  });
  await deps.store.recordWaveProgress('r1', 1, {
    counts: { ...ZERO_COUNTS, numberOfSucceededThings: succeeded, numberOfFailedThings: 3 },
    jobStatus: 'IN_PROGRESS',
  });
  return { ...state, next: 'fail' as const, failure };
}

describe('the automatic rollback', () => {
  it('starts one rollback release over the things that took the version, after Release Failed', async () => {
    const deps = fakeWorkflow();
    const state = await failing(deps, 7);
    await failWave(deps, { state, now: NOW });
    const { release: rollback } = await deps.store.getRelease('r1-rollback');
    expect(rollback).toMatchObject({
      status: 'PENDING',
      jobTemplateId: 'fw-1-9',
      rollbackOf: 'r1',
      createdBy: 'fleetwave',
      targets: { thingGroups: ['fleetwave-r1-rollback-targets'] },
      targetSet: { sourceReleaseId: 'r1', statuses: ['SUCCEEDED'] },
    });
    expect(rollback.waves.map((w) => w.percentage)).toEqual([50, 100]);
    expect(rollback.onFailure).toBeUndefined();
    expect(deps.executions.started).toEqual(['r1-rollback']);
    expect((await deps.store.listHistory('r1')).items.at(-1)).toMatchObject({
      type: 'RELEASE_LINKED',
      relatedReleaseId: 'r1-rollback',
      reason: 'Rolled back by release r1-rollback',
      actor: 'fleetwave',
    });
    expect((await deps.store.listHistory('r1-rollback')).items[0]).toMatchObject({
      type: 'RELEASE_CREATED',
      relatedReleaseId: 'r1',
    });
    expect(deps.notifier.types.slice(-2)).toEqual(['Release Failed', 'Rollback Started']);
    expect(deps.notifier.events.at(-1)?.detail).toMatchObject({
      releaseStatus: 'FAILED',
      rollbackReleaseId: 'r1-rollback',
      rollbackJobTemplateId: 'fw-1-9',
      countedThings: 7,
      failedWaveNumber: 1,
    });
  });

  it('is finished by a retried FailWave when starting the execution was throttled, with one release and one id', async () => {
    const deps = fakeWorkflow();
    const state = await failing(deps, 7);
    const start = deps.executions.start.bind(deps.executions);
    let throttled = false;
    deps.executions.start = async (id) => {
      if (!throttled) {
        throttled = true;
        throw new ThrottledError('slow down', 1);
      }
      return start(id);
    };
    await expect(failWave(deps, { state, now: NOW })).rejects.toBeInstanceOf(ThrottledError);
    expect((await deps.store.getRelease('r1')).release.status).toBe('FAILED');
    await failWave(deps, { state, now: NOW });
    expect(deps.executions.started).toEqual(['r1-rollback']);
    expect((await deps.store.listReleases()).items.map((r) => r.releaseId).sort()).toEqual([
      'r1',
      'r1-rollback',
    ]);
    const ids = deps.notifier.events
      .filter((e) => e.detailType === 'Rollback Started')
      .map((e) => e.detail.notificationId);
    expect(new Set(ids)).toEqual(new Set(['r1/rollback-started']));
  });

  it('starts the rollback of a wave that failed while its devices still ran, none of them succeeded yet', async () => {
    const deps = fakeWorkflow();
    const state = await failing(deps, 0);
    await deps.store.recordWaveProgress('r1', 1, {
      counts: { ...ZERO_COUNTS, numberOfFailedThings: 3, numberOfInProgressThings: 7 },
      jobStatus: 'IN_PROGRESS',
      polledAt: '2026-01-01T00:01:00.000Z',
    });
    await failWave(deps, { state, now: NOW });
    expect(deps.executions.started).toEqual(['r1-rollback']);
    expect(deps.notifier.events.at(-1)?.detail).toMatchObject({ countedThings: 7 });
  });

  it('starts nothing when no device took the version, or when the release does not ask for it', async () => {
    const none = fakeWorkflow();
    await failWave(none, { state: await failing(none, 0), now: NOW });
    const unasked = fakeWorkflow();
    await failWave(unasked, { state: await failing(unasked, 7, { onFailure: undefined }), now: NOW });
    for (const deps of [none, unasked]) {
      expect(deps.executions.started).toEqual([]);
      expect(deps.notifier.types).not.toContain('Rollback Started');
      expect((await deps.store.listReleases()).items).toHaveLength(1);
    }
  });

  it("leaves a person's rollback that took the id first standing, and starts none of its own", async () => {
    const deps = fakeWorkflow();
    const state = await failing(deps, 7);
    await deps.store.seed({
      releaseId: 'r1-rollback',
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things: ['a'] } }],
    });
    expect((await failWave(deps, { state, now: NOW })).next).toBe('failed');
    expect(deps.executions.started).toEqual([]);
    expect(deps.notifier.types).not.toContain('Rollback Started');
  });

  it('never rolls back a release canceled meanwhile', async () => {
    const deps = fakeWorkflow();
    const state = await failing(deps, 7);
    deps.store.interleave(() => {
      const release = deps.store.releases.get('r1');
      if (release)
        deps.store.releases.set('r1', { ...release, status: 'CANCELED', statusReason: 'by alice' });
    });
    expect((await failWave(deps, { state, now: NOW })).next).toBe('canceled');
    expect(deps.executions.started).toEqual([]);
  });
});
