/**
 * POST /releases/{releaseId}/cancel (body `{force?, comment?}` optional, or
 * `?force=true`): cancels a release that has not finished; 200 with the
 * release. 409 when it has finished, or changed meanwhile.
 */
import { httpHandler, ok } from '../../lib/http/index.js';
import { cancelRelease } from '../../lib/releases/cancel-release.js';
import { releaseApiDeps, requestMeta } from '../../lib/releases/deps.js';
import {
  cancelForce,
  cancelReleaseBodySchema,
  cancelReleaseQuerySchema,
  MAX_ACTION_BODY_BYTES,
  releasePathSchema,
} from '../../lib/releases/schemas.js';

export const handler = httpHandler(
  {
    path: releasePathSchema,
    query: cancelReleaseQuerySchema,
    body: cancelReleaseBodySchema,
    maxBodyBytes: MAX_ACTION_BODY_BYTES,
  },
  async ({ path, query, body }, { event }) => {
    const meta = requestMeta(event);
    const force = cancelForce(query.force, body?.force);
    return ok(
      await cancelRelease(
        releaseApiDeps(meta),
        { releaseId: path.releaseId, force, comment: body?.comment },
        meta,
      ),
    );
  },
);
