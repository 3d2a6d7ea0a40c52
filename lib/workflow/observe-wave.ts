/**
 * One look at a wave's job: DescribeJob, then the counters recorded on the
 * wave (only when they changed, so an idle poll writes nothing). A job that
 * no longer exists (deleted outside fleetwave) is a failed wave, not an
 * error to retry.
 */
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { WaveState } from '../domain/release.js';
import type { WaveJobView, WorkflowDeps } from './ports.js';
import type { WaveFailure } from './workflow-state.js';

export type Observation = { job: WaveJobView; wave: WaveState } | { gone: WaveFailure };

export async function observeWave(deps: WorkflowDeps, wave: WaveState, now: string): Promise<Observation> {
  if (!wave.jobId) {
    throw new ConflictError(
      `Wave ${wave.waveNumber} of release ${wave.releaseId} has no job.`,
      wave.releaseId,
    );
  }
  let job: WaveJobView;
  try {
    job = await deps.jobs.describe(wave.jobId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return {
      gone: {
        waveStatus: 'FAILED',
        cause: 'JOB_CANCELED',
        reason: `The IoT job ${wave.jobId} no longer exists (deleted outside fleetwave).`,
      },
    };
  }
  const recorded = await deps.store.recordWaveProgress(wave.releaseId, wave.waveNumber, {
    counts: job.counts,
    jobStatus: job.status,
    polledAt: now,
  });
  return { job, wave: recorded.value };
}
