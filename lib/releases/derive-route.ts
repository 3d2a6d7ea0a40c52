/**
 * The handler of POST /releases/{releaseId}/retry and /rollback: the two
 * routes differ only in the kind of release they make and what their body
 * requires (a rollback names its template).
 */
import type { DerivationKind } from '../domain/derived-release.js';
import { type HttpRouteHandler, httpHandler, madeOrFound } from '../http/index.js';
import { releaseApiDeps, requestMeta } from './deps.js';
import { deriveRelease } from './derive-release.js';
import {
  createReleaseHeadersSchema,
  MAX_DERIVE_BODY_BYTES,
  releasePathSchema,
  retryReleaseBodySchema,
  rollbackReleaseBodySchema,
} from './schemas.js';

const bodySchemas = { retry: retryReleaseBodySchema, rollback: rollbackReleaseBodySchema } as const;

/**
 * The route making a `kind` of the release in the path: 202 with the new
 * release and its path in `Location`; a repeat of the same request (which
 * may have completed what an earlier attempt left out) 200, as POST /releases.
 */
export function deriveRouteHandler(kind: DerivationKind): HttpRouteHandler {
  return httpHandler(
    {
      path: releasePathSchema,
      body: bodySchemas[kind],
      headers: createReleaseHeadersSchema,
      maxBodyBytes: MAX_DERIVE_BODY_BYTES,
    },
    async ({ path, body, headers }, { event }) => {
      const meta = requestMeta(event);
      const { release, created } = await deriveRelease(releaseApiDeps(meta), kind, {
        originalId: path.releaseId,
        body,
        idempotencyKey: headers['idempotency-key'],
        actor: meta.actor,
        now: meta.now(),
      });
      return madeOrFound(release, release.links.self, created);
    },
  );
}
