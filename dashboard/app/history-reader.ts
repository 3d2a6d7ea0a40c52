/**
 * Reads a release's whole history, page by page. The route answers oldest
 * first, and a `nextToken` only when more events follow, so the reader keeps
 * the token of its last page and reads again from there: the newest events
 * appear however long the history is, and a poll re-reads one page, not all.
 */
import { getJson, type Read, withQuery } from './api.js';
import type { HistoryEventView, Page } from './types.js';

/** Events per read: the route's largest page. */
const pageSize = 500;

interface KnownPage {
  token: string | undefined;
  items: HistoryEventView[];
}

/** A reader for `usePollWith`: every event of the release at `releasePath`, oldest first. */
export function historyReader(
  releasePath: string,
): (signal: AbortSignal) => Promise<Read<HistoryEventView[]>> {
  const pages: KnownPage[] = [];
  return async (signal) => {
    let changed = false;
    let index = Math.max(0, pages.length - 1);
    let token = pages[index]?.token;
    for (;;) {
      const path = withQuery(`${releasePath}/history`, { limit: pageSize, nextToken: token });
      const read = await getJson<Page<HistoryEventView>>(path, signal);
      const known = pages[index];
      if (!known || known.token !== token || read.changed) {
        pages[index] = { token, items: read.value.items };
        changed = true;
      }
      if (!read.value.nextToken) break;
      token = read.value.nextToken;
      index += 1;
    }
    return { value: pages.flatMap((p) => p.items), changed };
  };
}
