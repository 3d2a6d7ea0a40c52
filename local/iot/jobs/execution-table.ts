/**
 * The executions of one job, indexed for the three questions asked of them at
 * fleet scale: how many are in each status (O(1) counters), which one does a
 * thing have (a map), and which ones are in a status, a page at a time (one
 * sequence-ordered list per status, see {@link SeqList}).
 *
 * An execution is a position in typed columns (status, sequence numbers,
 * attempt, version, times), not an object: a million-execution job costs
 * well under a hundred bytes per execution. {@link ExecutionTable.record} builds
 * the `ExecutionRecord` callers read, when they ask.
 *
 * A thing is found by its key in the thing registry (its index there), not
 * by a map of its own: CreateJob over a whole fleet fills a column instead of
 * inserting a million names in a hash map, and the table remembers each
 * execution's thing key so the simulator can read the thing's groups
 * without looking its name up.
 */
import { f64Column, u8Column, u32Column } from '../columns.js';
import { IndexList } from '../index-list.js';
import { type Page, type Pageable, SeqList } from '../pagination.js';
import type { ExecutionRecord } from './execution-record.js';
import { type ExecutionCounts, type ExecutionStatus, executionStatuses } from './job-service-port.js';

export function zeroCounts(): ExecutionCounts {
  return Object.fromEntries(executionStatuses.map((s) => [s, 0])) as ExecutionCounts;
}

const statusCode = new Map<ExecutionStatus, number>(executionStatuses.map((s, code) => [s, code]));
const codeOf = (status: ExecutionStatus) => statusCode.get(status)!;

/** How the table finds things: the registry's key (index) of a thing name, and a thing's ARN. */
export interface ExecutionThings {
  /** The thing's key in the registry, undefined for a thing the registry does not hold. */
  keyOf(thingName: string): number | undefined;
  arnOf(thingName: string): string;
}

/** The thing key of an execution whose thing the registry did not hold when it was added. */
export const noThingKey = 0xffff_ffff;

/** Executions of one status (or all), as the List operations page them and the store walks them. */
export interface ExecutionList extends Pageable<ExecutionRecord> {
  values(): IterableIterator<ExecutionRecord>;
}

export class ExecutionTable {
  private readonly names: string[] = [];
  /** Per execution: its thing's registry key, or {@link noThingKey}. */
  private readonly thingKeys = u32Column(1024);
  /**
   * Per registry key, the position of the thing's execution: a map while the job holds few of the
   * registry's keys (a canary over a million-thing fleet costs its own size), a dense array of
   * position plus one (0: none) once it holds many (a wave over the whole fleet costs 4 bytes a key).
   */
  private sparseByKey: Map<number, number> | undefined = new Map();
  private denseByKey = new Uint32Array(0);
  private highestKey = 0;
  /** Executions of things the registry did not hold when they were added (a restore, a test), by name. */
  private readonly strays = new Map<string, number>();
  private readonly status = u8Column(1024);
  private readonly statusSeq = u32Column(1024);
  private readonly executionNumber = u32Column(1024);
  private readonly versionNumber = u32Column(1024);
  private readonly queuedAt = f64Column(1024);
  /** NaN while the attempt has not started. */
  private readonly startedAt = f64Column(1024);
  private readonly lastUpdatedAt = f64Column(1024);
  private readonly details = new Map<number, Readonly<Record<string, string>>>();
  private readonly forceCanceled = new Set<number>();
  /** Every execution in creation order (keyed by position); never shrinks while the job exists. */
  private readonly all = new IndexList<ExecutionRecord>((e) => this.record(e));
  /** Per status code: positions, appended as executions enter the status, dropped lazily as they leave. */
  private readonly byStatus: SeqList<number>[];
  private readonly counters = zeroCounts();
  private nextSeq = 0;
  /** The last thing looked up: a simulator step checks an execution, then moves it. */
  private lastName: string | undefined;
  private lastPosition = 0;

  /** `things` finds a thing's registry key and ARN from its name: the table keeps names only. */
  constructor(
    private readonly jobId: string,
    private readonly things: ExecutionThings,
  ) {
    this.byStatus = executionStatuses.map(
      (_, code) =>
        new SeqList<number>((e, seq) => this.status.get(e) === code && this.statusSeq.get(e) === seq),
    );
  }

  get size(): number {
    return this.names.length;
  }

