/**
 * A wave's IoT job as the workflow sees it: the CreateJob request that
 * makes it (deterministic, so a retry asks for the same job), the test that
 * tells the wave's own job from a foreign one with the same id, and
 * stopping it.
 */
import { NotFoundError } from '../domain/errors.js';
import type { Release, WaveState } from '../domain/release.js';
import type { WaveDefinition } from '../domain/release-request.js';
import { jobSchedulingConfig, requestedWindows } from '../domain/release-schedule.js';
import { followUpGroupName, lastWaveJobId } from '../domain/wave-halt.js';
import { buildWaveJobOverrides, waveJobId } from '../domain/wave-job.js';
import type { WaveJobRequest, WaveJobs, WaveJobView } from './ports.js';
import { iotArnPrefix, sameTargets, waveTargetArns } from './release-context.js';

/**
 * The CreateJob request of wave `wave.waveNumber`'s current job: its first
 * job, or its last follow-up job (which targets its own thing group of the
 * wave's things that never started).
 */
export function waveJobRequest(
  release: Release,
  jobTemplateArn: string,
  definition: WaveDefinition,
  wave: WaveState,
): WaveJobRequest {
  const first = waveJobId(release.releaseId, wave.waveNumber);
  const jobId = lastWaveJobId(wave) ?? first;
  const followUp = jobId === first ? '' : `, follow-up ${jobId.slice(first.length + 1)}`;
  return {
    jobId,
    jobTemplateArn,
    targets:
      jobId === first
        ? waveTargetArns(jobTemplateArn, definition, wave)
        : [`${iotArnPrefix(jobTemplateArn)}thinggroup/${followUpGroupName(jobId)}`],
    overrides: buildWaveJobOverrides(definition),
    description: `fleetwave release ${release.releaseId}, wave ${wave.waveNumber} of ${release.waves.length}${followUp}`,
  };
}

/**
 * The CreateJob StartWave sends at `nowMs`: {@link waveJobRequest} with the
 * wave's windows and the release's end (`jobSchedulingConfig`). Release
 * plans show the same request, so the two cannot drift apart.
 */
export function waveCreateJob(
  release: Release,
  jobTemplateArn: string,
  definition: WaveDefinition,
  wave: WaveState,
  nowMs: number,
): WaveJobRequest {
  const scheduling = jobSchedulingConfig(release, requestedWindows(release, wave.waveNumber), nowMs);
  return {
    ...waveJobRequest(release, jobTemplateArn, definition, wave),
    ...(scheduling && { schedulingConfig: scheduling }),
  };
}

/** True when `job` is the one `request` creates: same template, same targets. */
export function isOwnJob(
  job: WaveJobView,
  request: Pick<WaveJobRequest, 'jobTemplateArn' | 'targets'>,
): boolean {
  return job.jobTemplateArn === request.jobTemplateArn && sameTargets(job.targets, request.targets);
}

/** Why a wave's job was not canceled, or that it was. */
export type StopOutcome = 'canceled' | 'not-running' | 'absent' | 'foreign';

/**
 * Cancels a wave's job if it is the wave's own and still running. A job
 * that does not exist (the wave stopped before CreateJob) or that belongs to
 * someone else is left alone.
 */
export async function stopWaveJob(
  jobs: WaveJobs,
  request: WaveJobRequest,
  why: { reasonCode: string; comment: string; force?: boolean },
): Promise<StopOutcome> {
  let job: WaveJobView;
  try {
    job = await jobs.describe(request.jobId);
  } catch (error) {
    if (error instanceof NotFoundError) return 'absent';
    throw error;
  }
  if (!isOwnJob(job, request)) return 'foreign';
  if (job.status !== 'IN_PROGRESS' && job.status !== 'SCHEDULED') return 'not-running';
  const canceled = await jobs.cancel(request.jobId, {
    reasonCode: why.reasonCode,
    comment: why.comment.slice(0, 2028),
    ...(why.force && { force: true }),
  });
  return canceled ? 'canceled' : 'not-running';
}
