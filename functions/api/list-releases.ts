/** GET /releases?status=&limit=&nextToken=: releases newest first, `{items, nextToken}`. */
import { httpHandler, ok } from '../../lib/http/index.js';
import { releaseStore, requestMeta } from '../../lib/releases/deps.js';
import { listReleases } from '../../lib/releases/read-releases.js';
import { listReleasesQuerySchema } from '../../lib/releases/schemas.js';

export const handler = httpHandler({ query: listReleasesQuerySchema }, async ({ query }, { event }) =>
  ok(await listReleases(releaseStore(requestMeta(event)), query)),
);
