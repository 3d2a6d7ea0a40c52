/**
 * The automatic rollback (`onFailure.rollback`): once a wave failed and the
 * release is FAILED, start the release that puts the previous version back
 * on exactly the things that took this one (linked to it both ways, as a
 * rollback through the API is), and announce *Rollback Started*.
 *
 * Every step is idempotent, so a retried FailWave finishes what an earlier
 * attempt began: the rollback's id is derived from the release's
 * (`derivedReleaseId`), storing it again is a repeat, and StartExecution
 * with the same name answers the running execution. A release canceled
 * through the API never gets here (a cancel never rolls back), nor does one
 * in which no device took the new version.
 */
import { WORKFLOW_ACTOR } from '../domain/actors.js';
import { countedSetSize, derivedRelease, derivedReleaseId } from '../domain/derived-release.js';
import { ConflictError } from '../domain/errors.js';
import type { Release, ReleaseWithWaves } from '../domain/release.js';
import { linkToOriginal } from '../releases/derive-release.js';
import type { ReleaseExecutions } from '../releases/ports.js';
import type { WorkflowDeps } from './ports.js';
import { rollbackStarted } from './release-events.js';

/** What starting a rollback needs besides the workflow's usual dependencies. */
export type RollbackDeps = WorkflowDeps & { executions: Pick<ReleaseExecutions, 'start'> };

/**
 * Starts the rollback of a FAILED release that asks for one; returns its id,
 * or undefined when there is none to start.
 * @throws ThrottledError, UpstreamError
 */
export async function startRollback(
  deps: RollbackDeps,
  { release, waves }: ReleaseWithWaves,
  failedWaveNumber: number | undefined,
  now: string,
): Promise<string | undefined> {
  const rollback = release.onFailure?.rollback;
  if (!rollback || release.status !== 'FAILED') return undefined;
  const countedThings = countedSetSize('rollback', waves);
  // No device took the new version, nor was any still running to take it: nothing to put back.
  if (countedThings === 0) return undefined;
  const releaseId = derivedReleaseId('rollback', release.releaseId);
  const { request, derivation } = derivedRelease('rollback', release, {
    releaseId,
    jobTemplateId: rollback.jobTemplateId,
    waves: rollback.waves,
  });
  let made: Release;
  try {
    ({ value: made } = await deps.store.createRelease(request, WORKFLOW_ACTOR, derivation));
  } catch (error) {
    // A person rolled it back first under the same id (`POST .../rollback` with another body): theirs stands.
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
  await linkToOriginal(deps.store, 'rollback', release.releaseId, made, WORKFLOW_ACTOR);
  await deps.executions.start(releaseId);
  await deps.notifier.publish(
    rollbackStarted(
      release,
      { releaseId, jobTemplateId: rollback.jobTemplateId, countedThings, failedWaveNumber },
      now,
    ),
  );
  return releaseId;
}
