/**
 * Keeps the EMF lines the handlers write, which on Lambda would go to
 * CloudWatch Logs (and from there to CloudWatch metrics): the last 5,000
 * records by default, so a long rehearsal cannot grow memory without bound.
 * Listed newest first, filtered by namespace and metric name, paged with an
 * opaque token that stays valid while newer records arrive.
 */
import { RingBuffer } from '../eventbridge/ring-buffer.js';
import { type EmfItem, parseEmfLine } from './emf-record.js';

/** Records kept before the oldest are forgotten. */
const DEFAULT_EMF_CAPACITY = 5_000;

/** A record as listed: its EMF, and its position and arrival time in the stack. */
export interface RecordedEmf extends EmfItem {
  /** Increases with each record; what a page's `nextToken` names. */
  id: string;
  /** When the stack received it, on the stack's clock (virtual: the time releases' history shows). */
  recordedAt: string;
}

export interface EmfQuery {
  namespace?: string | undefined;
  /** Only records holding a metric of this name. */
  name?: string | undefined;
  maxResults: number;
  /** The `nextToken` of the previous page. */
  after?: number | undefined;
}

export interface EmfPage {
  metrics: RecordedEmf[];
  /** Present when older records may follow. */
  nextToken?: string;
}

export class EmfRecorder {
  private readonly ring: RingBuffer<RecordedEmf & { seq: number }>;
  private seq = 0;

  constructor(
    private readonly now: () => number,
    capacity = DEFAULT_EMF_CAPACITY,
  ) {
    this.ring = new RingBuffer(capacity);
  }

  /** Takes one line a handler wrote (the metrics output the local stack sets). */
  readonly record = (line: string): void => {
    const recordedAt = new Date(this.now()).toISOString();
    for (const item of parseEmfLine(line)) {
      this.seq++;
      this.ring.push({ ...item, seq: this.seq, id: String(this.seq), recordedAt });
    }
  };

  /** One page of records, newest first. */
  list(query: EmfQuery): EmfPage {
    const matches = (r: RecordedEmf & { seq: number }) =>
      (query.after === undefined || r.seq < query.after) &&
      (query.namespace === undefined || r.namespace === query.namespace) &&
      (query.name === undefined || r.metrics.some((m) => m.name === query.name));
    const found = this.ring.toArray().reverse().filter(matches);
    const page = found.slice(0, query.maxResults);
    const last = page.at(-1);
    return {
      metrics: page.map(({ seq: _seq, ...item }) => item),
      ...(found.length > page.length && last && { nextToken: String(last.seq) }),
    };
  }
}
