/** A fixed-capacity log that forgets its oldest entries, so a long rehearsal cannot grow memory without bound. */
export class RingBuffer<T> {
  private items: T[] = [];
  private start = 0;
  /** Entries pushed out by newer ones (or cleared) since creation: the sequence number of the oldest entry kept. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    this.dropped++;
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  /**
   * Oldest first, each with its sequence number: 0 for the first entry ever
   * pushed, one more for each next. Numbers survive {@link clear} and
   * eviction, so a reader's "older than N" cursor keeps its meaning while
   * new entries arrive.
   */
  sequenced(): { seq: number; item: T }[] {
    return this.toArray().map((item, index) => ({ seq: this.dropped + index, item }));
  }

  /** Forgets every entry; sequence numbers go on from where they were. */
  clear(): void {
    this.dropped += this.items.length;
    this.items = [];
    this.start = 0;
  }

  get size(): number {
    return this.items.length;
  }
}
