/** Reading releases: one release with its waves, the listing, and the history. */
import type { Page, PageRequest, ReleaseStore } from '../domain/release-store.js';
import type { ReleaseStatus } from '../domain/statuses.js';
import {
  type HistoryEventView,
  historyEventView,
  type ReleaseSummary,
  type ReleaseView,
  releaseSummary,
  releaseView,
} from './release-view.js';

/**
 * The release, every wave with its counts and shares, and links; a running
 * wave's `window` as at `nowMs` (epoch ms). @throws NotFoundError
 */
export async function getRelease(
  store: ReleaseStore,
  releaseId: string,
  nowMs: number,
): Promise<ReleaseView> {
  return releaseView(await store.getRelease(releaseId), nowMs);
}

/** Releases newest first, optionally of one status; `maxResults` is `limit`'s other name. @throws ValidationError (bad token) */
export async function listReleases(
  store: ReleaseStore,
  { maxResults, ...query }: PageRequest & { status?: ReleaseStatus; maxResults?: number },
): Promise<Page<ReleaseSummary>> {
  const limit = query.limit ?? maxResults;
  const page = await store.listReleases({ ...query, ...(limit !== undefined && { limit }) });
  return { items: page.items.map(releaseSummary), ...(page.nextToken && { nextToken: page.nextToken }) };
}

/** The release's history, oldest first. @throws NotFoundError, ValidationError (bad token) */
export async function getReleaseHistory(
  store: ReleaseStore,
  releaseId: string,
  query: PageRequest,
): Promise<Page<HistoryEventView>> {
  const page = await store.listHistory(releaseId, query);
  return { items: page.items.map(historyEventView), ...(page.nextToken && { nextToken: page.nextToken }) };
}
