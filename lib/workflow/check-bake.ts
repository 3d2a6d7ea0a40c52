/**
 * CheckBake: after a bake wait, DescribeJob → record progress →
 * `checkBake`. Executions can still fail after the wave passed (retries
 * under the job's retry configuration); a wave whose failures cross the
 * threshold while it bakes fails instead of succeeding. Once the bake time
 * is over, the wave ends SUCCEEDED. Bakes longer than an hour are checked
 * every hour, so a failure or a cancellation is noticed within the hour.
 * A bake counts wall time (maintenance windows or not), and wakes at the
 * release's end time, where an unfinished bake ends by the end behaviour.
 */
import { ConflictError } from '../domain/errors.js';
import type { Release, WaveState } from '../domain/release.js';
import type { WaveDefinition } from '../domain/release-request.js';
import { capAtEnd, endTimeReached } from '../domain/release-schedule.js';
import { checkBake as checkBakeRule, toEpochMs } from '../domain/wave-evaluation.js';
import { completeWave } from './complete-wave.js';
import { endAtEndTime } from './end-at-end-time.js';
import { observeWave } from './observe-wave.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease, waveAt } from './release-context.js';
import { bakeWaitSeconds } from './wave-timing.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

/** When the bake of a BAKING wave ends, epoch ms (it began when the wave became BAKING). */
function bakeEndMs(wave: WaveState, definition: WaveDefinition): number {
  const since = wave.statusChangedAt ?? wave.updatedAt;
  if (!since) throw new ConflictError(`Wave ${wave.waveNumber} has no bake start.`, wave.releaseId);
  return toEpochMs(since) + definition.bakeTimeMinutes * 60_000;
}

/**
 * The next bake wait of a BAKING wave; the hold instead when a pause is
 * asked for (the bake's clock runs on while held: a resume waits out only
 * what is left of it, then looks once more).
 */
export function bakeStep(
  release: Release,
  wave: WaveState,
  now: string,
): Pick<WorkflowState, 'next' | 'bake'> {
  if (release.pause) return { next: 'hold' };
  const definition = release.waves[wave.waveNumber - 1];
  if (!definition) throw new ConflictError(`Release ${release.releaseId} has no wave ${wave.waveNumber}.`);
  const nowMs = toEpochMs(now);
  // The bake counts wall time, windows or not; it wakes at the release's end time.
  const waitSeconds = capAtEnd(bakeWaitSeconds(bakeEndMs(wave, definition) - nowMs), release, nowMs);
  return { next: 'bake', bake: { waitSeconds } };
}

export async function checkBake(deps: WorkflowDeps, { state, now }: TaskEvent): Promise<WorkflowState> {
  const loaded = await loadRelease(deps.store, state.releaseId);
  const { release } = loaded;
  const { definition, state: wave, waveNumber } = waveAt(loaded, state.waveNumber);
  const out = carried(state);
  if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  if (wave.status === 'SUCCEEDED') {
    return { ...out, ...(await completeWave(deps, release, waveNumber, now, wave.reason ?? 'Baked.')) };
  }
  if (wave.status !== 'BAKING') {
    throw new ConflictError(
      `Wave ${waveNumber} of release ${release.releaseId} is ${wave.status}, not baking.`,
    );
  }

  const seen = await observeWave(deps, wave, now);
  const nowMs = toEpochMs(now);
  const ended = endTimeReached(release, nowMs);
  const endNow = async () => ({ ...out, ...(await endAtEndTime(deps, release, now)) });
  if ('gone' in seen) return ended ? endNow() : { ...out, next: 'fail', failure: seen.gone };
  const verdict = checkBakeRule({
    counts: seen.job.counts,
    policy: definition,
    expectedThings: wave.expectedThings,
  });
  // At the release's end time a bake that is over and clean ends the wave SUCCEEDED and a crossed
  // failure threshold fails it, as at any time; anything else is the end behaviour's.
  const over = nowMs >= bakeEndMs(wave, definition) && verdict.decision === 'ok';
  if (ended && verdict.decision !== 'failed' && !over) return endNow();
  if (verdict.decision === 'failed') {
    return {
      ...out,
      next: 'fail',
      failure: { waveStatus: 'FAILED', cause: verdict.cause, reason: `While baking: ${verdict.reason}` },
    };
  }
  if (toEpochMs(now) < bakeEndMs(wave, definition)) {
    return { ...out, ...bakeStep(release, wave, now) };
  }
  const { progress } = verdict;
  const reason = `Baked for ${definition.bakeTimeMinutes} minutes: ${progress.succeeded} of ${progress.total} things succeeded (${progress.succeededPercent}%).`;
  return { ...out, ...(await completeWave(deps, release, waveNumber, now, reason)) };
}
