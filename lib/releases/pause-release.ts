/**
 * Pausing and resuming a release through the API. Each answer is true to
 * the state it leaves: accepted, and the release moves on once; or
 * refused, and nothing changed.
 *
 * - pause: the pause is recorded on the release in one write. The workflow
 *   holds the release at the next point where no wave job runs (a wave
 *   boundary, a bake, the end) and moves it to PAUSED there; no job is
 *   created while it is held. Pausing a release whose pause is asked for or
 *   held already answers it unchanged; one that has ended is a 409. With
 *   `haltRollout`, the same write records the running wave job, which is
 *   then canceled without force (halt-rollout.ts); the workflow holds the
 *   release once the wave's running devices have finished.
 * - resume: in one write the pause is dropped and a held release moves
 *   PAUSED → IN_PROGRESS, taking the hold's token; the resume is then sent
 *   with it. A hold whose task no longer listens (the local stack
 *   restarted, and its new execution is coming back to the hold) finds no
 *   pause and goes on at once, so the resume stands as long as an
 *   execution runs the release; if none does, or the send failed, the
 *   release is put back as it was before the error is answered. A pause
 *   asked for and not held yet is simply withdrawn. A release that is not
 *   paused is a 409.
 */

import { ConflictError } from '../domain/errors.js';
import { type PauseAction, resumeOutput } from '../domain/release-pause.js';
import { refuseAfterEndTime } from './end-time-guard.js';
import { finishHalt, haltTarget } from './halt-rollout.js';
import type { ReleaseApiDeps, RequestMeta } from './ports.js';
import { type ReleaseView, releaseView } from './release-view.js';

export interface PauseInput {
  releaseId: string;
  comment?: string | undefined;
}

export interface PauseRequestInput extends PauseInput {
  /** Also stop the running wave now (CancelJob without force); its rest goes on after the resume. */
  haltRollout?: boolean | undefined;
}

function actionOf(input: PauseInput, meta: RequestMeta): PauseAction {
  return {
    at: new Date(meta.now()).toISOString(),
    ...(meta.actor && { actor: meta.actor }),
    ...(input.comment && { comment: input.comment }),
  };
}

/**
 * Asks for a pause, halting the running wave with `haltRollout`.
 * @throws NotFoundError, ConflictError (the release has ended; a 100th halt of a wave), ThrottledError, UpstreamError
 */
export async function pauseRelease(
  deps: Pick<ReleaseApiDeps, 'store' | 'jobs'>,
  input: PauseRequestInput,
  meta: RequestMeta,
): Promise<ReleaseView> {
  const { releaseId } = input;
  const halt = input.haltRollout ? haltTarget(await deps.store.getRelease(releaseId)) : undefined;
  await deps.store.requestPause(releaseId, actionOf(input, meta), halt);
  const loaded = await deps.store.getRelease(releaseId);
  const { pause, currentWave } = loaded.release;
  if (input.haltRollout && pause?.haltedJobId) {
    const wave = currentWave === undefined ? undefined : loaded.waves[currentWave - 1];
    const seen = wave?.halt?.jobId === pause.haltedJobId;
    await finishHalt(deps, loaded.release, seen, new Date(meta.now()).toISOString());
    if (!seen) return releaseView(await deps.store.getRelease(releaseId), meta.now());
  }
  return releaseView(loaded, meta.now());
}

/**
 * Resumes a paused release (or withdraws a pause not yet held).
 * @throws NotFoundError, ConflictError (not paused; no execution to take the resume; the release's end time come), ThrottledError, UpstreamError
 */
export async function resumeRelease(
  deps: Pick<ReleaseApiDeps, 'store' | 'executions'>,
  input: PauseInput,
  meta: RequestMeta,
): Promise<ReleaseView> {
  const { releaseId } = input;
  const action = actionOf(input, meta);
  refuseAfterEndTime((await deps.store.getRelease(releaseId)).release, meta.now(), 'the resume');
  const resumed = await deps.store.resumeRelease(releaseId, action);
  if (resumed.wasHeld) {
    try {
      const outcome = resumed.taken
        ? await deps.executions.sendTaskSuccess(resumed.taken, resumeOutput(action))
        : 'task-gone';
      // Not delivered: a running execution comes back to the hold and finds the pause gone.
      if (outcome === 'task-gone' && !(await deps.executions.isRunning(releaseId))) {
        throw new ConflictError(
          `Release ${releaseId} is held, but no workflow runs it to take the resume.`,
          releaseId,
        );
      }
    } catch (error) {
      // Not taken: the release held as it was, so the same resume can be sent again.
      await deps.store.withdrawResume(releaseId, resumed.undo).catch(() => undefined);
      throw error;
    }
  }
  return releaseView(await deps.store.getRelease(releaseId), meta.now());
}
