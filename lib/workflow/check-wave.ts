/**
 * CheckWave: after each adaptive wait, DescribeJob → record progress →
 * `evaluateWave`. A wave still running waits again (longer while nothing
 * changes, never past its deadline); a wave that passed starts its bake, or
 * ends SUCCEEDED at once without bake time; a wave that failed or timed out
 * goes to FailWave with the reason. A retry after the wave moved on routes
 * from where the record stands.
 *
 * A wave halted by a pause (`haltRollout`) is judged over all its jobs: its
 * canceled job is no failure; once its running devices have finished the
 * release is held (HoldRelease), the wave still IN_PROGRESS, or, if the
 * pause was withdrawn meanwhile, the wave goes on with its follow-up job
 * (PrepareWave). Its thresholds still apply to what ran.
 *
 * A wave with maintenance windows times out only once they were open its
 * `timeoutMinutes` (the deadline set when its clock started), and its
 * sleeps count open time (wave-schedule.ts). At the release's
 * end time a wave that has not passed ends by the release's end behaviour.
 */
import { ConflictError } from '../domain/errors.js';
import { endTimeReached } from '../domain/release-schedule.js';
import { evaluateWave, toEpochMs } from '../domain/wave-evaluation.js';
import { haltStanding, judgedJobStatus } from '../domain/wave-halt.js';
import { buildWaveJobOverrides } from '../domain/wave-job.js';
import { bakeStep } from './check-bake.js';
import { completeWave } from './complete-wave.js';
import { endAtEndTime } from './end-at-end-time.js';
import { observeWave } from './observe-wave.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease, waveAt } from './release-context.js';
import { waveSchedule } from './wave-schedule.js';
import { waitPolicyFor } from './wave-timing.js';
import { sleepSeconds } from './wave-wake-timing.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

export async function checkWave(deps: WorkflowDeps, { state, now }: TaskEvent): Promise<WorkflowState> {
  const loaded = await loadRelease(deps.store, state.releaseId);
  const { release } = loaded;
  const { definition, state: wave, waveNumber } = waveAt(loaded, state.waveNumber);
  const out = carried(state);
  if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  if (wave.status === 'BAKING') return { ...out, ...bakeStep(release, wave, now) };
  if (wave.status === 'SUCCEEDED') {
    return { ...out, ...(await completeWave(deps, release, waveNumber, now, wave.reason ?? 'Passed.')) };
  }
  if (wave.status !== 'IN_PROGRESS' || !wave.startedAt) {
    throw new ConflictError(
      `Wave ${waveNumber} of release ${release.releaseId} is ${wave.status}.`,
      release.releaseId,
    );
  }

  const schedule = waveSchedule(release, wave, state, now);
  const { startedAt } = schedule;
  const seen = await observeWave(deps, wave, now, release, schedule);
  // At the release's end time only a wave that passed or crossed its failure threshold goes on:
  // anything else is the end behaviour's, not a failure (IoT itself may have canceled the job then).
  const ended = endTimeReached(release, toEpochMs(now));
  if ('gone' in seen) {
    return ended
      ? { ...out, ...(await endAtEndTime(deps, release, now)) }
      : { ...out, next: 'fail', failure: seen.gone };
  }
  const standing = haltStanding(seen.wave, release.pause?.haltedJobId);
  const decision = evaluateWave({
    counts: seen.job.counts,
    jobStatus: judgedJobStatus(standing, seen.job.status, seen.job.reasonCode),
    policy: definition,
    expectedThings: wave.expectedThings,
    startedAt,
    now,
    deadlineMs: schedule.deadlineMs,
    previous: state.poll?.last,
    wait: waitPolicyFor(definition),
    abortCriteria: buildWaveJobOverrides(definition).abortConfig.criteriaList,
    cancelNote: { reasonCode: seen.job.reasonCode, comment: seen.job.comment },
  });
  // A crossed failure threshold is a failure whenever it is seen: FailWave, its event and rollback.
  const crossed = decision.decision === 'failed' && decision.cause === 'FAILURE_THRESHOLD';
  if (ended && decision.decision !== 'succeeded' && !crossed)
    return { ...out, ...(await endAtEndTime(deps, release, now)) };
  switch (decision.decision) {
    case 'continue':
      return {
        ...out,
        next: 'poll',
        poll: {
          waitSeconds: decision.nextPollSeconds,
          safetyNetSeconds:
            standing === 'halted'
              ? // A halted job sends no event when its running devices finish: the adaptive poll
                // looks, windows or not (devices notified in the last window may still finish).
                schedule.untilEnd(decision.nextPollSeconds)
              : schedule.sleep(
                  sleepSeconds(
                    { startedAt, jobId: seen.job.jobId, deadlineMs: schedule.deadlineMs },
                    now,
                    definition,
                    { failed: decision.progress.failed, adaptiveSeconds: decision.nextPollSeconds },
                  ),
                ),
          last: decision.pollState,
        },
      };
    case 'failed':
    case 'timed_out': {
      return {
        ...out,
        next: 'fail',
        failure: {
          waveStatus: decision.decision === 'timed_out' ? 'TIMED_OUT' : 'FAILED',
          cause: decision.cause,
          reason: decision.reason,
        },
      };
    }
    case 'halted':
      // Held with the wave IN_PROGRESS; a pause withdrawn before the hold goes on with the rest now.
      return release.pause ? { ...out, next: 'hold' } : { ...out, next: 'wave', nextWaveNumber: waveNumber };
    case 'succeeded': {
      const { progress } = decision;
      const passed = `${progress.succeeded} of ${progress.total} things succeeded (${progress.succeededPercent}%).`;
      if (definition.bakeTimeMinutes === 0) {
        return { ...out, ...(await completeWave(deps, release, waveNumber, now, passed)) };
      }
      const baking = await deps.store.transitionWave(release.releaseId, waveNumber, 'BAKING', {
        from: ['IN_PROGRESS'],
        reason: `${passed} Baking for ${definition.bakeTimeMinutes} minutes.`,
        at: now,
      });
      return { ...out, ...bakeStep(release, baking.value, now) };
    }
  }
}
