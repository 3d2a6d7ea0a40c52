/**
 * StartRelease for a release already under way (a new execution after the
 * local stack restarted): a BAKING wave goes back to its bake for what is
 * left of it, a release WAITING_APPROVAL goes back to its gate; neither
 * starts a wave again.
 */
import { describe, expect, it } from 'vitest';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { checkBake } from '../../../lib/workflow/check-bake.js';
import { checkWave } from '../../../lib/workflow/check-wave.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { requestApproval } from '../../../lib/workflow/request-approval.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { startWave } from '../../../lib/workflow/start-wave.js';
import type { WorkflowState } from '../../../lib/workflow/workflow-state.js';
import { type FakeWorkflow, fakeWorkflow, LIFETIME_END, NOW, TEMPLATE_ARN } from './fakes.js';

const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();

/** A two-wave release whose first wave passed at 5 min and bakes 30 min; returns CheckWave's state. */
async function baking(deps: FakeWorkflow, requireApproval = false): Promise<WorkflowState> {
  await deps.store.seed({
    releaseId: 'r1',
    jobTemplateId: 'fw-2-0',
    waves: [
      { targets: { things: ['a', 'b'] }, bakeTimeMinutes: 30, requireApproval },
      { targets: { things: ['c'] } },
    ],
  });
  const started = await startRelease(deps, { state: { releaseId: 'r1' }, now: NOW });
  const prepared = await prepareWave(deps, { state: started, now: NOW });
  const state = await startWave(deps, { state: prepared, now: NOW });
  deps.jobs.progress('r1-w01', {
    status: 'COMPLETED',
    counts: { ...ZERO_COUNTS, numberOfSucceededThings: 2 },
  });
  const out = await checkWave(deps, { state, now: at(300) });
  expect(out.next).toBe('bake');
  return out;
}

describe('StartRelease resuming a release under way', () => {
  it('sends a BAKING wave to its bake for the time left since baking began, without starting the wave again', async () => {
    const deps = fakeWorkflow();
    await baking(deps);
    const calls = deps.jobs.calls.length;
    const resumed = await startRelease(deps, { state: { releaseId: 'r1' }, now: at(300 + 600) });
    expect(resumed).toEqual({
      releaseId: 'r1',
      endsAt: LIFETIME_END,
      jobTemplateArn: TEMPLATE_ARN,
      waveCount: 2,
      waveNumber: 1,
      next: 'bake',
      bake: { waitSeconds: 1200 },
    });
    expect(deps.jobs.calls).toHaveLength(calls);
    expect((await deps.store.getWave('r1', 1)).status).toBe('BAKING');
    const baked = await checkBake(deps, { state: resumed, now: at(300 + 1800) });
    expect(baked).toMatchObject({ next: 'wave', nextWaveNumber: 2 });
    expect((await deps.store.getWave('r1', 1)).status).toBe('SUCCEEDED');
  });

  it('waits the shortest bake (1 s), never a negative one, when the bake ended while the stack was stopped', async () => {
    const deps = fakeWorkflow();
    await baking(deps);
    const resumed = await startRelease(deps, { state: { releaseId: 'r1' }, now: at(300 + 7200) });
    expect(resumed).toMatchObject({ next: 'bake', waveNumber: 1, bake: { waitSeconds: 1 } });
  });

  it('sends a release WAITING_APPROVAL back to the gate of its wave, whose new token replaces the stale one', async () => {
    const deps = fakeWorkflow();
    const bakingState = await baking(deps, true);
    const gate = await checkBake(deps, { state: bakingState, now: at(300 + 1800) });
    expect(gate).toMatchObject({ next: 'approval', afterApproval: 'wave', nextWaveNumber: 2 });
    await requestApproval(deps, { state: gate, now: at(2100), taskToken: 'stale' });
    const calls = deps.jobs.calls.length;

    const resumed = await startRelease(deps, { state: { releaseId: 'r1' }, now: at(4000) });
    expect(resumed).toEqual({
      releaseId: 'r1',
      endsAt: LIFETIME_END,
      jobTemplateArn: TEMPLATE_ARN,
      waveCount: 2,
      waveNumber: 1,
      next: 'approval',
      afterApproval: 'wave',
      nextWaveNumber: 2,
    });
    await requestApproval(deps, { state: resumed, now: at(4000), taskToken: 'fresh' });
    expect(deps.store.tokenOf('r1', 1)).toBe('fresh');
    const { release, waves } = await deps.store.getRelease('r1');
    expect(release).toMatchObject({ status: 'WAITING_APPROVAL', currentWave: 1 });
    expect(waves.map((w) => w.status)).toEqual(['SUCCEEDED', 'PENDING']);
    expect(deps.jobs.calls).toHaveLength(calls);
  });

  it('routes the gate after the last wave to the end of the release', async () => {
    const deps = fakeWorkflow();
    await deps.store.seed({
      releaseId: 'r1',
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things: ['a'] }, requireApproval: true }],
    });
    const started = await startRelease(deps, { state: { releaseId: 'r1' }, now: NOW });
    const state = await startWave(deps, {
      state: await prepareWave(deps, { state: started, now: NOW }),
      now: NOW,
    });
    deps.jobs.progress('r1-w01', {
      status: 'COMPLETED',
      counts: { ...ZERO_COUNTS, numberOfSucceededThings: 1 },
    });
    const gate = await checkWave(deps, { state, now: at(60) });
    await requestApproval(deps, { state: gate, now: at(60), taskToken: 'stale' });
    const resumed = await startRelease(deps, { state: { releaseId: 'r1' }, now: at(120) });
    expect(resumed).toMatchObject({ next: 'approval', waveNumber: 1, afterApproval: 'finish' });
    expect(resumed.nextWaveNumber).toBeUndefined();
  });

  it('opens the gate of a wave that succeeded just before the stop, before its gate opened: never skips it', async () => {
    const deps = fakeWorkflow();
    const state = await baking(deps, true);
    // The bake ends and wave 1 succeeds; the stop comes before RequestApproval ran.
    await checkBake(deps, { state, now: at(300 + 1800) });
    expect((await deps.store.getWave('r1', 1)).status).toBe('SUCCEEDED');
    expect((await deps.store.getRelease('r1')).release.status).toBe('IN_PROGRESS');
    const resumed = await startRelease(deps, { state: { releaseId: 'r1' }, now: at(3000) });
    expect(resumed).toMatchObject({
      next: 'approval',
      waveNumber: 1,
      afterApproval: 'wave',
      nextWaveNumber: 2,
    });
    // Once approved (recorded on the wave), a restart goes on to the next wave.
    await requestApproval(deps, { state: resumed, now: at(3001), taskToken: 't' });
    await deps.store.approveGate('r1', 1, { reason: 'Approved after wave 1', at: at(3002) });
    await deps.store.transitionRelease('r1', { to: 'IN_PROGRESS', from: ['WAITING_APPROVAL'] });
    const after = await startRelease(deps, { state: { releaseId: 'r1' }, now: at(3003) });
    expect(after).toMatchObject({ next: 'wave', nextWaveNumber: 2 });
  });
});
