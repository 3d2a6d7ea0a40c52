/**
 * One look at a wave's jobs: DescribeJob of each (its first job and any
 * follow-ups), then the counters of all of them together recorded on the
 * wave (only when they changed, so an idle poll writes nothing). A job that
 * no longer exists (deleted outside fleetwave) is a failed wave, not an
 * error to retry.
 *
 * A halt asked for through the API (`pause.haltedJobId`) is finished here
 * when its CancelJob did not go through (throttled, a fault): the look
 * cancels the job, without force, before it describes it; and the first
 * look that sees the halted job canceled records the halt on the wave,
 * where it outlives the pause (a resume drops the pause).
 */
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Release, WaveClock, WaveState, WaveWindow } from '../domain/release.js';
import { HALT_REASON_CODE, lastWaveJobId, waveCounts } from '../domain/wave-halt.js';
import { waveJobIds } from '../domain/wave-job.js';
import type { WaveJobView, WorkflowDeps } from './ports.js';
import type { WaveFailure } from './workflow-state.js';

export type Observation = { job: WaveJobView; wave: WaveState } | { gone: WaveFailure };

/**
 * Describes every job of `wave` and records their counters together (and
 * its maintenance windows' state, when it has windows, and its clock when
 * it was set just now). The view returned
 * is the last job's, with the wave's combined counters.
 */
export async function observeWave(
  deps: WorkflowDeps,
  wave: WaveState,
  now: string,
  release?: Pick<Release, 'pause'>,
  schedule?: { window?: WaveWindow | undefined; clock?: WaveClock | undefined },
): Promise<Observation> {
  const last = lastWaveJobId(wave);
  if (last === undefined) {
    throw new ConflictError(
      `Wave ${wave.waveNumber} of release ${wave.releaseId} has no job.`,
      wave.releaseId,
    );
  }
  const halting = release?.pause?.haltedJobId === last && wave.halt?.jobId !== last;
  if (halting) {
    // A job gone meanwhile is told by its DescribeJob below.
    await deps.jobs
      .cancel(last, {
        reasonCode: HALT_REASON_CODE,
        comment: `Halted by a pause of release ${wave.releaseId}: devices not yet notified are not; those running finish.`,
      })
      .catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
      });
  }
  const views: WaveJobView[] = [];
  for (const jobId of waveJobIds(wave)) {
    try {
      views.push(await deps.jobs.describe(jobId));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return {
        gone: {
          waveStatus: 'FAILED',
          cause: 'JOB_CANCELED',
          reason: `The IoT job ${jobId} no longer exists (deleted outside fleetwave).`,
        },
      };
    }
  }
  const lastView = views.at(-1) as WaveJobView;
  const job = { ...lastView, counts: waveCounts(views.map((v) => v.counts)) };
  // A job that completed, or that IoT's abort canceled, before the halt reached it was not
  // halted: the wave is judged as it ran.
  if (halting && job.status === 'CANCELED' && job.reasonCode === HALT_REASON_CODE) {
    await deps.store.changeWaveHalt(wave.releaseId, wave.waveNumber, { halted: { jobId: last, at: now } });
  }
  const recorded = await deps.store.recordWaveProgress(wave.releaseId, wave.waveNumber, {
    counts: job.counts,
    jobStatus: job.status,
    polledAt: now,
    window: schedule?.window,
    clock: schedule?.clock,
  });
  return { job, wave: recorded.value };
}
