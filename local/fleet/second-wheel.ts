/**
 * Batches the simulator's work into whole virtual seconds: every task due in
 * the same second shares one clock timer and runs in the order it was added.
 *
 * A rollout of 100,000 executions thus costs a few thousand timers, not a
 * few hundred thousand, and the clock yields to the event loop once per
 * virtual second rather than once per execution. IoT reports times in whole
 * seconds, so nothing visible is lost.
 */
import type { SchedulingClock, TimerHandle } from '../clock/clock.js';

interface Bucket {
  readonly handle: TimerHandle;
  readonly tasks: Array<() => void>;
}

/** The first whole second (epoch ms) at or after `ms`. */
export function ceilSecond(ms: number): number {
  return Math.ceil(ms / 1000) * 1000;
}

export class SecondWheel {
  private readonly buckets = new Map<number, Bucket>();

  constructor(private readonly clock: SchedulingClock) {}

  /** Runs `task` at the first whole second at or after `timeMs` (never in the past). */
  at(timeMs: number, task: () => void): void {
    const second = ceilSecond(Math.max(timeMs, this.clock.now()));
    let bucket = this.buckets.get(second);
    if (!bucket) {
      bucket = { handle: this.clock.schedule(second, () => this.run(second)), tasks: [] };
      this.buckets.set(second, bucket);
    }
    bucket.tasks.push(task);
  }

  /** Number of seconds with work waiting. */
  get pendingSeconds(): number {
    return this.buckets.size;
  }

  /** Drops every waiting task. */
  clear(): void {
    for (const bucket of this.buckets.values()) this.clock.cancel(bucket.handle);
    this.buckets.clear();
  }

  private run(second: number): void {
    const bucket = this.buckets.get(second);
    if (!bucket) return;
    // Tasks added for this same second while it runs join the end of the
    // list (the loop reads the length afresh), so they run now too.
    const tasks = bucket.tasks;
    try {
      for (let i = 0; i < tasks.length; i++) tasks[i]!();
    } finally {
      this.buckets.delete(second);
    }
  }
}
