/**
 * HoldRelease: the Lambda behind the pause (`lambda:invoke.waitForTaskToken`),
 * entered at a wave boundary, in a bake, or before the release ends when a
 * pause is asked for. In one write it moves the release IN_PROGRESS → PAUSED
 * and keeps the task token on the release item, then announces *Release
 * Paused*. The execution then waits, with no polling and no Lambda time,
 * until the API resumes the release (SendTaskSuccess with the token).
 *
 * A hold that finds no pause asked for any more (resumed while the machine
 * was on its way here, or while a new execution after a restart came back
 * to it) sends the success to its own token at once: the release goes on.
 * A hold entered again for a release already PAUSED (after a restart, or
 * after its timeout) only replaces the stale token.
 */
import { resumePoint } from '../domain/resume-point.js';
import { ReleaseCanceledError } from './errors.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease } from './release-context.js';
import { releasePaused } from './release-events.js';
import type { WaveWakeDeps } from './wave-wake.js';
import type { ApprovalTaskEvent } from './workflow-state.js';

/**
 * Where the release is held, for people: `before wave 3`, `in the bake of
 * wave 2`, `in wave 2, halted`, `before the release ends`. A wave that
 * started and is held was halted (a plain pause waits for its verdict).
 */
function holdPoint(loaded: Awaited<ReturnType<typeof loadRelease>>): string {
  const point = resumePoint({ ...loaded.release, status: 'IN_PROGRESS' }, loaded.waves);
  switch (point.step) {
    case 'bake':
      return `in the bake of wave ${point.waveNumber}`;
    case 'wave':
      return point.started ? `in wave ${point.waveNumber}, halted` : `before wave ${point.waveNumber}`;
    default:
      return 'before the release ends';
  }
}

export async function holdRelease(
  deps: WorkflowDeps & Pick<WaveWakeDeps, 'waker'>,
  { state, now, taskToken }: ApprovalTaskEvent,
): Promise<{ waiting: true }> {
  const loaded = await loadRelease(deps.store, state.releaseId);
  if (loaded.release.status === 'CANCELED') {
    throw new ReleaseCanceledError(`Release ${state.releaseId} was canceled; it is not held.`);
  }
  const where = holdPoint(loaded);
  const held = await deps.store.holdRelease(state.releaseId, { token: taskToken, where, at: now });
  if (!held.held) {
    // Resumed before the hold was reached: nothing to wait for (and nothing to announce).
    await deps.waker.wake(taskToken, {});
    return { waiting: true };
  }
  if (held.moved) await deps.notifier.publish(releasePaused(held.release, where, now));
  return { waiting: true };
}
