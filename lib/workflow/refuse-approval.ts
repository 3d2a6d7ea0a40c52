/**
 * RefuseApproval: the approval gate did not end in an approval. Either a
 * person refused (SendTaskFailure: its error and cause are the reason), or
 * nobody answered within the gate's TimeoutSeconds (`States.Timeout`), or
 * the release was canceled through the API. The token is dropped (a late
 * answer finds nothing), the waves not yet started are CANCELED, and the
 * release ends FAILED with the reason, unless it was canceled, in which
 * case the cancel path takes over; a release that ends FAILED here loses
 * the thing groups it created (best effort). An approval recorded at the gate wins
 * over the gate's end: the release goes on as approved. A gate cut short by
 * the release's end time ends the release by its end behaviour instead.
 */
import { approvalOutput } from '../domain/approval-gate.js';
import { endTimeReached } from '../domain/release-schedule.js';
import { toEpochMs } from '../domain/wave-evaluation.js';
import { deleteReleaseGroups } from './delete-release-groups.js';
import { endAtEndTime } from './end-at-end-time.js';
import { failRelease } from './end-release.js';
import { GATE_TIMEOUT_SECONDS } from './gate-timeout.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease } from './release-context.js';
import { releaseFailed } from './release-events.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

function refusalReason(waveNumber: number | undefined, error: WorkflowState['error']): string {
  const gate = waveNumber === undefined ? 'The approval' : `The approval after wave ${waveNumber}`;
  if (!error || error.Error === 'States.Timeout') {
    return `${gate} was not given within ${GATE_TIMEOUT_SECONDS / 86_400} days.`;
  }
  const cause = error.Cause?.trim();
  return `${gate} was refused (${error.Error})${cause ? `: ${cause.slice(0, 1000)}` : '.'}`;
}

export async function refuseApproval(deps: WorkflowDeps, { state, now }: TaskEvent): Promise<WorkflowState> {
  const out = carried(state);
  const loaded = await loadRelease(deps.store, state.releaseId);
  if (loaded.release.status === 'CANCELED') return { ...out, next: 'canceled' };
  if (state.waveNumber !== undefined) {
    // The token first: taking it closes the gate (one write), so an approval either got in before
    // (recorded, below) or finds the gate closed and is refused, changing nothing.
    await deps.store.takeTaskToken(state.releaseId, state.waveNumber, 'APPROVAL');
    // The gate's wait is cut at the release's end time: then nothing was refused, the release
    // ends by its end behaviour (the API refuses an answer once the end time has come).
    if (endTimeReached(loaded.release, toEpochMs(now))) {
      return { ...out, ...(await endAtEndTime(deps, loaded.release, now)) };
    }
    // Approved all the same: the API took the approval as the gate closed (it timed out, or its
    // task failed after finding the approval). The approval stands, and the release goes on.
    const approval = await deps.store.approvalOf(state.releaseId, state.waveNumber);
    if (approval && state.afterApproval) {
      return {
        ...out,
        ...(state.nextWaveNumber !== undefined && { nextWaveNumber: state.nextWaveNumber }),
        approval: approvalOutput(approval, state.waveNumber),
        next: state.afterApproval,
      };
    }
  }
  const reason = refusalReason(state.waveNumber, state.error);
  const { release, moved } = await failRelease(deps, state.releaseId, reason, now, state.waveNumber);
  if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  await deps.notifier.publish(
    releaseFailed(release, now, { reason: moved ? reason : (release.statusReason ?? reason) }),
  );
  await deleteReleaseGroups(deps.groups, { release, waves: loaded.waves });
  return { ...out, next: 'failed' };
}
