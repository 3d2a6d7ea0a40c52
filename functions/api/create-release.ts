/**
 * POST /releases: validates the release request, stores it and starts its
 * workflow; 202 with the release and `Location`. A repeat of an earlier
 * request (same `releaseId` or `Idempotency-Key`, same body) answers 200
 * with the release as it stands.
 */
import { httpHandler, madeOrFound } from '../../lib/http/index.js';
import { createRelease } from '../../lib/releases/create-release.js';
import { releaseApiDeps, requestMeta } from '../../lib/releases/deps.js';
import {
  createReleaseBodySchema,
  createReleaseHeadersSchema,
  MAX_RELEASE_BODY_BYTES,
} from '../../lib/releases/schemas.js';

export const handler = httpHandler(
  {
    body: createReleaseBodySchema,
    headers: createReleaseHeadersSchema,
    maxBodyBytes: MAX_RELEASE_BODY_BYTES,
  },
  async ({ body, headers }, { event }) => {
    const meta = requestMeta(event);
    const { release, created } = await createRelease(releaseApiDeps(meta), {
      body,
      idempotencyKey: headers['idempotency-key'],
      actor: meta.actor,
      now: meta.now(),
    });
    return madeOrFound(release, release.links.self, created);
  },
);
