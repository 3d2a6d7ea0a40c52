/**
 * The simulator's state for one job: the executions waiting to be notified
 * (by their position in the job's execution table, never by thing name), the
 * notification budget, and the counts the rollout and abort rules read. All
 * of it is O(1) to update; nothing here walks the fleet.
 */
import { windowsOf } from '../iot/jobs/job-schedule.js';
import type { SimJob } from '../iot/jobs/job-service-port.js';
import type { CompletedTally } from './abort-rules.js';
import type { FleetJobStats } from './fleet-events.js';
import type { RetriesUsed } from './retry-rules.js';
import { NotificationBudget, type RolloutProgress } from './rollout-rate.js';
import { RolloutWindows } from './rollout-windows.js';

/** A FIFO of execution positions that never shifts arrays (a head index, compacted now and then). */
class PositionQueue {
  private items: number[] = [];
  private head = 0;

  push(position: number): void {
    this.items.push(position);
  }

  /** The next position, or -1 when the queue is empty. */
  shift(): number {
    if (this.head >= this.items.length) return -1;
    const position = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return position;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/**
 * What a snapshot keeps of a job's run, so that its rules go on counting
 * after a restart: every attempt completed (the abort rule reads them, and a
 * retried attempt no longer shows in the execution's status), and the
 * retries each thing used, by failure type and thing name (positions are
 * not kept). The rest of a run is read again from the executions.
 */
export interface SavedRun {
  readonly tally: CompletedTally;
  readonly retries: readonly {
    readonly thingName: string;
    readonly FAILED: number;
    readonly TIMED_OUT: number;
  }[];
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
  private readonly firstAttempts = new PositionQueue();
  private readonly retries = new PositionQueue();
  /** Sparse, by execution position: only things that have been retried. */
  private readonly retriesUsed = new Map<number, RetriesUsed>();
  /** Whether the position {@link next} handed out last was a retry (so no new notified thing). */
  nextWasRetry = false;
  /** The job's maintenance windows, when it has any: devices are notified only while one is open. */
  readonly windows: RolloutWindows | undefined;
  /** True once the end time stopped the rollout: no notification, no retry; endings still count. */
  rolloutStopped = false;

  constructor(readonly job: SimJob) {
    const windows = windowsOf(job.schedulingConfig);
    this.windows = windows === undefined ? undefined : new RolloutWindows(windows);
    this.rolloutStopped = job.rolloutStopped === true;
  }

  get jobId(): string {
    return this.job.jobId;
  }

  /** Queues the execution at `position` for its first notification. */
  enqueue(position: number): void {
    this.firstAttempts.push(position);
  }

  /** Retries go ahead of things never notified: the device already holds the job. */
  enqueueRetry(position: number): void {
    this.retries.push(position);
  }

  /** The next execution position to notify, or -1; {@link nextWasRetry} says whether it is a retry. */
  next(): number {
    const retried = this.retries.shift();
    this.nextWasRetry = retried !== -1;
    return this.nextWasRetry ? retried : this.firstAttempts.shift();
  }

  get waiting(): number {
    return this.firstAttempts.length + this.retries.length;
  }

  retriesOf(position: number): RetriesUsed {
    let used = this.retriesUsed.get(position);
    if (!used) {
      used = { FAILED: 0, TIMED_OUT: 0 };
      this.retriesUsed.set(position, used);
    }
    return used;
  }

  /** A thing that rejoins a CONTINUOUS job's targets starts its retries afresh. */
  resetRetries(position: number): void {
    this.retriesUsed.delete(position);
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

  /** The run as a snapshot keeps it; `thingNameAt` names the thing at an execution position. */
  save(thingNameAt: (position: number) => string): SavedRun {
    const retries = [...this.retriesUsed].map(([position, used]) => ({
      thingName: thingNameAt(position),
      ...used,
    }));
    return { tally: { ...this.tally }, retries };
  }

  /** Takes back what {@link save} kept; `positionOf` finds a thing's execution position. */
  load(saved: SavedRun, positionOf: (thingName: string) => number | undefined): void {
    Object.assign(this.tally, saved.tally);
    this.retriesUsed.clear();
    if (!this.active) return;
    for (const { thingName, FAILED, TIMED_OUT } of saved.retries) {
      const position = positionOf(thingName);
      if (position !== undefined) this.retriesUsed.set(position, { FAILED, TIMED_OUT });
    }
  }

  /**
   * Stops notifying for good (the end time's STOP_ROLLOUT) and hands back
   * the positions that were waiting for a notification, first attempts and
   * retries alike; the run stays active for the endings still to come.
   */
  stopRollout(): number[] {
    this.rolloutStopped = true;
    const waiting: number[] = [];
    for (let e = this.next(); e !== -1; e = this.next()) waiting.push(e);
    return waiting;
  }

  /** Takes back the pending wake-up at the next window opening, if any. */
  private cancelWakeUp: (() => void) | undefined;

  /** Whether a wake-up at the next window opening is pending. */
  get wakeUpPending(): boolean {
    return this.cancelWakeUp !== undefined;
  }

  /** Keeps how to take back the wake-up just set, so that ending the run takes it back. */
  setWakeUp(cancel: () => void): void {
    this.cancelWakeUp = cancel;
  }

  /** The wake-up has fired: nothing is pending any more. */
  wokeUp(): void {
    this.cancelWakeUp = undefined;
  }

  /** Stops the job's rollout for good and frees what it no longer needs. */
  deactivate(): void {
    this.active = false;
    // A canceled or deleted job's wake-up would keep `max` time jumping to an opening nobody waits for.
    this.cancelWakeUp?.();
    this.cancelWakeUp = undefined;
    this.firstAttempts.clear();
    this.retries.clear();
    this.retriesUsed.clear();
  }
}
