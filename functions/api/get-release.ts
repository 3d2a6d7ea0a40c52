/** GET /releases/{releaseId}: the release, every wave's state with counts and shares, and links. */
import { httpHandler, ok } from '../../lib/http/index.js';
import { releaseStore, requestMeta } from '../../lib/releases/deps.js';
import { getRelease } from '../../lib/releases/read-releases.js';
import { releasePathSchema } from '../../lib/releases/schemas.js';

export const handler = httpHandler({ path: releasePathSchema }, async ({ path }, { event }) => {
  const meta = requestMeta(event);
  return ok(await getRelease(releaseStore(meta), path.releaseId, meta.now()));
});
