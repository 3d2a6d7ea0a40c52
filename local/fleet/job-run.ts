/**
 * The simulator's state for one job: the things waiting to be notified, the
 * notification budget, and the counts the rollout and abort rules read. All
 * of it is O(1) to update; nothing here walks the fleet.
 */
import type { SimJob } from '../iot/jobs/job-service-port.js';
import type { CompletedTally } from './abort-rules.js';
import type { FleetJobStats } from './fleet-events.js';
import type { RetriesUsed } from './retry-rules.js';
import { NotificationBudget, type RolloutProgress } from './rollout-rate.js';

/** A FIFO of thing names that never shifts arrays (a head index, compacted now and then). */
class NameQueue {
  private items: string[] = [];
  private head = 0;

  push(name: string): void {
    this.items.push(name);
  }

  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const name = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return name;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

export interface QueuedThing {
  readonly thingName: string;
  /** A retry: the thing was notified before, so it does not count again as a notified thing. */
  readonly retry: boolean;
}

export class JobRun implements RolloutProgress {
  /** False once the job is canceled, aborted, completed or deleted: no more notifications, retries or endings. */
  active = true;
  tickScheduled = false;
  notifiedThings = 0;
  succeededThings = 0;
  readonly tally: { -readonly [K in keyof CompletedTally]: number } = {
    SUCCEEDED: 0,
    FAILED: 0,
    REJECTED: 0,
    TIMED_OUT: 0,
  };
  readonly budget = new NotificationBudget();
  private readonly firstAttempts = new NameQueue();
  private readonly retries = new NameQueue();
  /** Sparse: only things that have been retried. */
  private readonly retriesUsed = new Map<string, RetriesUsed>();

  constructor(readonly job: SimJob) {}

  get jobId(): string {
    return this.job.jobId;
  }

  enqueue(thingName: string): void {
    this.firstAttempts.push(thingName);
  }

  /** Retries go ahead of things never notified: the device already holds the job. */
  enqueueRetry(thingName: string): void {
    this.retries.push(thingName);
  }

  next(): QueuedThing | undefined {
    const retried = this.retries.shift();
    if (retried !== undefined) return { thingName: retried, retry: true };
    const first = this.firstAttempts.shift();
    return first === undefined ? undefined : { thingName: first, retry: false };
  }

  get waiting(): number {
    return this.firstAttempts.length + this.retries.length;
  }

  retriesOf(thingName: string): RetriesUsed {
    let used = this.retriesUsed.get(thingName);
    if (!used) {
      used = { FAILED: 0, TIMED_OUT: 0 };
      this.retriesUsed.set(thingName, used);
    }
    return used;
  }

  /** A thing that rejoins a CONTINUOUS job's targets starts its retries afresh. */
  resetRetries(thingName: string): void {
    this.retriesUsed.delete(thingName);
  }

  stats(ratePerMinute: number): FleetJobStats {
    return {
      jobId: this.jobId,
      active: this.active,
      ratePerMinute,
      notifiedThings: this.notifiedThings,
      succeededThings: this.succeededThings,
      waitingToNotify: this.waiting,
      completed: { ...this.tally },
    };
  }

  /** Stops the job's rollout for good and frees what it no longer needs. */
  deactivate(): void {
    this.active = false;
    this.firstAttempts.clear();
    this.retries.clear();
    this.retriesUsed.clear();
  }
}
