/**
 * CancelRelease: the release was canceled through the API (its status is
 * CANCELED in the table, and stays so). The workflow stops cleanly: every
 * running wave is recorded CANCELED and its job canceled (on a re-run too,
 * when the first run stopped between the two), any approval token is dropped, the waves not started are CANCELED, and the
 * cancellation is announced, and the thing groups the release created are
 * deleted (best effort). The release record itself is not written.
 *
 * A release the workflow ended at its `schedulingConfig.endTime` takes the
 * same path, its running wave ended by the end behaviour it recorded
 * (`endedWaveOutcome`): canceled (with force for FORCE_CANCEL), or, for
 * STOP_ROLLOUT, judged on what ran with its job left to IoT.
 */
import { ConflictError } from '../domain/errors.js';
import { endedWaveOutcome } from '../domain/release-schedule.js';
import { deleteReleaseGroups } from './delete-release-groups.js';
import { endWave, isRunning, stopWaveJob } from './end-release.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease, waveAt } from './release-context.js';
import { releaseCanceled } from './release-events.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

export async function cancelRelease(deps: WorkflowDeps, { state, now }: TaskEvent): Promise<WorkflowState> {
  const { release, waves } = await loadRelease(deps.store, state.releaseId);
  if (release.status !== 'CANCELED') {
    throw new ConflictError(
      `Release ${state.releaseId} is ${release.status}, not CANCELED.`,
      state.releaseId,
    );
  }
  const reason = `Release canceled${release.statusReason ? `: ${release.statusReason}` : '.'}`;
  const atEnd = release.endedAtEndTime;
  for (const wave of waves.filter(isRunning)) {
    if (atEnd === undefined) {
      await endWave(deps, release, wave, 'CANCELED', reason, now, state.jobTemplateArn);
      continue;
    }
    const definition = waveAt({ release, waves }, wave.waveNumber).definition;
    const outcome = endedWaveOutcome(atEnd, wave, definition);
    if (outcome.cancelJob) {
      const { force } = outcome.cancelJob;
      await endWave(deps, release, wave, 'CANCELED', outcome.reason, now, state.jobTemplateArn, force);
    } else {
      await deps.store.finishWave(state.releaseId, wave.waveNumber, outcome.status, {
        reason: outcome.reason,
        at: now,
      });
    }
  }
  // A wave an earlier run recorded CANCELED may still have its job running: that run was retried
  // or paced between the record and CancelJob. Stop it now; only the wave's own running job is
  // touched. STOP_ROLLOUT at the end time leaves the job to IoT.
  const stopAgain = atEnd !== 'STOP_ROLLOUT';
  for (const wave of waves.filter((w) => stopAgain && w.status === 'CANCELED' && w.jobId !== undefined)) {
    await stopWaveJob(
      deps,
      release,
      wave,
      'CANCELED',
      reason,
      state.jobTemplateArn,
      atEnd === 'FORCE_CANCEL',
    );
  }
  for (const wave of waves.filter((w) => w.waitingFor === 'APPROVAL')) {
    await deps.store.takeTaskToken(state.releaseId, wave.waveNumber, 'APPROVAL');
  }
  await deps.store.markRemainingWavesCanceled(state.releaseId, { reason, at: now });
  const last = [...waves].reverse().find((w) => w.status !== 'PENDING' && w.status !== 'CANCELED');
  await deps.notifier.publish(releaseCanceled(release, now, last?.waveNumber));
  await deleteReleaseGroups(deps.groups, { release, waves });
  return { ...carried(state), next: 'canceled' };
}
