/**
 * Creating a release: validate, check the job template and that every named
 * thing group and thing exists, store the PENDING release, start its
 * workflow execution. A release refused by a check stores nothing.
 *
 * Idempotent by release id. The id is the client's `releaseId`, or derived
 * from its `Idempotency-Key`, so a retried request names the same release:
 * - same id, same request → the stored release (and its execution is
 *   started if an earlier attempt stored the release but failed to start it);
 * - same id, another request → ConflictError;
 * - concurrent duplicates → the conditional create lets one write, and
 *   StartExecution with the same name and input answers the one running
 *   execution to every caller: one release, one execution.
 */
import { callerActor } from '../domain/actors.js';
import { ConflictError, PayloadTooLargeError } from '../domain/errors.js';
import { pendingWave, type Release } from '../domain/release.js';
import {
  canonicalJson,
  parseReleaseRequest,
  type ReleaseRequest,
  releaseRequestHash,
} from '../domain/release-request.js';
import { checkScheduleTimes } from '../domain/release-schedule-checks.js';
import type { ReleaseStore } from '../domain/release-store.js';
import { checkTargets } from './check-targets.js';
import type { JobTemplateLookup, ReleaseExecutions, TargetRegistry } from './ports.js';
import {
  checkTemplate,
  conflictingRequest,
  ensureStarted,
  findRelease,
  newReleaseId,
} from './release-creation.js';
import { type ReleaseView, releaseView } from './release-view.js';
import type { CreateReleaseBody } from './schemas.js';

export { releaseIdForIdempotencyKey } from './release-creation.js';

/**
 * Largest release the table stores: DynamoDB items are at most 400 KB, and
 * the release item also holds its status fields and keys. Measured as
 * canonical JSON, which is no smaller than DynamoDB's own item size.
 */
export const MAX_STORED_RELEASE_BYTES = 350 * 1024;

export interface CreateReleaseInput {
  body: CreateReleaseBody;
  /** The client's `Idempotency-Key` header. */
  idempotencyKey?: string;
  /** Who asks: a caller, a webhook sender or an event source (lib/domain/actors.ts); `anonymous` when unknown. */
  actor?: string | undefined;
  /** Epoch ms of the request: `schedulingConfig`'s times are checked against it (default: the wall clock). */
  now?: number | undefined;
}

export interface CreateReleaseResult {
  release: ReleaseView;
  /** True when this call stored the release; false for a repeat of an earlier request. */
  created: boolean;
}

/** @throws PayloadTooLargeError when the validated release is too large to store */
export function checkStorable(request: ReleaseRequest): void {
  const bytes = Buffer.byteLength(canonicalJson(request), 'utf8');
  if (bytes > MAX_STORED_RELEASE_BYTES) {
    throw new PayloadTooLargeError(
      `The release is ${bytes} bytes once validated; at most ${MAX_STORED_RELEASE_BYTES} can be stored. Name large fleets by thing group.`,
    );
  }
}

function conflict(releaseId: string, input: CreateReleaseInput): ConflictError {
  return conflictingRequest(releaseId, input.body.releaseId !== undefined ? 'releaseId' : 'Idempotency-Key');
}

/**
 * Creates (or finds again) a release and makes sure its execution runs.
 * @throws ValidationError (request, template or a missing target), ConflictError, PayloadTooLargeError, ThrottledError, UpstreamError
 */
export async function createRelease(
  deps: {
    store: ReleaseStore;
    executions: ReleaseExecutions;
    templates: JobTemplateLookup;
    registry: TargetRegistry;
  },
  input: CreateReleaseInput,
): Promise<CreateReleaseResult> {
  const request = parseReleaseRequest({
    ...input.body,
    releaseId: newReleaseId(input.body.releaseId, input.idempotencyKey),
  });
  checkStorable(request);
  const hash = releaseRequestHash(request);

  // A repeat needs neither the template and targets (they may even be gone by now) nor a write.
  const existing = await findRelease(deps.store, request.releaseId);
  if (existing) {
    if (existing.release.requestHash !== hash) throw conflict(request.releaseId, input);
    await ensureStarted(deps.executions, existing.release);
    return { release: releaseView(existing), created: false };
  }

  checkScheduleTimes(request, input.now ?? Date.now());
  await checkTemplate(deps.templates, request.jobTemplateId);
  // The rollback's template is checked now: a release must not learn it is missing only once it fails.
  const rollback = request.onFailure?.rollback;
  if (rollback)
    await checkTemplate(deps.templates, rollback.jobTemplateId, 'onFailure.rollback.jobTemplateId');
  await checkTargets(deps.registry, request);
  let stored: { value: Release; changed: boolean };
  try {
    stored = await deps.store.createRelease(request, callerActor(input.actor));
  } catch (error) {
    // A concurrent request with the same id and another body won the race.
    if (error instanceof ConflictError) throw conflict(request.releaseId, input);
    throw error;
  }
  await ensureStarted(deps.executions, stored.value);
  if (!stored.changed) {
    // A concurrent duplicate stored it: show it as it stands now.
    return { release: releaseView(await deps.store.getRelease(request.releaseId)), created: false };
  }
  const waves = stored.value.waves.map((_, i) => pendingWave(request.releaseId, i + 1));
  return { release: releaseView({ release: stored.value, waves }), created: true };
}
