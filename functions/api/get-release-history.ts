/** GET /releases/{releaseId}/history?limit=&nextToken=: the audit trail, oldest first, `{items, nextToken}`. */
import { httpHandler, ok } from '../../lib/http/index.js';
import { releaseStore, requestMeta } from '../../lib/releases/deps.js';
import { getReleaseHistory } from '../../lib/releases/read-releases.js';
import { historyQuerySchema, releasePathSchema } from '../../lib/releases/schemas.js';

export const handler = httpHandler(
  { path: releasePathSchema, query: historyQuerySchema },
  async ({ path, query }, { event }) =>
    ok(await getReleaseHistory(releaseStore(requestMeta(event)), path.releaseId, query)),
);
