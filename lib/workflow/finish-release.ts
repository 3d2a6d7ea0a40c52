/**
 * FinishRelease: every wave succeeded (and, where asked, was approved). The
 * release is recorded SUCCEEDED and announced; after an approval of the
 * last wave it first goes back to IN_PROGRESS. A release canceled meanwhile
 * takes the cancel path; one with a pause asked for is held before it ends.
 * Last, the thing groups the release created are deleted (best effort).
 */
import { ConflictError } from '../domain/errors.js';
import { deleteReleaseGroups } from './delete-release-groups.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease, moveRelease, resumeAfterApproval } from './release-context.js';
import { releaseSucceeded } from './release-events.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

export async function finishRelease(deps: WorkflowDeps, { state, now }: TaskEvent): Promise<WorkflowState> {
  const out = carried(state);
  const loaded = await loadRelease(deps.store, state.releaseId);
  const unfinished = loaded.waves.find((wave) => wave.status !== 'SUCCEEDED');
  if (unfinished) {
    throw new ConflictError(
      `Release ${state.releaseId} cannot succeed: wave ${unfinished.waveNumber} is ${unfinished.status}.`,
      state.releaseId,
    );
  }
  const resumed = await resumeAfterApproval(deps.store, loaded.release, now, state.approval);
  if (resumed.status === 'CANCELED') return { ...out, next: 'canceled' };
  if (resumed.pause) return { ...out, next: 'hold' };
  const { release } = await moveRelease(deps.store, state.releaseId, {
    to: 'SUCCEEDED',
    from: ['IN_PROGRESS'],
    reason: `All ${loaded.waves.length} waves succeeded.`,
    at: now,
  });
  if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  await deps.notifier.publish(releaseSucceeded(release, loaded.waves[0]?.startedAt, now));
  await deleteReleaseGroups(deps.groups, { release, waves: loaded.waves });
  return { ...out, next: 'succeeded' };
}
