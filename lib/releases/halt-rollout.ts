/**
 * The halt half of a pause with `haltRollout`: which wave job runs now, and
 * stopping it. The pause records the job first (one write on the release),
 * then CancelJob without force: devices already running finish, the queued
 * ones are never notified. A CancelJob that did not go through (throttled,
 * a fault) leaves the halt recorded, and whoever comes next finishes it: a
 * repeat of the pause, or the workflow's next look at the wave (CheckWave
 * cancels a halted job it finds still running).
 */
import { ConflictError } from '../domain/errors.js';
import type { Release, ReleaseWithWaves } from '../domain/release.js';
import type { PauseHalt } from '../domain/release-pause.js';
import { isTerminalReleaseStatus } from '../domain/statuses.js';
import { HALT_REASON_CODE, lastWaveJobId, MAX_FOLLOW_UP_JOBS } from '../domain/wave-halt.js';
import type { ReleaseJobCanceller } from './ports.js';

/**
 * The job a halt stops: the current wave's last job while the wave runs
 * (IN_PROGRESS); undefined when no wave job runs (between waves, in a bake,
 * at a gate, held), and the pause is a plain one.
 * @throws ConflictError when the wave was halted {@link MAX_FOLLOW_UP_JOBS} times already
 */
export function haltTarget({ release, waves }: ReleaseWithWaves): PauseHalt | undefined {
  if (release.status !== 'IN_PROGRESS' || release.currentWave === undefined) return undefined;
  const wave = waves[release.currentWave - 1];
  const jobId = wave && lastWaveJobId(wave);
  if (wave?.status !== 'IN_PROGRESS' || jobId === undefined) return undefined;
  // Halted already (its halt seen, or asked for and not yet seen): a repeat, not a new halt.
  const halted = wave.halt?.jobId === jobId || release.pause?.haltedJobId === jobId;
  if (!halted && (wave.followUpJobIds?.length ?? 0) >= MAX_FOLLOW_UP_JOBS) {
    throw new ConflictError(
      `Wave ${wave.waveNumber} of release ${release.releaseId} was halted ${MAX_FOLLOW_UP_JOBS} times; it cannot be halted again.`,
      release.releaseId,
    );
  }
  return { waveNumber: wave.waveNumber, jobId };
}

/**
 * Cancels the halted job of `release`'s pause, without force, unless the
 * workflow saw it canceled already (`haltSeen`). A job that has ended is
 * left as it is. @throws ThrottledError, UpstreamError (the halt stays recorded)
 */
export async function finishHalt(
  jobs: ReleaseJobCanceller,
  release: Release,
  haltSeen: boolean,
): Promise<void> {
  const jobId = release.pause?.haltedJobId;
  if (jobId === undefined || haltSeen || isTerminalReleaseStatus(release.status)) return;
  await jobs.cancel(jobId, {
    reasonCode: HALT_REASON_CODE,
    comment: `Halted by a pause of release ${release.releaseId}${release.pause?.requestedBy ? ` asked by ${release.pause.requestedBy}` : ''}: devices not yet notified are not; those running finish.`,
  });
}
