/**
 * The steps every way of making a release shares (`POST /releases`, a
 * retry, a rollback): naming it, finding an earlier attempt, checking its
 * job template, and starting its workflow execution.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { JobTemplate } from '../domain/job-template.js';
import type { Release, ReleaseWithWaves } from '../domain/release.js';
import type { ReleaseStore } from '../domain/release-store.js';
import type { JobTemplateLookup, ReleaseExecutions } from './ports.js';

/** The release id an `Idempotency-Key` stands for: the same key always names the same release. */
export function releaseIdForIdempotencyKey(key: string): string {
  return `idem-${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40)}`;
}

/** The new release's id: the client's `releaseId`, else the one its `Idempotency-Key` stands for, else a fresh one. */
export function newReleaseId(releaseId: string | undefined, idempotencyKey: string | undefined): string {
  if (releaseId !== undefined) return releaseId;
  if (idempotencyKey !== undefined) return releaseIdForIdempotencyKey(idempotencyKey);
  // Neither: nothing makes a retry recognisable, so every request is a new release.
  return `rel-${randomUUID()}`;
}

/** The stored release, or undefined when there is none. */
export async function findRelease(
  store: Pick<ReleaseStore, 'getRelease'>,
  releaseId: string,
): Promise<ReleaseWithWaves | undefined> {
  try {
    return await store.getRelease(releaseId);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * The job template `jobTemplateId`, which must exist.
 * @throws ValidationError naming the field (`path`) when the template does not exist
 */
export async function checkTemplate(
  templates: JobTemplateLookup,
  jobTemplateId: string,
  path = 'jobTemplateId',
): Promise<JobTemplate> {
  try {
    return await templates.describe(jobTemplateId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new ValidationError(`Invalid request: ${path}.`, [
      { path, message: `names no job template (${jobTemplateId} does not exist)` },
    ]);
  }
}

/** Starts the execution of a release that has not started yet; a started or ended one is left alone. */
export async function ensureStarted(executions: ReleaseExecutions, release: Release): Promise<void> {
  if (release.status === 'PENDING') await executions.start(release.releaseId);
}

/** The answer to an id asked for again with another request; `by` says what named the id (`releaseId`, `Idempotency-Key`). */
export function conflictingRequest(releaseId: string, by: string): ConflictError {
  return new ConflictError(
    `Release ${releaseId} already exists with a different request: this ${by} was used for another body.`,
    releaseId,
  );
}
