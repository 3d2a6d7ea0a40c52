/**
 * The pieces every unhappy ending shares (a failed wave, a refused
 * approval, a cancellation, an unexpected error): end a running wave and
 * stop its job (the record first, then IoT), cancel the waves that never
 * started, and move the release to its final status without overwriting a
 * cancellation made through the API.
 */
import type { Release, WaveState } from '../domain/release.js';
import type { TerminalWaveStatus } from '../domain/release-store.js';
import type { WorkflowDeps } from './ports.js';
import { moveRelease } from './release-context.js';
import { type StopOutcome, stopWaveJob as stopJob, waveJobRequest } from './wave-jobs.js';

/** IoT's `reasonCode` on the CancelJob of a wave, by why it ended. */
const reasonCodes: Record<Exclude<TerminalWaveStatus, 'SUCCEEDED'>, string> = {
  FAILED: 'FLEETWAVE_WAVE_FAILED',
  TIMED_OUT: 'FLEETWAVE_WAVE_TIMED_OUT',
  CANCELED: 'FLEETWAVE_RELEASE_CANCELED',
};

export const isRunning = (wave: WaveState): boolean =>
  wave.status === 'IN_PROGRESS' || wave.status === 'BAKING';

/**
 * Cancels a wave's job if it is the wave's own and still running. Without
 * the template ARN (StartRelease never resolved it) no job was created, so
 * none is stopped.
 */
export async function stopWaveJob(
  deps: WorkflowDeps,
  release: Release,
  wave: WaveState,
  why: Exclude<TerminalWaveStatus, 'SUCCEEDED'>,
  reason: string,
  jobTemplateArn: string | undefined,
  force = false,
): Promise<StopOutcome | 'none'> {
  const definition = release.waves[wave.waveNumber - 1];
  if (!jobTemplateArn || !wave.jobId || !definition) return 'none';
  const request = waveJobRequest(release, jobTemplateArn, definition, wave);
  return stopJob(deps.jobs, request, { reasonCode: reasonCodes[why], comment: reason, force });
}

/**
 * Ends `wave` with `to` (a retry finds it already there), then cancels its
 * job if it is the wave's own and still running.
 */
export async function endWave(
  deps: WorkflowDeps,
  release: Release,
  wave: WaveState,
  to: Exclude<TerminalWaveStatus, 'SUCCEEDED'>,
  reason: string,
  now: string,
  jobTemplateArn: string | undefined,
  force = false,
): Promise<{ wave: WaveState; job: StopOutcome | 'none' }> {
  const ended = await deps.store.finishWave(release.releaseId, wave.waveNumber, to, { reason, at: now });
  const job = await stopWaveJob(deps, release, ended.value, to, reason, jobTemplateArn, force);
  return { wave: ended.value, job };
}

/**
 * Cancels the waves that never started, then moves the release to FAILED
 * (from wherever it stands, unless it is already final). `moved: false`
 * with a CANCELED release means someone canceled it first: the caller takes
 * the cancel path.
 */
export async function failRelease(
  deps: WorkflowDeps,
  releaseId: string,
  reason: string,
  now: string,
  currentWave?: number,
): Promise<{ release: Release; moved: boolean }> {
  await deps.store.markRemainingWavesCanceled(releaseId, { reason: `Not started: ${reason}`, at: now });
  return moveRelease(deps.store, releaseId, {
    to: 'FAILED',
    reason,
    ...(currentWave !== undefined && { currentWave }),
    at: now,
  });
}
