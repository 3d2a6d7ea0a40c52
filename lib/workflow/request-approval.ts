/**
 * RequestApproval: the Lambda behind the approval gate
 * (`lambda:invoke.waitForTaskToken`). It keeps the task token on the wave
 * that just succeeded (write first), moves the release to WAITING_APPROVAL
 * and announces it. The execution then waits until the API sends
 * SendTaskSuccess (approved) or SendTaskFailure (refused) with that token,
 * or the gate's TimeoutSeconds passes. A release canceled meanwhile leaves
 * the gate at once (ReleaseCanceled) instead of waiting for nobody. A gate
 * opened again by a new execution (the local stack resuming after a
 * restart) that finds an approval already recorded on the wave sends it to
 * itself at once (SendTaskSuccess with its own token).
 */
import { approvalOutput } from '../domain/approval-gate.js';
import { ConflictError } from '../domain/errors.js';
import { ReleaseCanceledError } from './errors.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease, moveRelease, waveAt } from './release-context.js';
import { awaitingApproval } from './release-events.js';
import type { WaveWakeDeps } from './wave-wake.js';
import type { ApprovalTaskEvent } from './workflow-state.js';

export async function requestApproval(
  deps: WorkflowDeps & Pick<WaveWakeDeps, 'waker'>,
  { state, now, taskToken }: ApprovalTaskEvent,
): Promise<{ waiting: true }> {
  const loaded = await loadRelease(deps.store, state.releaseId);
  const { waveNumber } = waveAt(loaded, state.waveNumber);
  const canceled = () =>
    new ReleaseCanceledError(`Release ${state.releaseId} was canceled; nobody is asked to approve it.`);
  if (loaded.release.status === 'CANCELED') throw canceled();
  const approval = await deps.store.openGate(state.releaseId, waveNumber, { token: taskToken, at: now });
  if (approval) {
    // Approved while this gate was being opened again (a new execution after a restart): the
    // approval the API took goes through now, instead of a second one being asked for.
    await deps.waker.wake(taskToken, approvalOutput(approval, waveNumber));
    return { waiting: true };
  }
  const nextWave = state.nextWaveNumber ?? null;
  const { release } = await moveRelease(deps.store, state.releaseId, {
    to: 'WAITING_APPROVAL',
    from: ['IN_PROGRESS'],
    reason:
      nextWave === null
        ? `Wave ${waveNumber} succeeded; approval needed to complete the release.`
        : `Wave ${waveNumber} succeeded; approval needed before wave ${nextWave}.`,
    currentWave: waveNumber,
    at: now,
  });
  if (release.status === 'CANCELED') throw canceled();
  if (release.status !== 'WAITING_APPROVAL') {
    throw new ConflictError(`Release ${state.releaseId} is ${release.status}, not waiting for approval.`);
  }
  await deps.notifier.publish(awaitingApproval(release, waveNumber, nextWave, now));
  return { waiting: true };
}
