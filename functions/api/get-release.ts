/** GET /releases/{releaseId}: the release, every wave's state with counts and shares, and links. */
import { httpHandler, ok } from '../../lib/http/index.js';
import { releaseStore, requestMeta } from '../../lib/releases/deps.js';
import { getRelease } from '../../lib/releases/read-releases.js';
import { releasePathSchema } from '../../lib/releases/schemas.js';

export const handler = httpHandler({ path: releasePathSchema }, async ({ path }, { event }) =>
  ok(await getRelease(releaseStore(requestMeta(event)), path.releaseId)),
);
