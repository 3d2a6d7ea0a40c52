/**
 * What follows once a release is marked CANCELED (by a cancel or a rejected
 * approval): no wave may start, the running wave's IoT job is canceled and
 * the wave recorded as CANCELED, nothing is left waiting for an answer, and
 * the execution stops.
 *
 * Every step is idempotent, so the cleanup can run again (a repeated cancel,
 * two cancels at once, the workflow's own cancel path) and finish what is
 * left. The order matters:
 * - PENDING waves are canceled first, so a StartWave that has not yet
 *   recorded its start loses that conditional write and no wave slips through;
 * - the running waves' jobs are canceled next (a release the workflow ended
 *   at its end time keeps to its end behaviour: no `force` of the caller's
 *   overrides it, and STOP_ROLLOUT leaves the job to IoT);
 * - the execution is stopped next, and only when everything before it
 *   succeeded. A cleanup cut short (a throttled CancelJob) leaves the
 *   execution running, and the workflow, which reads the release before
 *   each step, takes its cancel path and finishes it;
 * - once the execution is stopped, the workflow will never reach its own
 *   end, so the thing groups the release created are deleted here, best
 *   effort (a failure is reported through `warn`, never returned). When the
 *   execution goes on (a rejection the workflow received, or a cleanup cut
 *   short), the workflow's CancelRelease deletes them.
 */

import { ConflictError, NotFoundError } from '../domain/errors.js';
import { endedWaveOutcome } from '../domain/release-schedule.js';
import type { ReleaseStore } from '../domain/release-store.js';
import { lastWaveJobId } from '../domain/wave-halt.js';
import { deleteGroupsOfRelease, type GroupDeletionWarn } from '../workflow/delete-release-groups.js';
import type { ReleaseApiDeps, ReleaseExecutions, ReleaseJobCanceller, RequestMeta } from './ports.js';

/** CancelJob's `reasonCode` for a wave canceled with its release (`[\p{Upper}\p{Digit}_]+`). */
const RELEASE_CANCELED_REASON_CODE = 'FLEETWAVE_RELEASE_CANCELED';
/** StopExecution's `error` when a release is canceled. */
const RELEASE_CANCELED_ERROR = 'ReleaseCanceled';

/** IoT's `comment` limit. */
const MAX_IOT_COMMENT = 2028;

/** `Canceled by <actor>: <comment>`: what the history keeps about a person's action. */
export function actionReason(action: string, actor: string | undefined, comment: string | undefined): string {
  return `${action}${actor ? ` by ${actor}` : ''}${comment ? `: ${comment}` : ''}`;
}

export interface CleanupOptions {
  /** Why: the release's status reason. */
  reason: string;
  /** Cancel the running job's IN_PROGRESS executions too. */
  force: boolean;
  /** False when the workflow was told otherwise (a rejected approval) and ends by itself. */
  stopExecution: boolean;
  /** Epoch ms of the request. */
  at: number;
  /** Who canceled or rejected: the actor of the waves this cleanup ends. */
  actor: string;
  /** Where a thing group left undeleted is reported (the request's logger). */
  warn?: GroupDeletionWarn;
}

/** Runs `step`; a conflict means the workflow got there first, and a missing job means nothing to cancel. */
async function tolerant(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
  }
}

/**
 * Cleans up after a CANCELED release. Tries every step even when one fails,
 * and returns the failures (empty when the cleanup is complete): the
 * release is CANCELED whatever they are, and the workflow finishes what is
 * left (see above).
 */
export async function cleanUpCanceledRelease(
  deps: {
    store: ReleaseStore;
    executions: ReleaseExecutions;
    jobs: ReleaseJobCanceller;
    groups: ReleaseApiDeps['groups'];
  },
  releaseId: string,
  options: CleanupOptions,
): Promise<unknown[]> {
  const failures: unknown[] = [];
  const attempt = async (step: () => Promise<unknown>) => {
    try {
      await tolerant(step);
    } catch (error) {
      failures.push(error);
    }
  };
  const { reason, at, actor } = options;
  await attempt(() => deps.store.markRemainingWavesCanceled(releaseId, { reason, at, actor }));
  await attempt(async () => {
    const { release, waves } = await deps.store.getRelease(releaseId);
    for (const wave of waves) {
      if (wave.status === 'IN_PROGRESS' || wave.status === 'BAKING') {
        // The wave's running job: its last follow-up, once a halt gave it one.
        const jobId = lastWaveJobId(wave);
        // A release ended at its end time keeps to its end behaviour, whatever this caller's `force`:
        // STOP_ROLLOUT leaves the job to IoT and judges the wave on what ran, as the workflow would.
        const definition = release.waves[wave.waveNumber - 1];
        const ended =
          release.endedAtEndTime && definition
            ? endedWaveOutcome(release.endedAtEndTime, wave, definition)
            : { status: 'CANCELED' as const, reason, cancelJob: { force: options.force } };
        // One step: the wave is recorded CANCELED only once its job is, so a retry still finds the job to cancel.
        await attempt(async () => {
          if (jobId && ended.cancelJob) {
            const { force } = ended.cancelJob;
            await tolerant(() =>
              deps.jobs.cancel(jobId, {
                reasonCode: RELEASE_CANCELED_REASON_CODE,
                comment: reason.slice(0, MAX_IOT_COMMENT),
                force,
              }),
            );
          }
          await deps.store.finishWave(releaseId, wave.waveNumber, ended.status, {
            reason: ended.reason,
            at,
            actor,
          });
        });
      } else if (wave.waitingFor) {
        // A finished wave still holding a gate's token: nobody may answer it any more.
        await attempt(() => deps.store.takeTaskToken(releaseId, wave.waveNumber));
      }
    }
  });
  if (options.stopExecution && failures.length === 0) {
    await attempt(() => deps.executions.stop(releaseId, { error: RELEASE_CANCELED_ERROR, cause: reason }));
    if (failures.length === 0) await deleteGroupsOfRelease(deps, releaseId, options.warn);
  }
  return failures;
}

/** Reports what a cleanup after a decision could not do; the workflow finishes it. */
export function reportCleanupFailures(
  meta: RequestMeta,
  releaseId: string,
  failures: readonly unknown[],
): void {
  for (const failure of failures) {
    meta.warn?.('cleanup of a canceled release left to the workflow', {
      releaseId,
      cause: failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure),
    });
  }
}
