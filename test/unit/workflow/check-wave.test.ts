/**
 * CheckWave and CheckBake with in-memory fakes: the adaptive wait, passing
 * with and without a bake, failing on the threshold, a deleted job, a
 * timeout, re-runs after the wave moved on, throttled DescribeJob, and a
 * release canceled between polls.
 */
import { describe, expect, it } from 'vitest';
import { ThrottledError } from '../../../lib/domain/errors.js';
import type { ReleaseRequestInput } from '../../../lib/domain/release-request.js';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { checkBake } from '../../../lib/workflow/check-bake.js';
import { checkWave } from '../../../lib/workflow/check-wave.js';
import type { WorkflowState } from '../../../lib/workflow/workflow-state.js';
import { type FakeWorkflow, fakeWorkflow, firstWaveStarted, NOW } from './fakes.js';

const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();
const things = Array.from({ length: 10 }, (_, i) => `t${i}`);

/** A release whose first wave (10 things) has its job; returns the state after StartWave. */
function running(
  deps: FakeWorkflow,
  wave: Partial<ReleaseRequestInput['waves'][number]> = {},
): Promise<WorkflowState> {
  return firstWaveStarted(deps, {
    waves: [{ targets: { things }, ...wave }, { targets: { things: ['t10'] } }],
  });
}

const succeeded = (n: number) => ({
  ...ZERO_COUNTS,
  numberOfSucceededThings: n,
  numberOfQueuedThings: 10 - n,
});

describe('CheckWave', () => {
  it('polls again sooner after a change and later while nothing moves, recording only changes', async () => {
    const deps = fakeWorkflow();
    let state = await running(deps);
    deps.jobs.progress('r1-w01', { counts: { ...ZERO_COUNTS, numberOfInProgressThings: 10 } });
    state = await checkWave(deps, { state, now: at(15) });
    expect(state.poll?.waitSeconds).toBe(15);
    const writes = deps.store.writes;
    state = await checkWave(deps, { state, now: at(30) });
    expect(state).toMatchObject({ next: 'poll', poll: { waitSeconds: 30 } });
    state = await checkWave(deps, { state, now: at(60) });
    expect(state.poll?.waitSeconds).toBe(60);
    expect(deps.store.writes).toBe(writes);
    deps.jobs.progress('r1-w01', { counts: succeeded(3) });
    state = await checkWave(deps, { state, now: at(120) });
    expect(state.poll?.waitSeconds).toBe(15);
    expect(deps.store.writes).toBe(writes + 1);
  });

  it('ends a passed wave without bake SUCCEEDED and routes to the next wave; a re-run routes the same', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    deps.jobs.progress('r1-w01', { status: 'COMPLETED', counts: succeeded(10) });
    const out = await checkWave(deps, { state, now: at(300) });
    expect(out).toMatchObject({ next: 'wave', nextWaveNumber: 2, waveNumber: 1 });
    expect((await deps.store.getWave('r1', 1)).status).toBe('SUCCEEDED');
    const again = await checkWave(deps, { state, now: at(300) });
    expect(again).toEqual(out);
    expect(deps.store.history.filter((e) => e.to === 'SUCCEEDED')).toHaveLength(1);
  });

  it('bakes a passed wave, re-checks failures at the end of the bake, then routes to the approval gate', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps, { bakeTimeMinutes: 90, requireApproval: true });
    deps.jobs.progress('r1-w01', { status: 'COMPLETED', counts: succeeded(10) });
    const baking = await checkWave(deps, { state, now: at(300) });
    expect(baking).toMatchObject({ next: 'bake', bake: { waitSeconds: 3600 } });
    expect((await deps.store.getWave('r1', 1)).status).toBe('BAKING');
    const halfway = await checkBake(deps, { state: baking, now: at(300 + 3600) });
    expect(halfway).toMatchObject({ next: 'bake', bake: { waitSeconds: 1800 } });
    const baked = await checkBake(deps, { state: halfway, now: at(300 + 5400) });
    expect(baked).toMatchObject({ next: 'approval', afterApproval: 'wave', nextWaveNumber: 2 });
    expect((await deps.store.getWave('r1', 1)).status).toBe('SUCCEEDED');
  });

  it('fails a wave whose failures cross the threshold while it bakes', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps, { bakeTimeMinutes: 30, successThresholdPercent: 80 });
    deps.jobs.progress('r1-w01', {
      status: 'COMPLETED',
      counts: { ...succeeded(10), numberOfQueuedThings: 0 },
    });
    const baking = await checkWave(deps, { state, now: at(60) });
    deps.jobs.progress('r1-w01', {
      counts: { ...ZERO_COUNTS, numberOfSucceededThings: 8, numberOfFailedThings: 2 },
    });
    const out = await checkBake(deps, { state: baking, now: at(60 + 1800) });
    expect(out.next).toBe('fail');
    expect(out.failure).toMatchObject({ waveStatus: 'FAILED', cause: 'FAILURE_THRESHOLD' });
    expect(out.failure?.reason).toMatch(/^While baking: 2 of 10 things failed/);
  });

  it('sends a wave over its failure threshold to FailWave with the reason', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps, { failureThresholdPercent: 20, minExecutedThings: 2 });
    deps.jobs.progress('r1-w01', {
      counts: { ...ZERO_COUNTS, numberOfFailedThings: 2, numberOfQueuedThings: 8 },
    });
    const out = await checkWave(deps, { state, now: at(15) });
    expect(out).toMatchObject({
      next: 'fail',
      failure: { waveStatus: 'FAILED', cause: 'FAILURE_THRESHOLD' },
    });
  });

  it('times a wave out at its deadline: the last wait ends on it', async () => {
    const deps = fakeWorkflow();
    let state = await running(deps, { timeoutMinutes: 1 });
    state = await checkWave(deps, { state, now: at(15) });
    state = await checkWave(deps, { state, now: at(30) });
    expect(state.poll?.waitSeconds).toBe(30);
    const out = await checkWave(deps, { state, now: at(60) });
    expect(out.failure).toMatchObject({ waveStatus: 'TIMED_OUT', cause: 'TIMEOUT' });
  });

  it('fails a wave whose job was deleted outside fleetwave instead of retrying forever', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    deps.jobs.jobs.delete('r1-w01');
    const out = await checkWave(deps, { state, now: at(15) });
    expect(out.failure).toMatchObject({ cause: 'JOB_CANCELED' });
    expect(out.failure?.reason).toContain('no longer exists');
  });

  it('lets a throttled DescribeJob surface as ThrottledError, writing nothing', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    const writes = deps.store.writes;
    deps.jobs.failNext('describe', new ThrottledError('slow down', 1));
    await expect(checkWave(deps, { state, now: at(15) })).rejects.toBeInstanceOf(ThrottledError);
    expect(deps.store.writes).toBe(writes);
  });

  it('stops polling a release canceled through the API between two polls', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    await deps.store.transitionRelease('r1', { to: 'CANCELED' });
    expect((await checkWave(deps, { state, now: at(15) })).next).toBe('canceled');
    expect(deps.jobs.calls).not.toContain('describe');
  });
});
