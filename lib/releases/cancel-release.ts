/**
 * Canceling a release through the API. The decision is one conditional
 * write, so of two concurrent requests that end or answer the release (two
 * cancels, a cancel and an approval or rejection of the gate it saw)
 * exactly one wins and the other is a 409. The
 * cleanup follows (`release-cleanup.ts`); the workflow, which reads the
 * release before each step, stops by itself should the cleanup be cut short.
 */
import { callerActor } from '../domain/actors.js';
import { ConflictError } from '../domain/errors.js';
import { isTerminalReleaseStatus } from '../domain/statuses.js';
import type { ReleaseApiDeps, RequestMeta } from './ports.js';
import { actionReason, cleanUpCanceledRelease, reportCleanupFailures } from './release-cleanup.js';
import { type ReleaseView, releaseView } from './release-view.js';

export interface CancelReleaseInput {
  releaseId: string;
  /** IoT CancelJob `force`: also cancel the running wave's IN_PROGRESS executions. */
  force: boolean;
  comment?: string;
}

/**
 * Cancels a release that has not finished: marks it (and its remaining
 * waves) CANCELED, stops its execution and cancels the running wave's job.
 * The answer is true to the state: once the release is recorded CANCELED
 * the answer is 200, even if part of the cleanup failed (the workflow,
 * still running, finishes it at its next step). A cancel of a release that
 * is already CANCELED finishes any cleanup left undone, and is a 409.
 * @throws NotFoundError, ConflictError (finished, or changed meanwhile), ThrottledError, UpstreamError
 */
export async function cancelRelease(
  deps: Pick<ReleaseApiDeps, 'store' | 'executions' | 'jobs' | 'groups'>,
  input: CancelReleaseInput,
  meta: RequestMeta,
): Promise<ReleaseView> {
  const { releaseId, force } = input;
  const { release } = await deps.store.getRelease(releaseId);
  const reason = actionReason('Canceled', meta.actor, input.comment);
  const actor = callerActor(meta.actor);
  const alreadyCanceled = () => new ConflictError(`Release ${releaseId} is already CANCELED.`, releaseId);

  if (release.status === 'CANCELED') {
    const failures = await cleanUpCanceledRelease(deps, releaseId, {
      reason: release.statusReason ?? reason,
      force,
      stopExecution: true,
      at: meta.now(),
      actor: release.statusActor ?? actor,
      ...(meta.warn && { warn: meta.warn }),
    });
    if (failures.length > 0) throw failures[0];
    throw alreadyCanceled();
  }
  if (isTerminalReleaseStatus(release.status)) {
    throw new ConflictError(
      `Release ${releaseId} is ${release.status}; only a release that has not finished can be canceled.`,
      releaseId,
    );
  }
  const { changed } = await deps.store.transitionRelease(releaseId, {
    to: 'CANCELED',
    // A release seen waiting for approval is canceled only if it still waits: an
    // approval answered meanwhile wins, and this cancel is the 409. The workflow's
    // own moves (e.g. into an approval gate) never make a cancel fail.
    ...(release.status === 'WAITING_APPROVAL' && { from: ['WAITING_APPROVAL'] as const }),
    reason,
    actor,
    at: meta.now(),
  });
  if (!changed) throw alreadyCanceled();
  // Decided: the answer is 200 whatever the cleanup meets; what it leaves, the workflow finishes.
  reportCleanupFailures(
    meta,
    releaseId,
    await cleanUpCanceledRelease(deps, releaseId, {
      reason,
      force,
      stopExecution: true,
      at: meta.now(),
      actor,
      ...(meta.warn && { warn: meta.warn }),
    }),
  );
  return releaseView(await deps.store.getRelease(releaseId), meta.now());
}
