/**
 * The halt half of a pause with `haltRollout`: which wave job runs now, and
 * stopping it. The pause records the job first (one write on the release),
 * then CancelJob without force: devices already running finish, the queued
 * ones are never notified; then the halt is recorded on the wave too. A
 * CancelJob that did not go through (throttled, a fault) leaves the halt
 * recorded on the pause, and whoever comes next finishes it: a repeat of the
 * pause, or the workflow's next look at the wave (CheckWave cancels a halted
 * job it finds still running).
 */
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Release, ReleaseWithWaves } from '../domain/release.js';
import type { PauseHalt } from '../domain/release-pause.js';
import { RELEASE_ID_MAX_LENGTH } from '../domain/release-request.js';
import type { ReleaseStore } from '../domain/release-store.js';
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
  if (!halted && release.releaseId.length > RELEASE_ID_MAX_LENGTH) {
    throw new ConflictError(
      `Release ${release.releaseId} has a ${release.releaseId.length}-character id, made before ids were limited to ${RELEASE_ID_MAX_LENGTH}: its follow-up job ids would not fit IoT's 64 characters, so its rollout cannot be halted. Pause it without haltRollout, or cancel it.`,
      release.releaseId,
    );
  }
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
 * wave recorded its halt already (`haltSeen`), then records the halt on the
 * wave, so that it outlives the pause should a resume come before the
 * workflow's next look. A job that has ended is left as it is; one not
 * created yet (a follow-up between its record and its CreateJob) is left to
 * the workflow's first look at it. The wave's record is a courtesy: when
 * it cannot be written, that look writes it.
 * @throws ThrottledError, UpstreamError (the halt stays recorded on the pause)
 */
export async function finishHalt(
  deps: { jobs: ReleaseJobCanceller; store: ReleaseStore },
  release: Release,
  haltSeen: boolean,
  at: string,
): Promise<void> {
  const jobId = release.pause?.haltedJobId;
  const waveNumber = release.currentWave;
  if (jobId === undefined || haltSeen || isTerminalReleaseStatus(release.status)) return;
  let canceled: boolean;
  try {
    canceled = await deps.jobs.cancel(jobId, {
      reasonCode: HALT_REASON_CODE,
      comment: `Halted by a pause of release ${release.releaseId}${release.pause?.requestedBy ? ` asked by ${release.pause.requestedBy}` : ''}: devices not yet notified are not; those running finish.`,
    });
  } catch (error) {
    if (error instanceof NotFoundError) return;
    throw error;
  }
  // A job that had ended (completed, or aborted by IoT) was not halted: the workflow judges it as it ran.
  if (!canceled || waveNumber === undefined) return;
  await deps.store
    .changeWaveHalt(release.releaseId, waveNumber, { halted: { jobId, at } })
    .catch(() => undefined);
}
