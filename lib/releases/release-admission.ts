/**
 * The checks a release request passes before anything is made of it, shared
 * by `POST /releases` and its dry run so that a plan refuses, finds and
 * names exactly what the real request would: the release id (from
 * `releaseId`, else `Idempotency-Key`), the request's shape and size, an
 * earlier release under that id (the same request, or a conflict), the
 * schedule's times, the job templates and every named target.
 */
import type { ConflictError } from '../domain/errors.js';
import { PayloadTooLargeError } from '../domain/errors.js';
import type { JobTemplate } from '../domain/job-template.js';
import type { ReleaseWithWaves } from '../domain/release.js';
import {
  canonicalJson,
  parseReleaseRequest,
  type ReleaseRequest,
  releaseRequestHash,
} from '../domain/release-request.js';
import { checkScheduleTimes, checkTemplateWindows } from '../domain/release-schedule-checks.js';
import type { ReleaseStore } from '../domain/release-store.js';
import { checkTargets } from './check-targets.js';
import type { JobTemplateLookup, TargetRegistry } from './ports.js';
import { checkTemplate, conflictingRequest, findRelease, newReleaseId } from './release-creation.js';
import type { CreateReleaseBody } from './schemas.js';

/**
 * Largest release the table stores: DynamoDB items are at most 400 KB, and
 * the release item also holds its status fields and keys. Measured as
 * canonical JSON, which is no smaller than DynamoDB's own item size.
 */
export const MAX_STORED_RELEASE_BYTES = 350 * 1024;

/** @throws PayloadTooLargeError when the validated release is too large to store */
function checkStorable(request: ReleaseRequest): void {
  const bytes = Buffer.byteLength(canonicalJson(request), 'utf8');
  if (bytes > MAX_STORED_RELEASE_BYTES) {
    throw new PayloadTooLargeError(
      `The release is ${bytes} bytes once validated; at most ${MAX_STORED_RELEASE_BYTES} can be stored. Name large fleets by thing group.`,
    );
  }
}

/** A release request as the client sent it. */
export interface ReleaseAsked {
  body: CreateReleaseBody;
  /** The client's `Idempotency-Key` header. */
  idempotencyKey?: string | undefined;
  /** Epoch ms of the request: `schedulingConfig`'s times are checked against it. */
  now: number;
}

/** What the checks found: a release already stored for this very request, or a new one that may be made. */
export type ReleaseAdmission =
  | { kind: 'existing'; request: ReleaseRequest; existing: ReleaseWithWaves }
  | { kind: 'new'; request: ReleaseRequest; template: JobTemplate };

/** The answer to an id taken by another request, naming what the client used to name it. */
export function conflictFor(releaseId: string, asked: Pick<ReleaseAsked, 'body'>): ConflictError {
  return conflictingRequest(releaseId, asked.body.releaseId !== undefined ? 'releaseId' : 'Idempotency-Key');
}

/**
 * Runs every check of a release request, in the order `POST /releases`
 * runs them. A repeat of a stored request needs neither its template nor its
 * targets (they may even be gone by now), so those are checked only for a
 * new release.
 * @throws ValidationError (request, schedule, template or a missing target), ConflictError (the id is taken by
 *   another request), PayloadTooLargeError, ThrottledError, UpstreamError
 */
export async function admitReleaseRequest(
  deps: {
    store: Pick<ReleaseStore, 'getRelease'>;
    templates: JobTemplateLookup;
    registry: TargetRegistry;
  },
  asked: ReleaseAsked,
): Promise<ReleaseAdmission> {
  const request = parseReleaseRequest({
    ...asked.body,
    releaseId: newReleaseId(asked.body.releaseId, asked.idempotencyKey),
  });
  checkStorable(request);
  const existing = await findRelease(deps.store, request.releaseId);
  if (existing) {
    if (existing.release.requestHash !== releaseRequestHash(request))
      throw conflictFor(request.releaseId, asked);
    return { kind: 'existing', request, existing };
  }
  checkScheduleTimes(request, asked.now);
  const template = await checkTemplate(deps.templates, request.jobTemplateId);
  // A wave that inherits windows fleetwave cannot read could not be judged: refused before anything is made.
  checkTemplateWindows(
    template.jobTemplateId,
    template.maintenanceWindows ?? [],
    'the release would inherit them',
  );
  // The rollback's template is checked now: a release must not learn it is missing only once it fails.
  const rollback = request.onFailure?.rollback;
  if (rollback)
    await checkTemplate(deps.templates, rollback.jobTemplateId, 'onFailure.rollback.jobTemplateId');
  await checkTargets(deps.registry, request);
  return { kind: 'new', request, template };
}
