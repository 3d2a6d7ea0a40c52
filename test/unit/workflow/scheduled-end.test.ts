/**
 * A scheduled release at its end time, task by task with in-memory fakes:
 * a failure threshold crossed at or after the end time still fails the wave
 * (FailWave, not the end behaviour), in CheckWave and in CheckBake; a
 * release ends by the same path 364 days after its creation, before its
 * execution's one-year limit.
 */
import { describe, expect, it } from 'vitest';
import type { ReleaseRequestInput } from '../../../lib/domain/release-request.js';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { cancelRelease } from '../../../lib/workflow/cancel-release.js';
import { checkBake } from '../../../lib/workflow/check-bake.js';
import { checkWave } from '../../../lib/workflow/check-wave.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { startWave } from '../../../lib/workflow/start-wave.js';
import type { WorkflowState } from '../../../lib/workflow/workflow-state.js';
import { type FakeWorkflow, fakeWorkflow, NOW } from './fakes.js';

/** NOW is 2026-01-01T00:00Z; the release ends at 02:00. */
const END = '2026-01-01T02:00';
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
const things = Array.from({ length: 10 }, (_, i) => `t${i}`);

async function running(
  deps: FakeWorkflow,
  request: Partial<ReleaseRequestInput> = {},
  wave: Partial<ReleaseRequestInput['waves'][number]> = {},
): Promise<WorkflowState> {
  await deps.store.seed({
    releaseId: 'r1',
    jobTemplateId: 'fw-2-0',
    schedulingConfig: { endTime: END },
    waves: [
      { targets: { things }, failureThresholdPercent: 20, minExecutedThings: 2, ...wave },
      { targets: { things: ['t10'] } },
    ],
    ...request,
  } as ReleaseRequestInput);
  const started = await startRelease(deps, { state: { releaseId: 'r1' }, now: NOW });
  const prepared = await prepareWave(deps, { state: started, now: NOW });
  return startWave(deps, { state: prepared, now: NOW });
}

const crossed = { ...ZERO_COUNTS, numberOfSucceededThings: 5, numberOfFailedThings: 5 };

describe('a failure seen at the end time', () => {
  it('CheckWave sends a wave past its failure threshold to FailWave at the end time, not to the end behaviour', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    deps.jobs.progress('r1-w01', { counts: crossed });
    const out = await checkWave(deps, { state, now: at(120) });
    expect(out.next).toBe('fail');
    expect(out.failure).toMatchObject({ waveStatus: 'FAILED', cause: 'FAILURE_THRESHOLD' });
    expect((await deps.store.getRelease('r1')).release.status).toBe('IN_PROGRESS');
  });

  it('CheckWave still ends a wave merely unfinished at the end time by the end behaviour', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps);
    deps.jobs.progress('r1-w01', {
      counts: { ...ZERO_COUNTS, numberOfSucceededThings: 3, numberOfQueuedThings: 7 },
    });
    const out = await checkWave(deps, { state, now: at(120) });
    expect(out.next).toBe('canceled');
    expect((await deps.store.getRelease('r1')).release).toMatchObject({
      status: 'CANCELED',
      endedAtEndTime: 'STOP_ROLLOUT',
    });
  });

  it('CheckBake fails a baking wave past its failure threshold at the end time', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps, {}, { bakeTimeMinutes: 240 });
    deps.jobs.progress('r1-w01', {
      status: 'COMPLETED',
      counts: { ...ZERO_COUNTS, numberOfSucceededThings: 10 },
    });
    const baking = await checkWave(deps, { state, now: at(10) });
    expect(baking.next).toBe('bake');
    deps.jobs.progress('r1-w01', { counts: crossed });
    const out = await checkBake(deps, { state: baking, now: at(120) });
    expect(out.next).toBe('fail');
    expect(out.failure).toMatchObject({ waveStatus: 'FAILED', cause: 'FAILURE_THRESHOLD' });
  });
});

describe("a release at its execution's year", () => {
  it('ends a release without an end time 364 days after its creation, by the end-time path, its job canceled', async () => {
    const deps = fakeWorkflow();
    const state = await running(deps, { schedulingConfig: undefined });
    const { createdAt } = (await deps.store.getRelease('r1')).release;
    const limit = Date.parse(createdAt) + 364 * 86_400_000;
    const out = await checkWave(deps, { state, now: new Date(limit).toISOString() });
    expect(out.next).toBe('canceled');
    expect((await deps.store.getRelease('r1')).release).toMatchObject({
      status: 'CANCELED',
      statusActor: 'fleetwave',
      endedAtEndTime: 'CANCEL',
    });
    await cancelRelease(deps, { state: out, now: new Date(limit).toISOString() });
    expect(deps.jobs.cancels).toEqual([{ jobId: 'r1-w01', force: false }]);
    expect((await deps.store.getWave('r1', 2)).status).toBe('CANCELED');
  });
});
