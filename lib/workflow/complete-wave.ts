/**
 * The end of a wave that passed (and baked): record it SUCCEEDED, announce
 * it, and say where the release goes next: the approval gate when the wave
 * asks for one, else the next wave, else the end. Shared by CheckWave (a
 * wave without bake time) and CheckBake; a retry finds the wave SUCCEEDED
 * and routes the same way.
 */
import type { Release } from '../domain/release.js';
import type { WorkflowDeps } from './ports.js';
import { waveSucceeded } from './release-events.js';
import type { WorkflowState } from './workflow-state.js';

export async function completeWave(
  deps: WorkflowDeps,
  release: Release,
  waveNumber: number,
  now: string,
  reason: string,
): Promise<Pick<WorkflowState, 'next' | 'nextWaveNumber' | 'afterApproval'>> {
  const finished = await deps.store.finishWave(release.releaseId, waveNumber, 'SUCCEEDED', {
    from: ['IN_PROGRESS', 'BAKING'],
    reason,
    at: now,
  });
  const nextWave = waveNumber < release.waves.length ? waveNumber + 1 : null;
  await deps.notifier.publish(waveSucceeded(release, finished.value, now, nextWave));
  if (release.waves[waveNumber - 1]?.requireApproval) return approvalStep(release, waveNumber);
  return nextWave === null ? { next: 'finish' } : { next: 'wave', nextWaveNumber: nextWave };
}

/** The approval gate after wave `waveNumber`, and where an approval leads: the next wave, or the end. */
export function approvalStep(
  release: Release,
  waveNumber: number,
): Pick<WorkflowState, 'next' | 'nextWaveNumber' | 'afterApproval'> {
  return waveNumber < release.waves.length
    ? { next: 'approval', afterApproval: 'wave', nextWaveNumber: waveNumber + 1 }
    : { next: 'approval', afterApproval: 'finish' };
}
