/**
 * The workflow side of a pause: PrepareWave, CheckWave and FinishRelease
 * answer `hold` while a pause is asked for; HoldRelease holds the release
 * PAUSED on its token and announces it once; ContinueRelease announces the
 * resume and goes back to where the release stood.
 */
import { describe, expect, it } from 'vitest';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { checkWave } from '../../../lib/workflow/check-wave.js';
import { continueRelease } from '../../../lib/workflow/continue-release.js';
import { holdRelease } from '../../../lib/workflow/hold-release.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { startWave } from '../../../lib/workflow/start-wave.js';
import type { WorkflowState } from '../../../lib/workflow/workflow-state.js';
import { type FakeWorkflow, fakeWorkflow, NOW } from './fakes.js';

const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();

/** A two-wave release whose wave 1 (`bakeTimeMinutes`) just passed CheckWave, with a pause asked for while it ran. */
async function pausedWhileWave1Ran(deps: FakeWorkflow, bakeTimeMinutes = 0): Promise<WorkflowState> {
  deps.store.seed({
    releaseId: 'r1',
    jobTemplateId: 'fw-2-0',
    waves: [{ targets: { things: ['a', 'b'] }, bakeTimeMinutes }, { targets: { things: ['c'] } }],
  });
  const started = await startRelease(deps, { state: { releaseId: 'r1' }, now: NOW });
  const prepared = await prepareWave(deps, { state: started, now: NOW });
  const state = await startWave(deps, { state: prepared, now: NOW });
  await deps.store.requestPause('r1', { at: at(60), actor: 'alice' });
  deps.jobs.progress('r1-w01', {
    status: 'COMPLETED',
    counts: { ...ZERO_COUNTS, numberOfSucceededThings: 2 },
  });
  return checkWave(deps, { state, now: at(300) });
}

describe('pause in the workflow', () => {
  it('lets the running wave succeed, then holds before the next wave: PAUSED, announced once, no job', async () => {
    const deps = fakeWorkflow();
    const passed = await pausedWhileWave1Ran(deps);
    expect(passed).toMatchObject({ next: 'wave', nextWaveNumber: 2 });
    const prepared = await prepareWave(deps, { state: passed, now: at(301) });
    expect(prepared.next).toBe('hold');
    expect((await deps.store.getWave('r1', 2)).status).toBe('PENDING');

    await holdRelease(deps, { state: prepared, now: at(302), taskToken: 'hold-1' });
    await holdRelease(deps, { state: prepared, now: at(303), taskToken: 'hold-2' });
    const { release } = await deps.store.getRelease('r1');
    expect(release).toMatchObject({
      status: 'PAUSED',
      statusReason: expect.stringMatching(/^Held before wave 2/),
    });
    expect(deps.store.holdTokenOf('r1')).toBe('hold-2');
    expect(deps.notifier.events.filter((e) => e.detailType === 'Release Paused')).toHaveLength(1);
    expect(deps.waker.wakes).toEqual([]);
    expect([...deps.jobs.jobs.keys()]).toEqual(['r1-w01']);
  });

  it('holds a wave that passes with bake time in its bake', async () => {
    const deps = fakeWorkflow();
    const passed = await pausedWhileWave1Ran(deps, 30);
    expect(passed.next).toBe('hold');
    expect((await deps.store.getWave('r1', 1)).status).toBe('BAKING');
  });

  it('a hold that finds the pause withdrawn sends itself on at once, storing nothing', async () => {
    const deps = fakeWorkflow();
    const prepared = await prepareWave(deps, { state: await pausedWhileWave1Ran(deps), now: at(301) });
    await deps.store.resumeRelease('r1', { at: at(302) });
    await holdRelease(deps, { state: prepared, now: at(303), taskToken: 'hold-1' });
    expect(deps.waker.wakes).toEqual([{ taskToken: 'hold-1', output: {} }]);
    expect((await deps.store.getRelease('r1')).release.status).toBe('IN_PROGRESS');
    const next = await continueRelease(deps, { state: { ...prepared, resume: {} }, now: at(304) });
    expect(next).toMatchObject({ next: 'wave', nextWaveNumber: 2 });
    expect(deps.notifier.events.map((e) => e.detailType)).not.toContain('Release Resumed');
  });

  it('after a resume, announces it and goes on to the next wave; still PAUSED (a timeout), holds again', async () => {
    const deps = fakeWorkflow();
    const prepared = await prepareWave(deps, { state: await pausedWhileWave1Ran(deps), now: at(301) });
    await holdRelease(deps, { state: prepared, now: at(302), taskToken: 'hold-1' });
    expect(await continueRelease(deps, { state: prepared, now: at(900) })).toMatchObject({ next: 'hold' });

    await deps.store.resumeRelease('r1', { at: at(1000), actor: 'bob' });
    const resume = { resumed: true, resumedAt: at(1000), resumedBy: 'bob' };
    const next = await continueRelease(deps, { state: { ...prepared, resume }, now: at(1001) });
    expect(next).toMatchObject({ next: 'wave', nextWaveNumber: 2 });
    const resumed = deps.notifier.events.find((e) => e.detailType === 'Release Resumed');
    expect(resumed?.detail).toMatchObject({ resumedBy: 'bob', releaseStatus: 'IN_PROGRESS' });
  });
});
