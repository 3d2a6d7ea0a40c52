/**
 * POST /releases/{releaseId}/pause (body `{comment?, haltRollout?}`
 * optional): holds the release at its next wave boundary, or with
 * `haltRollout` stops the running wave now (CancelJob without force) and
 * holds it once its running devices finish; 200 with the release. A release
 * paused already is answered unchanged; 409 when it has ended.
 */
import { httpHandler, ok } from '../../lib/http/index.js';
import { releaseApiDeps, requestMeta } from '../../lib/releases/deps.js';
import { pauseRelease } from '../../lib/releases/pause-release.js';
import { MAX_ACTION_BODY_BYTES, pauseBodySchema, releasePathSchema } from '../../lib/releases/schemas.js';

export const handler = httpHandler(
  { path: releasePathSchema, body: pauseBodySchema, maxBodyBytes: MAX_ACTION_BODY_BYTES },
  async ({ path, body }, { event }) => {
    const meta = requestMeta(event);
    const input = { releaseId: path.releaseId, comment: body?.comment, haltRollout: body?.haltRollout };
    return ok(await pauseRelease(releaseApiDeps(meta), input, meta));
  },
);
