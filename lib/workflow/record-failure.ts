/**
 * RecordFailure: where every task's Catch leads. Whatever stopped the
 * workflow (a missing template, a foreign job, a bug, retries exhausted),
 * the release must not stay IN_PROGRESS with no execution behind it: the
 * running wave is recorded FAILED, the waves not started CANCELED and the
 * release FAILED with the error as reason (all records first), then the
 * wave's own job is canceled, the failure announced and the thing groups the
 * release created deleted (best effort). A release already final, or canceled
 * through the API, is left as it is (a SUCCEEDED one only loses its groups).
 */
import { NotFoundError, ThrottledError, UpstreamError } from '../domain/errors.js';
import type { AnyNotificationEvent } from '../domain/notifications.js';
import type { ReleaseWithWaves, WaveState } from '../domain/release.js';
import { deleteReleaseGroups } from './delete-release-groups.js';
import { failRelease, isRunning, stopWaveJob } from './end-release.js';
import type { WorkflowDeps } from './ports.js';
import { loadRelease } from './release-context.js';
import { releaseFailed, waveFailed } from './release-events.js';
import { carried, type TaskEvent, type WorkflowState } from './workflow-state.js';

/** The message inside a Lambda error's Cause (`{"errorType","errorMessage","trace"}`), or the Cause itself. */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not JSON: a Cause written by Step Functions itself or by SendTaskFailure.
  }
  return cause;
}

/** Publishes, unless the event is malformed: the failure must be recorded even if announcing it is not possible. */
async function publishAll(deps: WorkflowDeps, build: () => AnyNotificationEvent[]): Promise<void> {
  let events: AnyNotificationEvent[];
  try {
    events = build();
  } catch {
    return;
  }
  for (const event of events) {
    try {
      await deps.notifier.publish(event);
    } catch (error) {
      // A passing outage is retried with the whole task; anything else must not hide the failure.
      if (error instanceof ThrottledError || error instanceof UpstreamError) throw error;
    }
  }
}

export async function recordFailure(deps: WorkflowDeps, { state, now }: TaskEvent): Promise<WorkflowState> {
  const out = carried(state);
  const name = state.error?.Error ?? 'UnknownError';
  const message = causeMessage(state.error?.Cause).slice(0, 1000);
  const reason = `The release workflow stopped on ${name}${message ? `: ${message}` : '.'}`;
  let loaded: ReleaseWithWaves;
  try {
    loaded = await loadRelease(deps.store, state.releaseId);
  } catch (error) {
    // Nothing to record for a release that does not exist.
    if (error instanceof NotFoundError) return { ...out, next: 'failed' };
    throw error;
  }
  if (loaded.release.status === 'CANCELED') return { ...out, next: 'canceled' };
  if (loaded.release.status === 'SUCCEEDED') {
    // Ended before the error: its end may not have got as far as deleting its groups.
    await deleteReleaseGroups(deps.groups, loaded);
    return { ...out, next: 'failed' };
  }

  // Records first, all of them: if IoT then keeps failing, the release is FAILED already.
  const ended: WaveState[] = [];
  for (const wave of loaded.waves.filter(isRunning)) {
    const finished = await deps.store.finishWave(state.releaseId, wave.waveNumber, 'FAILED', {
      reason,
      at: now,
    });
    ended.push(finished.value);
  }
  const failedWave = ended[0]?.waveNumber ?? state.waveNumber;
  const { release } = await failRelease(deps, state.releaseId, reason, now, failedWave);
  if (release.status === 'CANCELED') return { ...out, next: 'canceled' };
  // Also on a retry that finds the records in place: a job left running is stopped now.
  const { waves } = await loadRelease(deps.store, state.releaseId);
  for (const wave of waves.filter((w) => w.status === 'FAILED' || w.status === 'TIMED_OUT')) {
    await stopWaveJob(deps, release, wave, 'FAILED', reason, state.jobTemplateArn);
  }
  await publishAll(deps, () => [
    ...ended.map((wave) =>
      waveFailed(release, wave, now, { waveStatus: 'FAILED', cause: 'JOB_CANCELED', reason }),
    ),
    releaseFailed(release, now, {
      reason: release.statusReason ?? reason,
      ...(failedWave !== undefined && { failedWaveNumber: failedWave }),
      error: { name, message },
    }),
  ]);
  await deleteReleaseGroups(deps.groups, { release, waves });
  return { ...out, next: 'failed' };
}