  /** A copy of the counters. */
  counts(): ExecutionCounts {
    return { ...this.counters };
  }

  count(status: ExecutionStatus): number {
    return this.counters[status];
  }

  /** Executions not ended yet (QUEUED or IN_PROGRESS). */
  openCount(): number {
    return this.counters.QUEUED + this.counters.IN_PROGRESS;
  }

  /** The position of the thing's execution, undefined when it has none. */
  indexOf(thingName: string): number | undefined {
    if (thingName === this.lastName) return this.lastPosition;
    const key = this.things.keyOf(thingName);
    let e = key === undefined ? undefined : this.positionOfKey(key);
    if (e === undefined && this.strays.size > 0) e = this.strays.get(thingName);
    if (e !== undefined) {
      this.lastName = thingName;
      this.lastPosition = e;
    }
    return e;
  }

  get(thingName: string): ExecutionRecord | undefined {
    const e = this.indexOf(thingName);
    return e === undefined ? undefined : this.record(e);
  }

  has(thingName: string): boolean {
    return this.indexOf(thingName) !== undefined;
  }

  statusAt(e: number): ExecutionStatus {
    return executionStatuses[this.status.get(e)]!;
  }

  executionNumberAt(e: number): number {
    return this.executionNumber.get(e);
  }

  versionNumberAt(e: number): number {
    return this.versionNumber.get(e);
  }

  /** When the current attempt at position `e` was queued (epoch ms). */
  queuedAtOf(e: number): number {
    return this.queuedAt.get(e);
  }

  /** The thing whose execution is at position `e`. */
  thingNameAt(e: number): string {
    return this.names[e]!;
  }

  /** The registry key of the execution's thing at position `e`, or {@link noThingKey}. */
  thingKeyAt(e: number): number {
    return this.thingKeys.get(e);
  }

  /** Queues a first execution for a thing; returns its position, undefined when the thing already has one. */
  add(thingName: string, now: number): number | undefined {
    if (this.indexOf(thingName) !== undefined) return undefined;
    const key = this.things.keyOf(thingName);
    if (key !== undefined) return this.addKey(key, thingName, now);
    const e = this.append(thingName, noThingKey, now);
    this.strays.set(thingName, e);
    return e;
  }

  /**
   * {@link add} for a thing the caller found in the registry (key `key`,
   * name `thingName`): no name is looked up, so CreateJob over a fleet
   * costs a few column writes per thing.
   */
  addKey(key: number, thingName: string, now: number): number | undefined {
    if (this.positionOfKey(key) !== undefined) return undefined;
    const e = this.append(thingName, key, now);
    this.highestKey = Math.max(this.highestKey, key);
    const sparse = this.sparseByKey;
    if (sparse === undefined) this.setDense(key, e);
    else {
      sparse.set(key, e);
      // Dense once the array would cost no more than about the map: 16 keys of array per entry.
      if (sparse.size >= 1024 && sparse.size * 16 >= this.highestKey) {
        this.sparseByKey = undefined;
        for (const [k, position] of sparse) this.setDense(k, position);
      }
    }
    return e;
  }

  private positionOfKey(key: number): number | undefined {
    if (this.sparseByKey !== undefined) return this.sparseByKey.get(key);
    const stored = key < this.denseByKey.length ? this.denseByKey[key]! : 0;
    return stored === 0 ? undefined : stored - 1;
  }

  private setDense(key: number, e: number): void {
    if (key >= this.denseByKey.length) {
      let length = Math.max(1024, this.denseByKey.length);
      while (length <= Math.max(key, this.highestKey)) length *= 2;
      const grown = new Uint32Array(length);
      grown.set(this.denseByKey);
      this.denseByKey = grown;
    }
    this.denseByKey[key] = e + 1;
  }

  private append(thingName: string, key: number, now: number): number {
    const e = this.names.length;
    const seq = ++this.nextSeq;
    this.names.push(thingName);
    this.thingKeys.push(key);
    this.status.push(codeOf('QUEUED'));
    this.statusSeq.push(seq);
    this.executionNumber.push(1);
    this.versionNumber.push(1);
    this.queuedAt.push(now);
    this.startedAt.push(Number.NaN);
    this.lastUpdatedAt.push(now);
    this.all.push(seq, e);
    this.byStatus[codeOf('QUEUED')]!.push(seq, e);
    this.counters.QUEUED++;
    return e;
  }

