/**
 * Paging of the local admin logs (`/_fleetwave/events`, `/_fleetwave/sns/messages`):
 * newest first, `maxResults` per page and an opaque `nextToken` that holds the
 * sequence number of the last entry given. The next page starts below that
 * number, so entries that arrive between two pages never shift a page: they
 * are newer than every cursor already handed out.
 */
import type { AdminResponse } from '../iot/http/admin-routes.js';

/** What a page request asks for. */
export interface PageRequest {
  maxResults: number;
  /** Only entries with a smaller sequence number; none when absent (the newest page). */
  before?: number;
}

/** A query parameter the admin route cannot read: answered 400 with this message. */
class AdminQueryError extends Error {
  override readonly name = 'AdminQueryError';
}

const MAX_PAGE = 100;

/** The cursor as the client sees it: base64url of `{"before":<seq>}`, opaque to callers. */
function encodeToken(before: number): string {
  return Buffer.from(JSON.stringify({ before })).toString('base64url');
}

function decodeToken(token: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const before = (parsed as { before?: unknown } | undefined)?.before;
  if (typeof before !== 'number' || !Number.isSafeInteger(before) || before < 0) {
    throw new AdminQueryError(
      'nextToken is not valid: pass the nextToken of an earlier answer unchanged, or leave it out for the newest page.',
    );
  }
  return before;
}

/** Reads `maxResults` (1–100, `defaultMax` when absent) and `nextToken`; throws {@link AdminQueryError}. */
export function pageRequestOf(query: URLSearchParams, defaultMax: number): PageRequest {
  const rawMax = query.get('maxResults');
  let maxResults = defaultMax;
  if (rawMax !== null) {
    maxResults = /^\d+$/.test(rawMax) ? Number(rawMax) : Number.NaN;
    if (!Number.isSafeInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE) {
      throw new AdminQueryError(`maxResults must be an integer from 1 to ${MAX_PAGE} (got '${rawMax}').`);
    }
  }
  const token = query.get('nextToken');
  return token === null ? { maxResults } : { maxResults, before: decodeToken(token) };
}

/** One page, newest first, of `entries` (oldest first, as a log holds them) that `keep` accepts. */
export function pageOf<T>(
  entries: readonly { seq: number; item: T }[],
  request: PageRequest,
  keep: (item: T) => boolean,
): { items: T[]; nextToken?: string } {
  const items: T[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as { seq: number; item: T };
    if (request.before !== undefined && entry.seq >= request.before) continue;
    if (!keep(entry.item)) continue;
    // A next page exists: it starts at this entry.
    if (items.length === request.maxResults) return { items, nextToken: encodeToken(entry.seq + 1) };
    items.push(entry.item);
  }
  return { items };
}

/** Runs a route, answering an {@link AdminQueryError} as 400 with its message. */
export function answerQuery(run: () => AdminResponse): AdminResponse {
  try {
    return run();
  } catch (error) {
    // The code names the error as the REST API does, so a client tells it from a missing route.
    if (error instanceof AdminQueryError)
      return { status: 400, body: { code: 'ValidationError', message: error.message } };
    throw error;
  }
}
