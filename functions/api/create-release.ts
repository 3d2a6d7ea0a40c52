/**
 * POST /releases: validates the release request, stores it and starts its
 * workflow; 202 with the release and `Location`. A repeat of an earlier
 * request (same `releaseId` or `Idempotency-Key`, same body) answers 200
 * with the release as it stands. With `?dryRun=true`: the same checks, under
 * the same release id, then 200 with the release's plan, nothing stored or started.
 */
import { httpHandler, madeOrFound, ok } from '../../lib/http/index.js';
import { createRelease } from '../../lib/releases/create-release.js';
import { releaseApiDeps, releasePlanDeps, requestMeta } from '../../lib/releases/deps.js';
import { planRelease } from '../../lib/releases/plan-release.js';
import {
  createReleaseBodySchema,
  createReleaseHeadersSchema,
  createReleaseQuerySchema,
  MAX_RELEASE_BODY_BYTES,
} from '../../lib/releases/schemas.js';

export const handler = httpHandler(
  {
    body: createReleaseBodySchema,
    headers: createReleaseHeadersSchema,
    query: createReleaseQuerySchema,
    maxBodyBytes: MAX_RELEASE_BODY_BYTES,
  },
  async ({ body, headers, query }, { event }) => {
    const meta = requestMeta(event);
    const idempotencyKey = headers['idempotency-key'];
    if (query.dryRun) {
      return ok(await planRelease(releasePlanDeps(meta), { body, idempotencyKey, nowMs: meta.now() }));
    }
    const { release, created } = await createRelease(releaseApiDeps(meta), {
      body,
      idempotencyKey,
      actor: meta.actor,
      now: meta.now(),
    });
    return madeOrFound(release, release.links.self, created);
  },
);