  /** Moves an execution to another status, keeping counters and status lists exact. */
  setStatus(e: number, to: ExecutionStatus): void {
    const fromCode = this.status.get(e);
    const toCode = codeOf(to);
    if (fromCode === toCode) return;
    this.counters[executionStatuses[fromCode]!]--;
    this.counters[to]++;
    this.byStatus[fromCode]!.markStale();
    this.status.set(e, toCode);
    const seq = ++this.nextSeq;
    this.statusSeq.set(e, seq);
    this.byStatus[toCode]!.push(seq, e);
  }

  /** Moves an execution to `to` at `now`: a new version, details replaced when given, started when it leaves QUEUED for IN_PROGRESS. */
  move(e: number, to: ExecutionStatus, now: number, details?: Readonly<Record<string, string>>): void {
    if (this.statusAt(e) === 'QUEUED' && to === 'IN_PROGRESS') this.startedAt.set(e, now);
    if (details !== undefined) this.details.set(e, { ...details });
    this.versionNumber.set(e, this.versionNumber.get(e) + 1);
    this.lastUpdatedAt.set(e, now);
    this.setStatus(e, to);
  }

  /** Queues a new attempt at `now`: the next execution number, version 1, no details. */
  retry(e: number, now: number): void {
    this.setStatus(e, 'QUEUED');
    this.executionNumber.set(e, this.executionNumber.get(e) + 1);
    this.queuedAt.set(e, now);
    this.startedAt.set(e, Number.NaN);
    this.lastUpdatedAt.set(e, now);
    this.versionNumber.set(e, 1);
    this.details.delete(e);
  }

  /** Marks an execution canceled with `force` (CancelJob with force, CancelJobExecution with force). */
  markForceCanceled(e: number): void {
    this.forceCanceled.add(e);
  }

  /** Gives a just-added execution the status, attempt, times, version and details a snapshot kept. */
  restore(e: number, saved: ExecutionRecord): void {
    this.executionNumber.set(e, saved.executionNumber);
    this.versionNumber.set(e, saved.versionNumber);
    this.queuedAt.set(e, saved.queuedAt);
    this.startedAt.set(e, saved.startedAt ?? Number.NaN);
    this.lastUpdatedAt.set(e, saved.lastUpdatedAt);
    if (saved.statusDetails !== undefined) this.details.set(e, { ...saved.statusDetails });
    if (saved.forceCanceled) this.forceCanceled.add(e);
    this.setStatus(e, saved.status);
  }

  /** The execution at position `e`, built now. */
  record(e: number): ExecutionRecord {
    const thingName = this.names[e]!;
    const startedAt = this.startedAt.get(e);
    const details = this.details.get(e);
    const executionNumber = this.executionNumber.get(e);
    // One shape for every record (absent fields are undefined, which JSON and the wire drop): the
    // simulator reads a record per step, so building it must stay cheap.
    return {
      jobId: this.jobId,
      thingName,
      thingArn: this.things.arnOf(thingName),
      status: this.statusAt(e),
      executionNumber,
      retryAttempt: executionNumber - 1,
      queuedAt: this.queuedAt.get(e),
      startedAt: Number.isNaN(startedAt) ? undefined : startedAt,
      lastUpdatedAt: this.lastUpdatedAt.get(e),
      versionNumber: this.versionNumber.get(e),
      statusDetails: details === undefined ? undefined : { ...details },
      forceCanceled: this.forceCanceled.size > 0 && this.forceCanceled.has(e) ? true : undefined,
      createSeq: this.all.seqAt(e),
      statusSeq: this.statusSeq.get(e),
    };
  }

  /** Positions of the executions in one status (or all, in creation order), lazily; safe to move them meanwhile. */
  positions(status?: ExecutionStatus): IterableIterator<number> {
    return status === undefined ? this.all.keys() : this.byStatus[codeOf(status)]!.values();
  }

  /** The list of one status (for paging), or of all executions. */
  list(status?: ExecutionStatus): ExecutionList {
    if (status === undefined) return this.all;
    const list = this.byStatus[codeOf(status)]!;
    const record = (e: number) => this.record(e);
    return {
      page: (after, limit, filter): Page<ExecutionRecord> => {
        const page = list.page(after, limit, filter && ((e) => filter(record(e))));
        return { ...page, items: page.items.map(record) };
      },
      values: function* () {
        for (const e of list.values()) yield record(e);
      },
    };
  }
}
