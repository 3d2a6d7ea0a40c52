/**
 * FailWave: a wave failed or timed out (CheckWave or CheckBake said why).
 * The wave is recorded FAILED or TIMED_OUT with the reason, its job is
 * canceled (QUEUED executions stop; IN_PROGRESS ones run to their end), the
 * waves after it are CANCELED, the release is FAILED with the reason, and
 * both are announced. If the release was canceled through the API
 * meanwhile, that status stands and the cancel path takes over. A release
 * that says `onFailure.rollback` then starts its rollback (start-rollback.ts).
 * Last, the thing groups the release created are deleted (best effort).
 */
import { ValidationError } from '../domain/errors.js';
import { deleteReleaseGroups } from './delete-release-groups.js';
import { endWave, failRelease } from './end-release.js';
import { loadRelease, waveAt } from './release-context.js';
import { releaseFailed, waveFailed } from './release-events.js';
import { type RollbackDeps, startRollback } from './start-rollback.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

export async function failWave(deps: RollbackDeps, { state, now }: TaskEvent): Promise<WorkflowState> {
  const { failure } = state;
  if (!failure) {
    throw new ValidationError('FailWave needs the failure CheckWave found.', [
      { path: 'state.failure', message: 'is required' },
    ]);
  }
  const loaded = await loadRelease(deps.store, state.releaseId);
  const { state: wave, waveNumber } = waveAt(loaded, state.waveNumber);
  const out = carried(state);
  const ended = await endWave(
    deps,
    loaded.release,
    wave,
    failure.waveStatus,
    failure.reason,
    now,
    state.jobTemplateArn,
  );
  const verb = failure.waveStatus === 'TIMED_OUT' ? 'timed out' : 'failed';
  const reason = `Wave ${waveNumber} ${verb}: ${failure.reason}`;
  const { release, moved } = await failRelease(deps, state.releaseId, reason, now, waveNumber);
  if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  await deps.notifier.publish(waveFailed(release, ended.wave, now, failure));
  await deps.notifier.publish(
    releaseFailed(release, now, {
      reason: moved ? reason : (release.statusReason ?? reason),
      failedWaveNumber: waveNumber,
    }),
  );
  await startRollback(deps, { release, waves: loaded.waves }, waveNumber, now);
  // Last: the rollback reads the executions, never these groups.
  await deleteReleaseGroups(deps.groups, { release, waves: loaded.waves });
  return { ...out, next: 'failed' };
}
