/**
 * What the in-memory release store writes, kept as the DynamoDB repository
 * keeps it: a count of writes (reads and unchanged retries are not writes)
 * and the history events in the order of their sort keys
 * (`EVENT#<at>#<seq>`): by event time, then by write. An event written late
 * with an earlier time (a wave observation polled before a status change
 * that was written first) sorts before the later ones, as a history query
 * returns it.
 */
import type { HistoryEvent } from '../../lib/domain/release.js';
import { type Instant, toEpochMs } from '../../lib/domain/wave-evaluation.js';

const sortKey = (event: HistoryEvent) => `${event.at}#${event.seq}`;

/** An event as the repository builds it, without the repository's seq: the log gives its own. */
export function withoutSeq({ seq: _seq, ...event }: HistoryEvent): Omit<HistoryEvent, 'seq'> {
  return event;
}

export class MemoryReleaseLog {
  /** Writes made (not counting reads or unchanged retries). */
  writes = 0;
  private readonly events: HistoryEvent[] = [];
  private seq = 0;

  /** @param now the clock for changes that give no `at` */
  constructor(private readonly now: () => Instant) {}

  /** `at`, or now, as the ISO time the records carry. */
  iso(at?: Instant): string {
    return new Date(toEpochMs(at ?? this.now())).toISOString();
  }

  /** Counts a write. */
  wrote(): void {
    this.writes++;
  }

  /** Writes a history event, in its key's place; its seq orders the events of one time by write. */
  event(event: Omit<HistoryEvent, 'seq'>): void {
    const stored: HistoryEvent = { ...event, seq: String(++this.seq).padStart(8, '0') };
    const key = sortKey(stored);
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sortKey(this.events[mid]!) <= key) lo = mid + 1;
      else hi = mid;
    }
    this.events.splice(lo, 0, stored);
  }

  /** Every event, in key order (the events of one release are in its history order). */
  get history(): readonly HistoryEvent[] {
    return this.events;
  }

  /** One release's history, in the order the repository lists it. */
  historyOf(releaseId: string): HistoryEvent[] {
    return this.events.filter((e) => e.releaseId === releaseId);
  }
}
