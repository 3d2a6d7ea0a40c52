/**
 * Retrying the failed things of an ended release, or rolling back its
 * updated ones, through the API: a new release made from the original
 * (`derivedRelease`), whose workflow gathers the original's things into
 * its thing group before its first wave.
 *
 * Refused before anything is written: an unknown original (NotFoundError),
 * one that has not ended, or whose counters hold nothing to retry or roll
 * back (ConflictError), a bad body or an unknown job template
 * (ValidationError).
 *
 * In order: store the new release (conditional create), write the
 * `RELEASE_LINKED` event on the original, start the execution. Each step
 * is idempotent, and a repeat of the request (same id, same request) runs
 * them all again, so it completes whatever an earlier attempt left out.
 * Idempotent by release id as `POST /releases`: the id is the body's
 * `releaseId`, or derived from the `Idempotency-Key`; the same id asked
 * for with another body or original is a ConflictError.
 */
import { callerActor } from '../domain/actors.js';
import {
  countedSetSize,
  type DerivationKind,
  derivedRelease,
  derivedReleaseId,
  targetSetStatuses,
} from '../domain/derived-release.js';
import { ConflictError } from '../domain/errors.js';
import type { Release } from '../domain/release.js';
import { storedRequestHash } from '../domain/release-derivation.js';
import { isTerminalReleaseStatus } from '../domain/statuses.js';
import type { ReleaseApiDeps } from './ports.js';
import {
  checkTemplate,
  conflictingRequest,
  ensureStarted,
  findRelease,
  newReleaseId,
} from './release-creation.js';
import { type ReleaseView, releaseView } from './release-view.js';
import type { DeriveReleaseBody } from './schemas.js';

export interface DeriveReleaseInput {
  /** The ended release to retry or roll back. */
  originalId: string;
  body: DeriveReleaseBody;
  /** The client's `Idempotency-Key` header. */
  idempotencyKey?: string | undefined;
  /** Who asks (lib/domain/actors.ts); `anonymous` when unknown. */
  actor?: string | undefined;
  /** The request's time (epoch ms): what the view's waves show their windows at. */
  now: number;
}

export interface DeriveReleaseResult {
  release: ReleaseView;
  /** True when this call stored the new release; false for a repeat of an earlier request. */
  created: boolean;
}

/** The reason of the original's `RELEASE_LINKED` event. */
const linkReason: Readonly<Record<DerivationKind, (id: string) => string>> = {
  retry: (id) => `Retried as release ${id}`,
  rollback: (id) => `Rolled back by release ${id}`,
};

/**
 * Writes the original's `RELEASE_LINKED` event for the release made from it
 * (once: the event's key derives from the new release).
 * @throws ThrottledError, UpstreamError
 */
export async function linkToOriginal(
  store: ReleaseApiDeps['store'],
  kind: DerivationKind,
  originalId: string,
  made: Release,
  actor: string,
): Promise<void> {
  await store.linkRelease(originalId, {
    relatedReleaseId: made.releaseId,
    reason: linkReason[kind](made.releaseId),
    actor: made.createdBy ?? actor,
    at: made.createdAt,
  });
}

/** @throws ConflictError unless the original has ended */
function checkEnded(kind: DerivationKind, original: Release): void {
  if (isTerminalReleaseStatus(original.status)) return;
  throw new ConflictError(
    `Release ${original.releaseId} is ${original.status}: it must have ended before a ${kind}.`,
    original.releaseId,
  );
}

/**
 * Makes (or finds again) the retry or rollback of an ended release, links
 * the original to it and makes sure its execution runs.
 * @throws NotFoundError (the original), ConflictError, ValidationError, ThrottledError, UpstreamError
 */
export async function deriveRelease(
  deps: Pick<ReleaseApiDeps, 'store' | 'executions' | 'templates'>,
  kind: DerivationKind,
  input: DeriveReleaseInput,
): Promise<DeriveReleaseResult> {
  const { store } = deps;
  const original = await store.getRelease(input.originalId);
  checkEnded(kind, original.release);
  // Named by neither the body nor a key: `<id>-retry` / `<id>-rollback`, so asking twice is one release.
  const releaseId =
    input.body?.releaseId !== undefined || input.idempotencyKey !== undefined
      ? newReleaseId(input.body?.releaseId, input.idempotencyKey)
      : derivedReleaseId(kind, original.release.releaseId);
  const { request, derivation } = derivedRelease(kind, original.release, {
    releaseId,
    jobTemplateId: input.body?.jobTemplateId,
    waves: input.body?.waves,
  });
  const conflict = () => {
    if (input.body?.releaseId !== undefined) return conflictingRequest(releaseId, 'releaseId');
    if (input.idempotencyKey !== undefined) return conflictingRequest(releaseId, 'Idempotency-Key');
    return new ConflictError(
      `Release ${releaseId}, the ${kind} of ${original.release.releaseId}, already exists with a different request: name another releaseId (or an Idempotency-Key) to make a second ${kind}.`,
      releaseId,
    );
  };
  const actor = callerActor(input.actor);

  // A repeat needs no checks (the template may even be gone by now): only what an earlier attempt left out.
  const existing = await findRelease(store, releaseId);
  if (existing && existing.release.requestHash !== storedRequestHash(request, derivation)) throw conflict();
  let stored: Release;
  let created = false;
  if (existing) {
    stored = existing.release;
  } else {
    if (countedSetSize(kind, original.waves) === 0) {
      const statuses = targetSetStatuses[kind].join(', ');
      throw new ConflictError(
        `Release ${original.release.releaseId} has nothing to ${kind === 'retry' ? 'retry' : 'roll back'}: its waves counted no execution that ended ${statuses}, and none still running.`,
        original.release.releaseId,
      );
    }
    await checkTemplate(deps.templates, request.jobTemplateId);
    try {
      ({ value: stored, changed: created } = await store.createRelease(request, actor, derivation));
    } catch (error) {
      // A concurrent request with the same id and another body won the race.
      if (error instanceof ConflictError) throw conflict();
      throw error;
    }
  }
  await linkToOriginal(store, kind, original.release.releaseId, stored, actor);
  await ensureStarted(deps.executions, stored);
  return { release: releaseView(await store.getRelease(releaseId), input.now), created };
}
