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
import { ConflictError } from '../domain/errors.js';
import { pendingWave, type Release } from '../domain/release.js';
import type { ReleaseStore } from '../domain/release-store.js';
import type { JobTemplateLookup, ReleaseExecutions, TargetRegistry } from './ports.js';
import { admitReleaseRequest, conflictFor } from './release-admission.js';
import { ensureStarted } from './release-creation.js';
import { type ReleaseView, releaseView } from './release-view.js';
import type { CreateReleaseBody } from './schemas.js';

export { MAX_STORED_RELEASE_BYTES } from './release-admission.js';
export { releaseIdForIdempotencyKey } from './release-creation.js';

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
  const now = input.now ?? Date.now();
  const admitted = await admitReleaseRequest(deps, {
    body: input.body,
    idempotencyKey: input.idempotencyKey,
    now,
  });
  const { request } = admitted;
  // A repeat: the stored release, started if an earlier attempt stored it but failed to start it.
  if (admitted.kind === 'existing') {
    await ensureStarted(deps.executions, admitted.existing.release);
    return { release: releaseView(admitted.existing, now), created: false };
  }
  let stored: { value: Release; changed: boolean };
  try {
    stored = await deps.store.createRelease(request, callerActor(input.actor));
  } catch (error) {
    // A concurrent request with the same id and another body won the race.
    if (error instanceof ConflictError) throw conflictFor(request.releaseId, input);
    throw error;
  }
  await ensureStarted(deps.executions, stored.value);
  if (!stored.changed) {
    // A concurrent duplicate stored it: show it as it stands now.
    return { release: releaseView(await deps.store.getRelease(request.releaseId), now), created: false };
  }
  const waves = stored.value.waves.map((_, i) => pendingWave(request.releaseId, i + 1));
  return { release: releaseView({ release: stored.value, waves }, now), created: true };
}
