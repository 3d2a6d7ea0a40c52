/**
 * Pausing and resuming a release through the API. Each answer is true to
 * the state it leaves: accepted, and the release moves on once; or
 * refused, and nothing changed.
 *
 * - pause: the pause is recorded on the release in one write. The workflow
 *   holds the release at the next point where no wave job runs (a wave
 *   boundary, a bake, the end) and moves it to PAUSED there; no job is
 *   created while it is held. Pausing a release whose pause is asked for or
 *   held already answers it unchanged; one that has ended is a 409.
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
import type { ReleaseApiDeps, RequestMeta } from './ports.js';
import { type ReleaseView, releaseView } from './release-view.js';

export interface PauseInput {
  releaseId: string;
  comment?: string | undefined;
}

function actionOf(input: PauseInput, meta: RequestMeta): PauseAction {
  return {
    at: new Date(meta.now()).toISOString(),
    ...(meta.actor && { actor: meta.actor }),
    ...(input.comment && { comment: input.comment }),
  };
}

/**
 * Asks for a pause. @throws NotFoundError, ConflictError (the release has ended), ThrottledError, UpstreamError
 */
export async function pauseRelease(
  deps: Pick<ReleaseApiDeps, 'store'>,
  input: PauseInput,
  meta: RequestMeta,
): Promise<ReleaseView> {
  await deps.store.requestPause(input.releaseId, actionOf(input, meta));
  return releaseView(await deps.store.getRelease(input.releaseId));
}

/**
 * Resumes a paused release (or withdraws a pause not yet held).
 * @throws NotFoundError, ConflictError (not paused; no execution to take the resume), ThrottledError, UpstreamError
 */
export async function resumeRelease(
  deps: Pick<ReleaseApiDeps, 'store' | 'executions'>,
  input: PauseInput,
  meta: RequestMeta,
): Promise<ReleaseView> {
  const { releaseId } = input;
  const action = actionOf(input, meta);
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
  return releaseView(await deps.store.getRelease(releaseId));
}
