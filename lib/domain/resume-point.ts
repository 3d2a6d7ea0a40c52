/**
 * Where a release already under way picks up when a new workflow execution
 * starts for it (the local stack resuming after a restart): the approval
 * gate it was waiting at, the rest of the bake of a wave that was baking,
 * the first wave that has not succeeded, or the end when every wave has;
 * a PAUSED release is held again (release-pause.ts).
 */
import type { ReleaseStatus, WaveStatus } from './statuses.js';

export type ResumePoint =
  /** The hold of a PAUSED release, entered again with a new token. */
  | { readonly step: 'hold' }
  /** The approval gate after wave `waveNumber`, entered again with a new token. */
  | { readonly step: 'approval'; readonly waveNumber: number }
  /** The rest of wave `waveNumber`'s bake, counted from when it began, then its check. */
  | { readonly step: 'bake'; readonly waveNumber: number }
  /** Wave `waveNumber`: its job carries on when it had started, else it starts. */
  | { readonly step: 'wave'; readonly waveNumber: number; readonly started: boolean }
  /** Every wave succeeded: the release finishes. */
  | { readonly step: 'finish' };

/** Where a release that is PENDING, IN_PROGRESS, WAITING_APPROVAL or PAUSED resumes, given its waves. */
export function resumePoint(
  release: { readonly status: ReleaseStatus; readonly currentWave?: number },
  waves: readonly { readonly waveNumber: number; readonly status: WaveStatus }[],
): ResumePoint {
  if (release.status === 'PAUSED') return { step: 'hold' };
  // A release waits for approval only after a wave it recorded as current.
  if (release.status === 'WAITING_APPROVAL' && release.currentWave !== undefined) {
    return { step: 'approval', waveNumber: release.currentWave };
  }
  const first = [...waves]
    .sort((a, b) => a.waveNumber - b.waveNumber)
    .find((wave) => wave.status !== 'SUCCEEDED');
  if (!first) return { step: 'finish' };
  if (first.status === 'BAKING') return { step: 'bake', waveNumber: first.waveNumber };
  return { step: 'wave', waveNumber: first.waveNumber, started: first.status !== 'PENDING' };
}
