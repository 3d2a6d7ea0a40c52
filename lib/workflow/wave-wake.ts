/**
 * Waking a wave that waits for its IoT job's events. The wave's wait is a
 * `lambda:invoke.waitForTaskToken` task (`WaitForProgress`): its Lambda,
 * {@link awaitWaveProgress}, keeps the task token on the wave item (purpose
 * WAIT), and whoever learns that the wave must be judged again (the IoT
 * job-events trigger, see `job-event.ts`) takes the token, which is
 * take-once, and sends SendTaskSuccess: of any number of duplicate events,
 * exactly one wakes the workflow. The task's timeout is the safety net.
 */
import type { ReleaseStore } from '../domain/release-store.js';
import { loadRelease, waveAt } from './release-context.js';
import { wakeReason } from './wave-wake-timing.js';
import type { ApprovalTaskEvent } from './workflow-state.js';

/** Completes a waiting `.waitForTaskToken` task (SendTaskSuccess). */
export interface WaveWaker {
  /** 'task-gone' when the task no longer waits (timed out, answered, execution closed). @throws ThrottledError, UpstreamError */
  wake(taskToken: string, output: object): Promise<'delivered' | 'task-gone'>;
}

/** What waking waves needs. */
export interface WaveWakeDeps {
  store: ReleaseStore;
  waker: WaveWaker;
}

/** The output the woken task hands to CheckWave (`$.wake`); informative only. */
export interface WakeOutput {
  reason: string;
  at: string;
}

/**
 * Wakes wave `waveNumber` if its workflow is waiting on it: takes the WAIT
 * token (take-once, so one wake however many callers) and sends it. True
 * when this call woke it. A failed send puts the token back, so a retry
 * (or the safety net) still finds the wave asleep rather than lost.
 */
export async function wakeWave(
  deps: WaveWakeDeps,
  releaseId: string,
  waveNumber: number,
  output: WakeOutput,
): Promise<boolean> {
  const taken = await deps.store.takeTaskToken(releaseId, waveNumber, 'WAIT');
  if (!taken) return false;
  try {
    return (await deps.waker.wake(taken.token, output)) === 'delivered';
  } catch (error) {
    await deps.store.storeTaskToken(releaseId, waveNumber, {
      token: taken.token,
      purpose: 'WAIT',
      at: taken.storedAt,
    });
    throw error;
  }
}

/**
 * The Lambda behind `WaitForProgress`: keeps the task token on the wave
 * (write first), then reads the wave again. An event that arrived between
 * CheckWave's look and this write found no token to take, but it recorded
 * what it saw; if that record already calls for a decision, the wave wakes
 * itself now instead of sleeping until the safety net. A wave no longer
 * running, or a canceled release, is woken at once: CheckWave routes it.
 */
export async function awaitWaveProgress(
  deps: WaveWakeDeps,
  { state, now, taskToken }: ApprovalTaskEvent,
): Promise<{ waiting: boolean }> {
  const loaded = await loadRelease(deps.store, state.releaseId);
  const { definition, state: wave, waveNumber } = waveAt(loaded, state.waveNumber);
  if (loaded.release.status === 'CANCELED' || wave.status !== 'IN_PROGRESS') {
    await deps.waker.wake(taskToken, {
      reason: `wave ${wave.status}, release ${loaded.release.status}`,
      at: now,
    });
    return { waiting: false };
  }
  await deps.store.storeTaskToken(state.releaseId, waveNumber, {
    token: taskToken,
    purpose: 'WAIT',
    at: now,
  });
  const why = wakeReason(await deps.store.getWave(state.releaseId, waveNumber), definition);
  if (why && (await wakeWave(deps, state.releaseId, waveNumber, { reason: why, at: now }))) {
    return { waiting: false };
  }
  return { waiting: true };
}
