/**
 * Cursor pagination that costs O(page) however large the collection: items
 * sit in append-only lists ordered by a sequence number, a `nextToken` names
 * the last sequence number returned, and the next page starts with a binary
 * search. Removal is lazy (an entry whose item no longer belongs to the list
 * is skipped and later compacted away), so a token stays valid while items
 * come and go.
 */
import { invalidRequest } from './errors.js';

/** One page of a list, as IoT's List* operations return it. */
export interface Page<T> {
  items: T[];
  /** The sequence number of the last item returned, when more may follow. */
  nextAfter?: number;
}

/** What {@link paginate} pages: {@link SeqList}, or a list with another storage and the same paging. */
export interface Pageable<T> {
  /** Up to `limit` items after sequence number `after`, optionally only those `filter` accepts. */
  page(after: number | undefined, limit: number, filter?: (item: T) => boolean): Page<T>;
}

/** An append-only, sequence-ordered list with lazy removal. */
export class SeqList<T> implements Pageable<T> {
  private seqs: number[] = [];
  private items: T[] = [];
  private stale = 0;
  /** Kept apart from `seqs`: compaction may drop the last entry. */
  private last = 0;
  /** Counts compactions, so a running iteration notices its arrays were replaced. */
  private generation = 0;

  /** `isLive(item, seq)` tells whether the entry appended with `seq` still belongs to the list. */
  constructor(private readonly isLive: (item: T, seq: number) => boolean) {}

  /** The sequence number appended last (0 for a list never appended to): a mark to page from later. */
  get lastSeq(): number {
    return this.last;
  }

  /** Appends an item; `seq` must be greater than every sequence number appended before. */
  push(seq: number, item: T): void {
    this.seqs.push(seq);
    this.items.push(item);
    this.last = seq;
  }

  /** Notes that one entry stopped being live, and compacts once dead entries outnumber live ones. */
  markStale(): void {
    this.stale++;
    if (this.stale > 1024 && this.stale * 2 > this.seqs.length) this.compact();
  }

  /**
   * Live items in order, lazily. Safe to use while the caller changes the
   * list (the fleet simulator moves each QUEUED execution it reads): the
   * iteration resumes by sequence number after a compaction, so it neither
   * skips nor repeats an entry.
   */
  *values(): IterableIterator<T> {
    let generation = this.generation;
    let i = 0;
    while (i < this.items.length) {
      const item = this.items[i]!;
      const seq = this.seqs[i]!;
      if (this.isLive(item, seq)) {
        yield item;
        if (generation !== this.generation) {
          generation = this.generation;
          i = this.firstIndexAfter(seq);
          continue;
        }
      }
      i++;
    }
  }

  /**
   * Up to `limit` live items after sequence number `after` (from the start
   * when undefined), optionally only those `filter` accepts. A filter costs a
   * scan of what it rejects: fine where it rejects few (a group walk skips only
   * the members listed by an earlier group), costly where it rejects most.
   */
  page(after: number | undefined, limit: number, filter?: (item: T) => boolean): Page<T> {
    let i = after === undefined ? 0 : this.firstIndexAfter(after);
    const items: T[] = [];
    let lastSeq: number | undefined;
    for (; i < this.items.length && items.length < limit; i++) {
      const item = this.items[i]!;
      const seq = this.seqs[i]!;
      if (!this.isLive(item, seq) || (filter && !filter(item))) continue;
      items.push(item);
      lastSeq = seq;
    }
    // Only hand out a token when a live item really follows, as AWS does.
    for (; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (this.isLive(item, this.seqs[i]!) && (!filter || filter(item))) return { items, nextAfter: lastSeq };
    }
    return { items };
  }

  private firstIndexAfter(seq: number): number {
    return firstIndexAfter(this.seqs.length, (i) => this.seqs[i]!, seq);
  }

  private compact(): void {
    const seqs: number[] = [];
    const items: T[] = [];
    for (let i = 0; i < this.items.length; i++) {
      if (!this.isLive(this.items[i]!, this.seqs[i]!)) continue;
      seqs.push(this.seqs[i]!);
      items.push(this.items[i]!);
    }
    this.seqs = seqs;
    this.items = items;
    this.stale = 0;
    this.generation++;
  }
}

/** The first position whose sequence number is above `seq`, by binary search over ascending `seqAt(0..length-1)`. */
export function firstIndexAfter(length: number, seqAt: (position: number) => number, seq: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqAt(mid) <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Encodes a cursor as an opaque token bound to the list (and filter) it came
 * from, so a token replayed against another list is refused, not misread.
 */
export function encodeToken(scope: string, after: number): string {
  return Buffer.from(JSON.stringify({ s: scope, a: after })).toString('base64url');
}

/** Decodes a token made by {@link encodeToken} for `scope`; InvalidRequestException otherwise. */
export function decodeToken(scope: string, token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  const fields = readToken(scope, token);
  if (typeof fields.a === 'number') return fields.a;
  throw invalidToken();
}

/**
 * Encodes a cursor that also names a part of the list (the group a
 * recursive listing has reached), bound to its scope like {@link encodeToken}.
 */
export function encodePartToken(scope: string, part: string, after: number, mark?: number): string {
  return Buffer.from(
    JSON.stringify({ s: scope, p: part, a: after, ...(mark !== undefined && { m: mark }) }),
  ).toString('base64url');
}

/** Decodes a token made by {@link encodePartToken} for `scope`; InvalidRequestException otherwise. */
export function decodePartToken(
  scope: string,
  token: string | undefined,
): { part: string; after: number; mark?: number } | undefined {
  if (token === undefined) return undefined;
  const fields = readToken(scope, token);
  const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (typeof fields.p === 'string' && count(fields.a) && (fields.m === undefined || count(fields.m))) {
    return { part: fields.p, after: fields.a, ...(fields.m !== undefined && { mark: fields.m }) };
  }
  throw invalidToken();
}

/** The token's fields when it is one of ours for `scope`; InvalidRequestException otherwise. */
function readToken(scope: string, token: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 's' in parsed && parsed.s === scope) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // falls through to the refusal below
  }
  throw invalidToken();
}

/** What AWS answers for a token it did not hand out (or not for this listing). */
export const invalidToken = () => invalidRequest('The pagination token is invalid.');

/** Runs a page query from a request's `nextToken`/`maxResults` and returns the items and the next token. */
export function paginate<T>(
  list: Pageable<T>,
  scope: string,
  request: { nextToken?: string; maxResults?: number },
  defaultPageSize: number,
  filter?: (item: T) => boolean,
): { items: T[]; nextToken?: string } {
  const after = decodeToken(scope, request.nextToken);
  const page = list.page(after, request.maxResults ?? defaultPageSize, filter);
  return page.nextAfter === undefined
    ? { items: page.items }
    : { items: page.items, nextToken: encodeToken(scope, page.nextAfter) };
}
