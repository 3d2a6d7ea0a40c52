/**
 * The executions of one job, indexed for the three questions asked of them at
 * fleet scale: how many are in each status (O(1) counters), which one does a
 * thing have (a map), and which ones are in a status, a page at a time (one
 * sequence-ordered list per status, see {@link SeqList}).
 */
import { SeqList } from '../pagination.js';
import type { ExecutionRecord } from './job-records.js';
import { type ExecutionCounts, type ExecutionStatus, executionStatuses } from './job-service-port.js';

export function zeroCounts(): ExecutionCounts {
  return Object.fromEntries(executionStatuses.map((s) => [s, 0])) as ExecutionCounts;
}

export class ExecutionTable {
  private readonly byThing = new Map<string, ExecutionRecord>();
  /** Every execution in creation order; never shrinks while the job exists. */
  readonly all = new SeqList<ExecutionRecord>(() => true);
  private readonly byStatus = new Map<ExecutionStatus, SeqList<ExecutionRecord>>();
  private readonly counters = zeroCounts();
  private nextSeq = 0;

  constructor(private readonly jobId: string) {
    for (const status of executionStatuses) {
      this.byStatus.set(status, new SeqList((e, seq) => e.status === status && e.statusSeq === seq));
    }
  }

  get size(): number {
    return this.byThing.size;
  }

  /** A copy of the counters. */
  counts(): ExecutionCounts {
    return { ...this.counters };
  }

  count(status: ExecutionStatus): number {
    return this.counters[status];
  }

  get(thingName: string): ExecutionRecord | undefined {
    return this.byThing.get(thingName);
  }

  has(thingName: string): boolean {
    return this.byThing.has(thingName);
  }

  /** Queues a first execution for a thing; undefined when the thing already has one. */
  add(thingName: string, thingArn: string, now: number): ExecutionRecord | undefined {
    if (this.byThing.has(thingName)) return undefined;
    const seq = ++this.nextSeq;
    const record: ExecutionRecord = {
      jobId: this.jobId,
      thingName,
      thingArn,
      status: 'QUEUED',
      executionNumber: 1,
      retryAttempt: 0,
      queuedAt: now,
      lastUpdatedAt: now,
      versionNumber: 1,
      createSeq: seq,
      statusSeq: seq,
    };
    this.byThing.set(thingName, record);
    this.all.push(seq, record);
    this.byStatus.get('QUEUED')!.push(seq, record);
    this.counters.QUEUED++;
    return record;
  }

  /** Moves an execution to another status, keeping counters and status lists exact. */
  setStatus(record: ExecutionRecord, to: ExecutionStatus): void {
    const from = record.status;
    if (from === to) return;
    this.counters[from]--;
    this.counters[to]++;
    this.byStatus.get(from)!.markStale();
    record.status = to;
    record.statusSeq = ++this.nextSeq;
    this.byStatus.get(to)!.push(record.statusSeq, record);
  }

  /** The list of one status (for paging), or of all executions. */
  list(status?: ExecutionStatus): SeqList<ExecutionRecord> {
    return status === undefined ? this.all : this.byStatus.get(status)!;
  }
}
