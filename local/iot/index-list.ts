/**
 * An append-only, sequence-ordered list of integer keys (a thing's index in
 * the registry), paged exactly as {@link SeqList} pages: a cursor names the
 * last sequence number returned and the next page starts with a binary
 * search. Nothing is ever removed from it (things and memberships are never
 * deleted), so it keeps two typed columns, 8 bytes per entry, and builds an
 * item only when a page or an iteration hands it out.
 */
import { u32Column } from './columns.js';
import { firstIndexAfter, type Page, type Pageable } from './pagination.js';

export class IndexList<T> implements Pageable<T> {
  private readonly keyColumn = u32Column();
  private readonly seqs = u32Column();

  /** `itemOf(key)` builds what the list hands out for a key. */
  constructor(private readonly itemOf: (key: number) => T) {}

  get length(): number {
    return this.keyColumn.length;
  }

  /** The sequence number appended last (0 for an empty list). */
  get lastSeq(): number {
    const n = this.seqs.length;
    return n === 0 ? 0 : this.seqs.get(n - 1);
  }

  /** Appends a key; `seq` must be greater than every sequence number appended before. */
  push(seq: number, key: number): void {
    this.keyColumn.push(key);
    this.seqs.push(seq);
  }

  keyAt(position: number): number {
    return this.keyColumn.get(position);
  }

  /** The sequence number the entry at `position` was appended with. */
  seqAt(position: number): number {
    return this.seqs.get(position);
  }

  /** Keys in order, lazily; an entry appended during the iteration is visited too. */
  *keys(): IterableIterator<number> {
    for (let i = 0; i < this.keyColumn.length; i++) yield this.keyColumn.get(i);
  }

  /** Items in order, lazily; an entry appended during the iteration is visited too. */
  *values(): IterableIterator<T> {
    for (let i = 0; i < this.keyColumn.length; i++) yield this.itemOf(this.keyColumn.get(i));
  }

  /** Up to `limit` items after sequence number `after`, optionally only those `filter` accepts (see SeqList.page). */
  page(after: number | undefined, limit: number, filter?: (item: T) => boolean): Page<T> {
    const accept = filter && ((key: number) => filter(this.itemOf(key)));
    const page = this.pageKeys(after, limit, accept);
    return {
      items: page.items.map(this.itemOf),
      ...(page.nextAfter !== undefined && { nextAfter: page.nextAfter }),
    };
  }

  /** {@link page} over the keys themselves, for callers that decide on a key without building its item. */
  pageKeys(after: number | undefined, limit: number, accept?: (key: number) => boolean): Page<number> {
    let i = after === undefined ? 0 : this.firstIndexAfter(after);
    const items: number[] = [];
    let lastSeq: number | undefined;
    const n = this.keyColumn.length;
    for (; i < n && items.length < limit; i++) {
      const key = this.keyColumn.get(i);
      if (accept && !accept(key)) continue;
      items.push(key);
      lastSeq = this.seqs.get(i);
    }
    // Only hand out a token when an accepted key really follows, as AWS does.
    for (; i < n; i++) if (!accept || accept(this.keyColumn.get(i))) return { items, nextAfter: lastSeq };
    return { items };
  }

  private firstIndexAfter(seq: number): number {
    return firstIndexAfter(this.seqs.length, (i) => this.seqs.get(i), seq);
  }
}
