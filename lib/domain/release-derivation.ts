/**
 * A release made from another one: a retry of its failed things, or a
 * rollback of its updated ones. The derivation (which release, which
 * executions) is stored with the release and is part of its request hash,
 * so the same id asked for with another source is a conflict, not a repeat.
 */
import { createHash } from 'node:crypto';
import type { Release } from './release.js';
import { canonicalJson, type ReleaseRequest, releaseRequestHash } from './release-request.js';

/** What a retry or rollback stores besides its request. */
export type ReleaseDerivation = Pick<Release, 'retryOf' | 'rollbackOf'> & {
  targetSet: NonNullable<Release['targetSet']>;
};

/** The release this one was made from, if any. */
export function sourceReleaseOf(release: Pick<Release, 'retryOf' | 'rollbackOf'>): string | undefined {
  return release.retryOf ?? release.rollbackOf;
}

/** The stored request hash: `releaseRequestHash` alone for a plain release, the request with its derivation otherwise. */
export function storedRequestHash(request: ReleaseRequest, derivation?: ReleaseDerivation): string {
  if (derivation === undefined) return releaseRequestHash(request);
  // The target set's progress (things, gatheredAt) is not part of what was asked for.
  const { sourceReleaseId, statuses, thingGroupName } = derivation.targetSet;
  const asked = { ...derivation, targetSet: { sourceReleaseId, statuses, thingGroupName } };
  return createHash('sha256')
    .update(canonicalJson({ request, derivation: asked }))
    .digest('hex');
}
