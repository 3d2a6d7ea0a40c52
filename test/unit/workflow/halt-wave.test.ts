/**
 * The workflow side of a pause with `haltRollout`, with in-memory fakes:
 * CheckWave finishes a halt whose CancelJob did not go through, waits for
 * the running devices, and holds the release; PrepareWave, once resumed,
 * records a follow-up job over exactly the things that never started (or
 * nothing, when every thing started); the verdict counts every job.
 */
import { describe, expect, it } from 'vitest';
import { ThrottledError } from '../../../lib/domain/errors.js';
import type { ThingExecution } from '../../../lib/domain/wave-halt.js';
import { type JobProcessCounts, ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { checkWave } from '../../../lib/workflow/check-wave.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { startWave } from '../../../lib/workflow/start-wave.js';
import type { WorkflowState } from '../../../lib/workflow/workflow-state.js';
import { type FakeWorkflow, fakeWorkflow, NOW, TEMPLATE_ARN } from './fakes.js';

const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();
const things = Array.from({ length: 10 }, (_, i) => `t${i}`);
const counts = (c: Partial<JobProcessCounts>): JobProcessCounts => ({ ...ZERO_COUNTS, ...c });
const ran = (names: string[], status: string): ThingExecution[] =>
  names.map((thingName) => ({ thingName, status }));

/** Wave 1 of `r1` (things t0–t9) running, 3 devices done, 2 running, 5 queued; a halt recorded on the pause. */
async function haltAsked(deps: FakeWorkflow): Promise<WorkflowState> {
  await deps.store.seed({
    releaseId: 'r1',
    jobTemplateId: 'fw-2-0',
    waves: [{ targets: { things }, minExecutedThings: 1 }, { targets: { things: ['t10'] } }],
  });
  const started = await startRelease(deps, { state: { releaseId: 'r1' }, now: NOW });
  const prepared = await prepareWave(deps, { state: started, now: NOW });
  const state = await startWave(deps, { state: prepared, now: NOW });
  deps.jobs.progress('r1-w01', {
    counts: counts({ numberOfSucceededThings: 3, numberOfInProgressThings: 2, numberOfQueuedThings: 5 }),
  });
  await deps.store.requestPause('r1', { at: at(10), actor: 'alice' }, { waveNumber: 1, jobId: 'r1-w01' });
  return state;
}

/** The halted job once its running devices finished: 5 succeeded, 5 canceled while queued. */
function devicesFinished(deps: FakeWorkflow): void {
  deps.jobs.progress('r1-w01', {
    counts: counts({ numberOfSucceededThings: 5, numberOfCanceledThings: 5 }),
  });
}

/** Drives `r1` from the halt to its hold and resume; returns the state PrepareWave is entered with. */
async function haltedAndResumed(deps: FakeWorkflow): Promise<WorkflowState> {
  let state = await haltAsked(deps);
  state = await checkWave(deps, { state, now: at(20) });
  devicesFinished(deps);
  state = await checkWave(deps, { state, now: at(60) });
  expect(state.next).toBe('hold');
  await deps.store.holdRelease('r1', { token: 'hold-1', where: 'in wave 1, halted', at: at(61) });
  await deps.store.resumeRelease('r1', { at: at(3600), actor: 'bob' });
  return { ...state, next: 'wave', nextWaveNumber: 1 };
}

describe('a halted wave in the workflow', () => {
  it('looks at once at a job a halt was asked for before it existed, and that look cancels it', async () => {
    const deps = fakeWorkflow();
    await deps.store.seed({
      releaseId: 'r1',
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things }, minExecutedThings: 1 }],
    });
    const started = await startRelease(deps, { state: { releaseId: 'r1' }, now: NOW });
    const prepared = await prepareWave(deps, { state: started, now: NOW });
    // The halt names the recorded job before StartWave created it: the API's CancelJob found nothing.
    await deps.store.requestPause('r1', { at: at(1), actor: 'alice' }, { waveNumber: 1, jobId: 'r1-w01' });
    const state = await startWave(deps, { state: prepared, now: at(2) });
    expect(state.next).toBe('check');
    await checkWave(deps, { state, now: at(2) });
    expect(deps.jobs.cancels).toEqual([{ jobId: 'r1-w01', force: false }]);
  });

  it("is no halt when IoT's abort canceled the job first: the wave fails, nothing is held or followed up", async () => {
    const deps = fakeWorkflow();
    const state = await haltAsked(deps);
    deps.jobs.progress('r1-w01', {
      status: 'CANCELED',
      counts: counts({ numberOfSucceededThings: 3, numberOfFailedThings: 2, numberOfCanceledThings: 5 }),
    });
    const aborted = deps.jobs.jobs.get('r1-w01');
    if (aborted) deps.jobs.jobs.set('r1-w01', { ...aborted, reasonCode: 'FLEETWAVE_WAVE_FAILED' });
    const next = await checkWave(deps, { state, now: at(20) });
    expect(next.next).toBe('fail');
    expect((await deps.store.getWave('r1', 1)).halt).toBeUndefined();
  });

  it('finishes a halt whose CancelJob did not go through: cancels without force at the next look', async () => {
    const deps = fakeWorkflow();
    let state = await haltAsked(deps);
    deps.jobs.failNext('cancel', new ThrottledError('IoT is throttling', 1));
    await expect(checkWave(deps, { state, now: at(15) })).rejects.toThrow(ThrottledError);
    state = await checkWave(deps, { state, now: at(20) });
    expect(deps.jobs.cancels).toEqual([{ jobId: 'r1-w01', force: false }]);
    // Its running devices go on: the wave waits for them, on its adaptive poll.
    expect(state.next).toBe('poll');
    expect(state.poll?.safetyNetSeconds).toBe(state.poll?.waitSeconds);
    const wave = await deps.store.getWave('r1', 1);
    expect(wave).toMatchObject({ status: 'IN_PROGRESS', jobStatus: 'CANCELED', halt: { jobId: 'r1-w01' } });
    // Seen canceled, it is not canceled again.
    devicesFinished(deps);
    state = await checkWave(deps, { state, now: at(60) });
    expect(deps.jobs.cancels).toHaveLength(1);
    expect(state.next).toBe('hold');
    expect((await deps.store.getWave('r1', 1)).status).toBe('IN_PROGRESS');
  });

  it('still fails on its failure threshold while halted', async () => {
    const deps = fakeWorkflow();
    let state = await haltAsked(deps);
    state = await checkWave(deps, { state, now: at(20) });
    deps.jobs.progress('r1-w01', {
      counts: counts({ numberOfSucceededThings: 3, numberOfFailedThings: 2, numberOfCanceledThings: 5 }),
    });
    state = await checkWave(deps, { state, now: at(60) });
    expect(state).toMatchObject({ next: 'fail', failure: { cause: 'FAILURE_THRESHOLD' } });
  });

  it('goes on after a pause withdrawn before the hold, without holding', async () => {
    const deps = fakeWorkflow();
    let state = await haltAsked(deps);
    state = await checkWave(deps, { state, now: at(20) });
    await deps.store.resumeRelease('r1', { at: at(30) });
    devicesFinished(deps);
    state = await checkWave(deps, { state, now: at(60) });
    expect(state).toMatchObject({ next: 'wave', nextWaveNumber: 1 });
  });

  it('holds a halted wave again when a new execution comes to it still paused (a restart), with no job', async () => {
    const deps = fakeWorkflow();
    let state = await haltAsked(deps);
    state = await checkWave(deps, { state, now: at(20) });
    const again = await prepareWave(deps, {
      state: { ...state, next: 'wave', nextWaveNumber: 1 },
      now: at(30),
    });
    expect(again.next).toBe('hold');
    expect(deps.jobs.calls).not.toContain('listExecutions');
    expect([...deps.jobs.jobs.keys()]).toEqual(['r1-w01']);
  });

  it('on resume, runs a follow-up job over exactly the things that never started, judged with the first job', async () => {
    const deps = fakeWorkflow();
    let state = await haltedAndResumed(deps);
    deps.jobs.executions.set('r1-w01', [
      ...ran(['t0', 't1', 't2', 't3', 't4'], 'SUCCEEDED'),
      ...ran(['t5', 't6', 't7', 't8'], 'CANCELED'),
      // t9 never got an execution.
    ]);
    state = await prepareWave(deps, { state, now: at(3601) });
    expect(state.next).toBe('start');
    expect([...(deps.groups.groups.get('fleetwave-r1-w01-r1') ?? [])].sort()).toEqual([
      't5',
      't6',
      't7',
      't8',
      't9',
    ]);
    expect(await deps.store.getWave('r1', 1)).toMatchObject({
      status: 'IN_PROGRESS',
      followUpJobIds: ['r1-w01-r1'],
      halt: { jobId: 'r1-w01', resumedAt: at(3601) },
    });
    // A retry finds its follow-up recorded and changes nothing.
    const again = await prepareWave(deps, {
      state: { ...state, next: 'wave', nextWaveNumber: 1 },
      now: at(3602),
    });
    expect(again.next).toBe('start');
    expect((await deps.store.getWave('r1', 1)).followUpJobIds).toEqual(['r1-w01-r1']);

    state = await startWave(deps, { state, now: at(3603) });
    expect(state.next).toBe('poll');
    expect(deps.jobs.jobs.get('r1-w01-r1')?.targets).toEqual([
      `${TEMPLATE_ARN.replace(/jobtemplate\/.*$/, '')}thinggroup/fleetwave-r1-w01-r1`,
    ]);
    // A retried StartWave adopts its own follow-up job.
    await startWave(deps, { state: { ...state, next: 'start' }, now: at(3604) });
    expect([...deps.jobs.jobs.keys()].sort()).toEqual(['r1-w01', 'r1-w01-r1']);

    deps.jobs.progress('r1-w01-r1', { status: 'COMPLETED', counts: counts({ numberOfSucceededThings: 5 }) });
    state = await checkWave(deps, { state, now: at(3700) });
    const wave = await deps.store.getWave('r1', 1);
    expect(wave.status).toBe('SUCCEEDED');
    expect(wave.counts).toEqual(counts({ numberOfSucceededThings: 10 }));
    expect(state).toMatchObject({ nextWaveNumber: 2 });
  });

  it('on resume with every thing started, creates no job and judges the wave on what ran', async () => {
    const deps = fakeWorkflow();
    let state = await haltedAndResumed(deps);
    deps.jobs.executions.set('r1-w01', [
      ...ran(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'], 'SUCCEEDED'),
      ...ran(['t8', 't9'], 'REJECTED'),
    ]);
    state = await prepareWave(deps, { state, now: at(3601) });
    expect(state.next).toBe('check');
    expect([...deps.jobs.jobs.keys()]).toEqual(['r1-w01']);
    deps.jobs.progress('r1-w01', {
      counts: counts({ numberOfSucceededThings: 8, numberOfRejectedThings: 2 }),
    });
    state = await checkWave(deps, { state, now: at(3602) });
    // The halted job counts as completed: judged on what ran, 2 rejections of 10 fail the wave.
    expect(state).toMatchObject({ next: 'fail', failure: { cause: 'FAILURE_THRESHOLD' } });
  });
});
