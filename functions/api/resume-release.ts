/**
 * POST /releases/{releaseId}/resume (body `{comment?}` optional): lets a
 * paused release go on; 200 with the release. 409 when it is not paused.
 */
import { httpHandler, ok } from '../../lib/http/index.js';
import { releaseApiDeps, requestMeta } from '../../lib/releases/deps.js';
import { resumeRelease } from '../../lib/releases/pause-release.js';
import { approvalBodySchema, MAX_ACTION_BODY_BYTES, releasePathSchema } from '../../lib/releases/schemas.js';

export const handler = httpHandler(
  { path: releasePathSchema, body: approvalBodySchema, maxBodyBytes: MAX_ACTION_BODY_BYTES },
  async ({ path, body }, { event }) => {
    const meta = requestMeta(event);
    return ok(
      await resumeRelease(releaseApiDeps(meta), { releaseId: path.releaseId, comment: body?.comment }, meta),
    );
  },
);
