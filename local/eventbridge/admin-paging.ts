/**
 * Paging of the local admin logs (`/_fleetwave/events`, `/_fleetwave/sns/messages`):
 * newest first, `maxResults` per page and an opaque `nextToken` that holds the
 * sequence number of the last entry given. The next page starts below that
 * number, so entries that arrive between two pages never shift a page: they
 * are newer than every cursor already handed out.
 *
 * `after=<epoch ms>` keeps only entries the stack received at or after that
 * time on its own clock (an event's `time` is the sender's to choose, so it
 * cannot bound a read). Each item carries its `seq` and `receivedAt`; an answer
 * carries `oldestSeq`, the sequence number of the oldest entry still kept, and
 * `truncated: true` when the entries a `nextToken` pointed at were pushed out
 * of the log before this page was read.
 */
import type { AdminResponse } from '../iot/http/admin-routes.js';

/** What a page request asks for. */
export interface PageRequest {
  maxResults: number;
  /** Only entries with a smaller sequence number; none when absent (the newest page). */
  before?: number;
  /** Only entries received at or after this epoch ms (the stack's clock). */
  after?: number;
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
  const rawAfter = query.get('after');
  if (rawAfter !== null && !/^\d{1,15}$/.test(rawAfter))
    throw new AdminQueryError(
      `after must be a time in epoch milliseconds, such as 1767225600000 (got '${rawAfter}').`,
    );
  return {
    maxResults,
    ...(token !== null && { before: decodeToken(token) }),
    ...(rawAfter !== null && { after: Number(rawAfter) }),
  };
}

/** A page of a log: its entries newest first, with their sequence numbers. */
export interface LogPage<T> {
  entries: { seq: number; item: T }[];
  nextToken?: string;
  /** The sequence number of the oldest entry the log still keeps (absent when it keeps none). */
  oldestSeq?: number;
  /** The entry the request's cursor pointed at was pushed out of the log: entries were lost to this reader. */
  truncated?: true;
}

/**
 * One page, newest first, of `entries` (oldest first, as a log holds them)
 * that `keep` accepts and that were received (`receivedAt`) no earlier than
 * the request's `after`.
 */
export function pageOf<T>(
  entries: readonly { seq: number; item: T }[],
  request: PageRequest,
  keep: (item: T) => boolean,
  receivedAt: (item: T) => number,
): LogPage<T> {
  const oldestSeq = entries[0]?.seq;
  const page: LogPage<T> = {
    entries: [],
    ...(oldestSeq !== undefined && { oldestSeq }),
    // The cursor's next entry has sequence number before - 1: older than the oldest kept, it is gone.
    ...(request.before !== undefined &&
      oldestSeq !== undefined &&
      request.before - 1 < oldestSeq && { truncated: true }),
  };
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as { seq: number; item: T };
    if (request.before !== undefined && entry.seq >= request.before) continue;
    if (request.after !== undefined && receivedAt(entry.item) < request.after) continue;
    if (!keep(entry.item)) continue;
    // A next page exists: it starts at this entry.
    if (page.entries.length === request.maxResults) return { ...page, nextToken: encodeToken(entry.seq + 1) };
    page.entries.push(entry);
  }
  return page;
}

/** The answer's body: the page's items (each as `view` shows it, plus `seq` and `receivedAt`) under `key`, and the page's cursors. */
export function pageBody<T>(
  key: string,
  page: LogPage<T>,
  view: (item: T) => Record<string, unknown>,
  receivedAt: (item: T) => number,
): Record<string, unknown> {
  const { entries, ...cursors } = page;
  return {
    [key]: entries.map(({ seq, item }) => ({ ...view(item), seq, receivedAt: receivedAt(item) })),
    ...cursors,
  };
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
