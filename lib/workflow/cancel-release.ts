/**
 * CancelRelease: the release was canceled through the API (its status is
 * CANCELED in the table, and stays so). The workflow stops cleanly: every
 * running wave is recorded CANCELED and its job canceled (on a re-run too,
 * when the first run stopped between the two), any approval token is dropped, the waves not started are CANCELED, and the
 * cancellation is announced, and the thing groups the release created are
 * deleted (best effort). The release record itself is not written.
 */
import { ConflictError } from '../domain/errors.js';
import { deleteReleaseGroups } from './delete-release-groups.js';
import { endWave, isRunning, stopWaveJob } from './end-release.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease } from './release-context.js';
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
  for (const wave of waves.filter(isRunning)) {
    await endWave(deps, release, wave, 'CANCELED', reason, now, state.jobTemplateArn);
  }
  // A wave an earlier run recorded CANCELED may still have its job running: that run was retried
  // or paced between the record and CancelJob. Stop it now; only the wave's own running job is touched.
  for (const wave of waves.filter((w) => w.status === 'CANCELED' && w.jobId !== undefined)) {
    await stopWaveJob(deps, release, wave, 'CANCELED', reason, state.jobTemplateArn);
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
